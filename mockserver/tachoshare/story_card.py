"""World -> driver-card downloads: what one card of a driver holds at each download, told with the crew's shifts.

`CardHistory` lists every working day of one card (from its period's start or the account's epoch, whichever is
later) once; a download at instant t holds the days whose card session ended by t, as much as fits, exactly as
`mockserver.tachograph.simulate_card` does for plain facts. The history grows as later downloads are asked for,
so its cost is paid once per card and day. A download's sequences are runs of the history's record logs
(`mockserver.tachograph.card.runs`): each record is made and encoded once for all the downloads that show it.
"""

from __future__ import annotations

import bisect
import random
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockserver.tachograph.card.ring import ActivityLog
from mockserver.tachograph.card.runs import RecordLog
from mockserver.tachograph.card_model import (
    CardActivityDay,
    CardChip,
    CardVehicleUnitUsed,
    CardVehicleUsed,
    CurrentUsage,
    DriverCardDownload,
    DrivingLicence,
)
from mockserver.tachograph.dayplan import DriverDayPlan, derive_seed
from mockserver.tachograph.simulate import VehicleFacts, at_minute, gnss_near
from mockserver.tachograph.simulate_card import ACTIVITY_CAPACITY
from mockserver.tachograph.types import (
    ExtendedSerialNumber,
    Generation,
    GnssPlace,
    HolderName,
    PlaceRecord,
    day_start,
)
from mockserver.tachoshare.crew import Crew
from mockserver.tachoshare.identity import DriverCard, driver_cards, tacho_generation
from mockserver.tachoshare.story_vu import period_of, vehicle_facts
from mockserver.world.models import Driver, Vehicle

VEHICLE_RECORDS = 200
PLACE_DAYS = 56
_ISSUING_AUTHORITIES = {"NL": "RDW", "DE": "Kraftfahrt-Bundesamt", "BE": "FOD Mobiliteit", "ES": "DGT"}


@dataclass(frozen=True)
class WorkedDay:
    """A day the card was used: in which vehicle, by which plan, and when its session ended."""

    day: date
    vehicle: Vehicle
    plan: DriverDayPlan
    withdrawn: datetime


class CardHistory:
    """The working days of one card of one driver, extended on demand up to a date.

    Every day's activity record is made as the history grows (the ring's offset needs all their lengths); its
    vehicle, place and vehicle-unit records only when a download shows them (places: the newest 56 days), in
    the logs whose runs the downloads hold.
    """

    def __init__(self, crew: Crew, driver: Driver, card: DriverCard) -> None:
        self.lock = threading.Lock()  # held by callers while extending and reading
        self.crew = crew
        self.driver = driver
        self.card = card
        self.gen2 = tacho_generation(card.generation).is_gen2
        self.worked: list[WorkedDay] = []
        self.activity = ActivityLog()
        self.vehicles: RecordLog[CardVehicleUsed] = RecordLog(self._vehicle_record)
        self.places: RecordLog[PlaceRecord] = RecordLog(self._place)
        self.units: RecordLog[CardVehicleUnitUsed] = RecordLog(self._unit)
        self._facts: dict[tuple[str, date], VehicleFacts] = {}
        self._withdrawals: list[datetime] = []
        cards = driver_cards(driver)
        self._last_day = cards[card.period_index + 1].valid_from if card.period_index + 1 < len(cards) else None
        self._next_day = max(card.valid_from, crew.card_epoch(driver))
        self.identity = card_identity(crew, driver, card)

    def extend(self, until: date) -> None:
        """Know every day before `until`."""
        if self._last_day is not None:
            until = min(until, self._last_day)
        day = self._next_day
        while day < until:
            shift = self.crew.driver_shift(self.driver, day)
            if shift is not None:
                self._add(day, shift.vehicle, shift.plan)
            day += timedelta(days=1)
        self._next_day = max(self._next_day, until)
        count = len(self.worked)
        self.vehicles.grow(count)
        self.places.grow(2 * count)
        self.units.grow(count)

    def _add(self, day: date, vehicle: Vehicle, plan: DriverDayPlan) -> None:
        withdrawn = at_minute(day, plan.card_withdrawn or 0)
        self.activity.append(CardActivityDay(day, len(self.worked) + 1, plan.distance_km, plan.activity_changes()))
        self.worked.append(WorkedDay(day, vehicle, plan, withdrawn))
        self._withdrawals.append(withdrawn)

    def facts(self, vehicle: Vehicle, day: date) -> VehicleFacts:
        """The facts of the vehicle unit fitted in `vehicle` on `day`."""
        period, _ = period_of(vehicle.generations, day)
        key = (vehicle.vin, period.since)
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = vehicle_facts(self.crew, vehicle, period)
        return found

    def _vehicle_record(self, index: int) -> CardVehicleUsed:
        worked = self.worked[index]
        facts = self.facts(worked.vehicle, worked.day)
        begin = self.crew.odometer(worked.vehicle, worked.day)
        return CardVehicleUsed(
            begin,
            begin + worked.plan.distance_km,
            at_minute(worked.day, worked.plan.card_inserted or 0),
            worked.withdrawn,
            facts.registration,
            index % 10000,
            worked.vehicle.vin if self.gen2 else "",
        )

    def _place(self, index: int) -> PlaceRecord:
        """Places 2i and 2i + 1: where worked day i began and ended, as its vehicle record tells."""
        worked = self.worked[index // 2]
        facts = self.facts(worked.vehicle, worked.day)
        used = self.vehicles.item(index // 2)
        ended = index % 2
        when = used.last_use if ended else used.first_use
        assert when is not None
        odometer = used.odometer_end if ended else used.odometer_begin
        return PlaceRecord(when, ended, facts.nation, 0, odometer, _card_gnss(facts, when) if self.gen2 else None)

    def _unit(self, index: int) -> CardVehicleUnitUsed:
        worked = self.worked[index]
        return CardVehicleUnitUsed(at_minute(worked.day, worked.plan.card_inserted or 0), 0xA1, 0, "0401")

    def upto(self, moment: datetime) -> int:
        """How many days had their card session ended by `moment` (call `extend` first)."""
        return bisect.bisect_right(self._withdrawals, moment)


def _card_gnss(facts: VehicleFacts, when: datetime) -> GnssPlace:
    place = gnss_near(facts, when)
    return GnssPlace(place.timestamp, place.accuracy, place.latitude, place.longitude, 0)


def build_card_download(history: CardHistory, downloaded_at: datetime) -> DriverCardDownload:
    """The card's content as downloaded at `downloaded_at`.

    Not simulated: Gen2v2 card structures (a Gen2v2 card is written with the Gen2v1 layout), events, faults,
    controls and specific conditions (empty).
    """
    history.extend(downloaded_at.date() + timedelta(days=1))
    count = history.upto(downloaded_at)
    days = history.activity.newest_fitting(count, ACTIVITY_CAPACITY)
    first_kept = count - len(days)
    offset = history.activity.bytes_before[first_kept] % ACTIVITY_CAPACITY if days else 0
    current = None
    if count:
        last = history.worked[count - 1]
        inserted = at_minute(last.day, last.plan.card_inserted or 0)
        current = CurrentUsage(inserted, history.facts(last.vehicle, last.day).registration)
    fixed = history.identity
    return DriverCardDownload(
        generation=fixed.generation,
        card_number=fixed.number,
        issuing_nation=fixed.nation,
        holder=fixed.holder,
        birth_date=fixed.birth_date,
        preferred_language=fixed.language,
        issuing_authority=fixed.authority,
        issue_date=fixed.issue,
        validity_begin=fixed.issue,
        expiry=fixed.expiry,
        licence=fixed.licence,
        chip=fixed.chip,
        downloaded_at=downloaded_at,
        activity_days=days,
        activity_ring_offset=offset,
        vehicles_used=history.vehicles.run(count - VEHICLE_RECORDS, count),
        places=history.places.run(2 * (count - PLACE_DAYS), 2 * count),
        current_usage=current,
        vehicle_units_used=history.units.run(count - VEHICLE_RECORDS, count) if fixed.generation.is_gen2 else (),
    )


@dataclass(frozen=True)
class CardIdentity:
    """What every download of one card says the same: the card, its holder, the licence and the chip."""

    generation: Generation
    number: str
    nation: int
    holder: HolderName
    birth_date: date
    language: str
    authority: str
    issue: datetime
    expiry: datetime
    licence: DrivingLicence
    chip: CardChip


def card_identity(crew: Crew, driver: Driver, card: DriverCard) -> CardIdentity:
    generation = tacho_generation(card.generation)
    if generation is Generation.GEN2V2:
        generation = Generation.GEN2V1
    rng = random.Random(derive_seed(crew.seed, "card", card.number))
    issue = day_start(card.issued)
    return CardIdentity(
        generation=generation,
        number=card.number,
        nation=card.nation,
        holder=HolderName(driver.surname, driver.first_names),
        birth_date=driver.birth_date,
        language=_language(driver.country),
        authority=_ISSUING_AUTHORITIES.get(driver.country, "Driver Card Authority"),
        issue=issue,
        expiry=day_start(card.expiry),
        licence=DrivingLicence("Driving Licence Authority", card.nation, f"L{rng.randint(10**9, 10**10 - 1)}"),
        chip=CardChip(ExtendedSerialNumber(rng.randint(1, 2**31), issue.month, issue.year, 1, 0xA1)),
    )


def _language(country: str) -> str:
    return {"NL": "nl", "DE": "de", "BE": "fr", "ES": "es", "FR": "fr", "PL": "pl", "IT": "it"}.get(country, "en")
