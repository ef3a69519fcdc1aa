"""`FixedCrew`: a rota of plain facts for tests, benches and `ddd inspect` fixtures.

Each vehicle lists its drivers; they take turns by ISO week (week number modulo their count), and the driver on
duty drives on the working days of their day plan while the unit is in service. The odometer runs on from
`odometer_at_service_start` by the distance driven every day. A driver's card history runs from the card's issue.
A Gen2v2 vehicle's `co_drivers` ride in slot 2 on the days it is driven when they drive nowhere that day and work by
their own plan (the first listed that is free, in the first vehicle listing them), and take turns at the wheel
with the driver (`crewday`).
Not simulated: a driver listed in two vehicles may be on duty in both on one day (their card tells the first).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mockserver.tachograph.card_model import CardChip, DrivingLicence
from mockserver.tachograph.crewday import member_plan
from mockserver.tachograph.dayplan import cached_plan, derive_seed
from mockserver.tachograph.history.card import CardHistory, CardIdentity
from mockserver.tachograph.history.rota import CardInUse, CompanyFacts, Shift, VehicleUnit
from mockserver.tachograph.types import (
    EquipmentType,
    ExtendedSerialNumber,
    FullCardNumber,
    Generation,
    HolderName,
    VehicleRegistration,
    day_start,
)


@dataclass(frozen=True)
class DriverFacts:
    seed: int
    card_number: str
    nation: int
    surname: str
    first_names: str
    birth_date: date
    card_issue: date
    card_expiry: date
    card_generation: Generation = Generation.GEN2V1
    language: str = "en"

    @property
    def card(self) -> FullCardNumber:
        return FullCardNumber(
            EquipmentType.DRIVER_CARD, self.nation, self.card_number, self.card_generation.card_generation_byte
        )


@dataclass(frozen=True)
class VehicleFacts:
    seed: int
    vin: str
    nation: int
    plate: str
    generation: Generation
    drivers: tuple[DriverFacts, ...]
    in_service_since: date
    odometer_at_service_start: int = 1000
    company: CompanyFacts | None = None
    latitude: float = 52.5
    longitude: float = 13.4
    co_drivers: tuple[DriverFacts, ...] = ()
    older_faults: bool = True  # a Gen1 or Gen2v1 unit writes its faults (`VehicleUnit.older_faults`)
    card_events: bool = True  # events name the cards in the slots, cards keep them (`VehicleUnit.card_events`)

    @property
    def registration(self) -> VehicleRegistration:
        return VehicleRegistration(self.nation, self.plate)

    @property
    def unit(self) -> VehicleUnit:
        return VehicleUnit(
            self.seed,
            self.vin,
            self.nation,
            self.plate,
            self.generation,
            self.in_service_since,
            self.company,
            self.latitude,
            self.longitude,
            self.older_faults,
            self.card_events,
        )


class FixedCrew:
    """The `Rota` of a few vehicles and their drivers (drivers are named by card number)."""

    midnight_reading = 1  # the VU's daily odometer reading is the one at the end of the day

    def __init__(self, vehicles: Sequence[VehicleFacts]) -> None:
        self.vehicles = {vehicle.vin: vehicle for vehicle in vehicles}
        self.drivers = {
            driver.card_number: driver for vehicle in vehicles for driver in (*vehicle.drivers, *vehicle.co_drivers)
        }
        self._units = {vehicle.vin: vehicle.unit for vehicle in vehicles}
        self._odometers: dict[str, list[int]] = {vin: [] for vin in self.vehicles}  # day i of service -> km

    def _main_shift(self, vin: str, day: date) -> Shift | None:
        vehicle = self.vehicles[vin]
        if not vehicle.drivers or day < vehicle.in_service_since:
            return None
        driver = vehicle.drivers[day.isocalendar()[1] % len(vehicle.drivers)]
        plan = cached_plan(driver.seed, day)
        return Shift(driver.card_number, vin, plan) if plan.working else None

    def vehicle_shift(self, vin: str, day: date) -> Shift | None:
        if not self.vehicles[vin].co_drivers:
            return self._main_shift(vin, day)
        return self._crews(day).get(vin) or self._main_shift(vin, day)

    def _crews(self, day: date) -> dict[str, Shift]:
        mains = {vin: self._main_shift(vin, day) for vin in self.vehicles}
        driving = {shift.driver for shift in mains.values() if shift is not None}
        crews: dict[str, Shift] = {}
        for vin, vehicle in self.vehicles.items():
            main = mains[vin]
            if main is None or vehicle.generation is not Generation.GEN2V2:
                continue
            for co in vehicle.co_drivers:
                if co.card_number not in driving and cached_plan(co.seed, day).working:
                    driving.add(co.card_number)
                    crews[vin] = main._replace(partner=co.card_number, partner_plan=member_plan(main.plan, False))
                    break
        return crews

    def driver_shift(self, driver: str, day: date) -> Shift | None:
        for vin in self.vehicles:
            shift = self.vehicle_shift(vin, day)
            if shift is not None and shift.driver == driver:
                return shift
            if shift is not None and shift.partner == driver:
                return shift.seen_by_partner()
        return None

    def odometer(self, vin: str, day: date) -> int:
        vehicle = self.vehicles[vin]
        index = (day - vehicle.in_service_since).days
        if index <= 0:
            return vehicle.odometer_at_service_start
        known = self._odometers[vin]
        if not known:
            known.append(vehicle.odometer_at_service_start)
        while len(known) <= index:
            shift = self.vehicle_shift(vin, vehicle.in_service_since + timedelta(days=len(known) - 1))
            known.append(known[-1] + (shift.plan.distance_km if shift is not None else 0))
        return known[index]

    def unit(self, vin: str, day: date) -> VehicleUnit:
        return self._units[vin]

    def card_in_use(self, driver: str, day: date) -> CardInUse:
        facts = self.drivers[driver]
        return CardInUse(HolderName(facts.surname, facts.first_names), facts.card, facts.card_expiry)

    def history(self, driver: DriverFacts) -> CardHistory:
        """The card history of one of the crew's drivers, from the card's issue."""
        return CardHistory(self, driver.card_number, card_identity(driver), driver.card_issue)


def card_identity(driver: DriverFacts) -> CardIdentity:
    rng = random.Random(derive_seed(driver.seed, "card"))
    issue = day_start(driver.card_issue)
    return CardIdentity(
        generation=driver.card_generation,
        number=driver.card_number,
        nation=driver.nation,
        holder=HolderName(driver.surname, driver.first_names),
        birth_date=driver.birth_date,
        language=driver.language,
        authority="Kraftfahrt-Bundesamt",
        issue=issue,
        expiry=day_start(driver.card_expiry),
        licence=DrivingLicence("Fahrerlaubnisbehoerde", driver.nation, f"L{rng.randint(10**9, 10**10 - 1)}"),
        chip=CardChip(ExtendedSerialNumber(rng.randint(1, 2**31), issue.month, issue.year, 1, 0xA1)),
    )
