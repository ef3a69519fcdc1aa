"""What a history is told from: the `Rota` protocol and the small values it answers with.

A rota names vehicles by VIN and drivers by a key of its own (the world's card key, a fixed driver's card number).
It says, day by day, who drove which vehicle (`Shift`), the vehicle unit fitted in a vehicle (`VehicleUnit`), the
card a driver used (`CardInUse`) and the odometers. The VU builder (`vu.py`) and the card builder (`card.py`) ask
it and nothing else, so a VU file and the card files of its drivers tell the same days.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol

from mockserver.tachograph.crewday import member_plan, slot_of
from mockserver.tachograph.dayplan import DriverDayPlan
from mockserver.tachograph.types import (
    FullCardNumber,
    Generation,
    GnssPlace,
    HolderName,
    Slot,
    VehicleRegistration,
    day_start,
    degrees_to_geo,
)


class Shift(NamedTuple):
    """One driver's working day in one vehicle (`plan.working` holds), in card slot `slot` at insertion.

    A two-driver crew is told twice: `vehicle_shift` answers the lead's shift (slot 1 at insertion; `plan` is the
    vehicle's day) naming the co-driver as `partner`; `driver_shift` of the co-driver answers the co-driver's own
    shift (slot 2 at insertion, `plan` their own day, `crewday.member_plan(vehicle plan, lead=False)`), naming the
    lead as `partner`. Both sessions share the card insertion and withdrawal minutes; the two take turns at the
    wheel, swapping cards at every break (`crewday`), so `own_plan` is each member's own day.
    """

    driver: str
    vin: str
    plan: DriverDayPlan
    slot: Slot = Slot.DRIVER
    partner: str | None = None
    partner_plan: DriverDayPlan | None = None

    @property
    def co_driver(self) -> str | None:
        """The card holder in slot 2 (None: a single driver)."""
        return self.driver if self.slot is Slot.CO_DRIVER else self.partner

    @property
    def main(self) -> Shift:
        """The shift of the card holder in slot 1 (this one, or the partner's)."""
        if self.slot is Slot.DRIVER:
            return self
        assert self.partner is not None and self.partner_plan is not None
        return Shift(self.partner, self.vin, self.partner_plan, Slot.DRIVER, self.driver, self.plan)

    @property
    def own_plan(self) -> DriverDayPlan:
        """The card holder's own day: `plan`, but for a crew's lead, whose day leaves the second's stints out."""
        if self.partner is None or self.slot is Slot.CO_DRIVER:
            return self.plan
        return member_plan(self.plan, True)

    def holders_at(self, minute: int) -> tuple[str | None, str | None]:
        """The rota keys of the cards in slot 1 and slot 2 at `minute` of the day (None: empty), for the shift of
        the card holder in slot 1 at insertion (`main`): a crew swaps them at every turn."""
        if not (self.plan.card_inserted or 0) <= minute < (self.plan.card_withdrawn or 0):
            return None, None
        if self.partner is not None and slot_of(self.plan, minute, True) is Slot.CO_DRIVER:
            return self.partner, self.driver
        return self.driver, self.partner

    def seen_by_partner(self) -> Shift | None:
        """The partner's own shift (None: no partner)."""
        if self.partner is None or self.partner_plan is None:
            return None
        slot = Slot.CO_DRIVER if self.slot is Slot.DRIVER else Slot.DRIVER
        return Shift(self.partner, self.vin, self.partner_plan, slot, self.driver, self.plan)


@dataclass(frozen=True)
class CompanyFacts:
    name: str
    address: str
    card: FullCardNumber
    locked_since: datetime


@dataclass(frozen=True)
class VehicleUnit:
    """The vehicle unit fitted in a vehicle, with what its files say of the vehicle. `seed` draws the unit's own
    data (events, speed, technical data, GNSS places around `latitude`/`longitude`)."""

    seed: int
    vin: str
    nation: int
    plate: str
    generation: Generation
    in_service_since: date
    company: CompanyFacts | None = None
    latitude: float = 52.5
    longitude: float = 13.4
    older_faults: bool = True  # a Gen1 or Gen2v1 unit's files carry its faults (Gen2v2 ones always do)
    card_events: bool = True  # its event records name the cards in its slots, and those cards keep the events

    @property
    def registration(self) -> VehicleRegistration:
        return VehicleRegistration(self.nation, self.plate)


class CardInUse(NamedTuple):
    """The driver card a VU sees inserted: its holder, number and expiry."""

    holder: HolderName
    card: FullCardNumber
    expiry: date


class Rota(Protocol):
    """Who drove which vehicle when, and the odometers.

    `midnight_reading` is which midnight a VU's daily odometer reading (OdometerValueMidnight) is taken at: 0 the
    one that starts the day, 1 the one that ends it (the fixed crew's files were recorded that way; the world's
    with 0). Everything else is the same for every rota.
    """

    midnight_reading: int

    def vehicle_shift(self, vin: str, day: date) -> Shift | None:
        """Who drove the vehicle on `day`, if anyone."""
        ...

    def driver_shift(self, driver: str, day: date) -> Shift | None:
        """Which vehicle the driver drove (or rode in as co-driver) on `day`, if any."""
        ...

    def odometer(self, vin: str, day: date) -> int:
        """The vehicle's odometer (km) at 00:00 of `day`."""
        ...

    def unit(self, vin: str, day: date) -> VehicleUnit:
        """The vehicle unit fitted in the vehicle on `day`."""
        ...

    def card_in_use(self, driver: str, day: date) -> CardInUse:
        """The card the driver used on `day`."""
        ...


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days)]


def at_minute(day: date, minute: int) -> datetime:
    return day_start(day) + timedelta(minutes=minute)


def gnss_near(unit: VehicleUnit, when: datetime) -> GnssPlace:
    """A position within half a degree of the unit's home and an accuracy of 1-5, deterministic in (unit seed,
    moment). Drawn straight from one SHA-256 digest, not a seeded `random.Random`: a 2-year card ZIP asks for
    thousands of places, and seeding a Mersenne Twister costs more than the rest of a place."""
    return gnss_drawn(unit, f"{unit.seed}|place|{when.isoformat()}", when)


def gnss_drawn(unit: VehicleUnit, key: str, when: datetime) -> GnssPlace:
    """A position at `when` within half a degree of the unit's home, drawn from the SHA-256 digest of `key`."""
    digest = hashlib.sha256(key.encode()).digest()
    lat = unit.latitude + int.from_bytes(digest[0:8], "big") / 2**64 - 0.5
    lon = unit.longitude + int.from_bytes(digest[8:16], "big") / 2**64 - 0.5
    return GnssPlace(when, 1 + digest[16] % 5, degrees_to_geo(lat), degrees_to_geo(lon), 1)
