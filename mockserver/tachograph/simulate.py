"""Build VU and driver-card downloads from a few facts about a vehicle and its drivers, deterministically.

The world code passes plain facts (`VehicleFacts`, `DriverFacts`); everything else (days, odometer, places,
events, speed, technical data) derives from their seeds and the dates, one independent day plan per (driver,
date). Who drives a vehicle on a day: its drivers take turns by ISO week (`on_duty_driver`).
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockserver.tachograph.dayplan import DriverDayPlan, derive_seed, plan_driver_day
from mockserver.tachograph.types import (
    Activity,
    ActivityChange,
    EquipmentType,
    ExtendedSerialNumber,
    FullCardNumber,
    Generation,
    GnssPlace,
    HolderName,
    PlaceRecord,
    Slot,
    VehicleRegistration,
    day_start,
    degrees_to_geo,
)
from mockserver.tachograph.vu_model import (
    Calibration,
    CardSlots,
    CompanyLock,
    PreviousDownload,
    SensorPairing,
    SpeedBlock,
    VehicleUnitDownload,
    VuActivityDay,
    VuCardInsertion,
    VuEventOrFault,
    VuEventsAndFaults,
    VuIdentification,
    VuOverview,
    VuPlace,
    VuTechnicalData,
)

SPEED_TABLE = bytes(68 + (i % 21) for i in range(256))  # random byte -> 68..88 km/h


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
            EquipmentType.DRIVER_CARD,
            self.nation,
            self.card_number,
            self.card_generation.card_generation_byte,
        )


@dataclass(frozen=True)
class CompanyFacts:
    name: str
    address: str
    card: FullCardNumber
    locked_since: datetime


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

    @property
    def registration(self) -> VehicleRegistration:
        return VehicleRegistration(self.nation, self.plate)


def on_duty_driver(vehicle: VehicleFacts, day: date) -> DriverFacts | None:
    if not vehicle.drivers:
        return None
    return vehicle.drivers[day.isocalendar()[1] % len(vehicle.drivers)]


@functools.lru_cache(maxsize=65536)
def cached_plan(seed: int, day: date) -> DriverDayPlan:
    return plan_driver_day(seed, day)


def _vehicle_plan(vehicle: VehicleFacts, day: date) -> tuple[DriverFacts | None, DriverDayPlan]:
    driver = on_duty_driver(vehicle, day)
    if driver is None or day < vehicle.in_service_since:
        return None, DriverDayPlan(day, (), 0)
    return driver, cached_plan(driver.seed, day)


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days)]


def at_minute(day: date, minute: int) -> datetime:
    return day_start(day) + timedelta(minutes=minute)


def gnss_near(vehicle: VehicleFacts, when: datetime) -> GnssPlace:
    """A position within half a degree of the vehicle's home and an accuracy of 1-5, deterministic in (vehicle
    seed, moment). Drawn straight from one SHA-256 digest, not a seeded `random.Random`: a 2-year card ZIP asks
    for thousands of places, and seeding a Mersenne Twister costs more than the rest of a place."""
    digest = hashlib.sha256(f"{vehicle.seed}|place|{when.isoformat()}".encode()).digest()
    lat = vehicle.latitude + int.from_bytes(digest[0:8], "big") / 2**64 - 0.5
    lon = vehicle.longitude + int.from_bytes(digest[8:16], "big") / 2**64 - 0.5
    return GnssPlace(when, 1 + digest[16] % 5, degrees_to_geo(lat), degrees_to_geo(lon), 1)


def build_vu_download(
    vehicle: VehicleFacts,
    start: date,
    end: date,
    now: datetime,
    previous_download: datetime | None = None,
) -> VehicleUnitDownload:
    """The VU file content for activity days [start, end) as downloaded at `now`."""
    gen2 = vehicle.generation.is_gen2
    odometer = vehicle.odometer_at_service_start
    for day in days_between(vehicle.in_service_since, start):
        odometer += _vehicle_plan(vehicle, day)[1].distance_km
    days: list[VuActivityDay] = []
    for day in days_between(start, end):
        driver, plan = _vehicle_plan(vehicle, day)
        days.append(_vu_day(vehicle, driver, plan, odometer, gen2))
        odometer += plan.distance_km
    registration = vehicle.registration
    locks: tuple[CompanyLock, ...] = ()
    previous = None
    if vehicle.company is not None:
        company = vehicle.company
        locks = (CompanyLock(company.locked_since, None, company.name, company.address, company.card),)
        if previous_download is not None:
            previous = PreviousDownload(previous_download, company.card, company.name)
    overview = VuOverview(
        vehicle.vin,
        registration,
        now,
        day_start(vehicle.in_service_since),
        now,
        _slots_at(vehicle, now),
        previous,
        locks,
    )
    return VehicleUnitDownload(
        vehicle.generation,
        overview,
        tuple(days),
        _events(vehicle, start, end),
        _speed_blocks(vehicle, end),
        _technical(vehicle, now),
    )


def _vu_day(
    vehicle: VehicleFacts, driver: DriverFacts | None, plan: DriverDayPlan, odometer: int, gen2: bool
) -> VuActivityDay:
    day = plan.day
    changes = [
        ActivityChange(0, Activity.BREAK_REST, Slot.DRIVER, card_present=False),
        ActivityChange(0, Activity.BREAK_REST, Slot.CO_DRIVER, card_present=False),
    ]
    insertions: tuple[VuCardInsertion, ...] = ()
    places: tuple[VuPlace, ...] = ()
    if driver is not None and plan.working:
        changes.extend(plan.activity_changes(Slot.DRIVER, include_midnight=False))
        inserted = at_minute(day, plan.card_inserted or 0)
        withdrawn = at_minute(day, plan.card_withdrawn or 0)
        card = driver.card
        insertions = (
            VuCardInsertion(
                HolderName(driver.surname, driver.first_names),
                card,
                driver.card_expiry,
                inserted,
                odometer,
                Slot.DRIVER,
                withdrawn,
                odometer + plan.distance_km,
                previous_vu_generation=2 if gen2 else 0,
            ),
        )
        places = (
            VuPlace(card, PlaceRecord(inserted, 0, vehicle.nation, 0, odometer, _place(vehicle, inserted, gen2))),
            VuPlace(
                card,
                PlaceRecord(
                    withdrawn,
                    1,
                    vehicle.nation,
                    0,
                    odometer + plan.distance_km,
                    _place(vehicle, withdrawn, gen2),
                ),
            ),
        )
    return VuActivityDay(day, odometer + plan.distance_km, insertions, tuple(changes), places)


def _place(vehicle: VehicleFacts, when: datetime, gen2: bool) -> GnssPlace | None:
    return gnss_near(vehicle, when) if gen2 else None


def _slots_at(vehicle: VehicleFacts, now: datetime) -> CardSlots:
    driver, plan = _vehicle_plan(vehicle, now.date())
    minute = now.hour * 60 + now.minute
    if driver is not None and plan.working and (plan.card_inserted or 0) <= minute < (plan.card_withdrawn or 0):
        return CardSlots(driver=1)
    return CardSlots()


def _events(vehicle: VehicleFacts, start: date, end: date) -> VuEventsAndFaults:
    """Rare power-supply interruptions (about one in a hundred days). Not simulated: other event types."""
    events: list[VuEventOrFault] = []
    for day in days_between(start, end):
        rng = random.Random(derive_seed(vehicle.seed, "event", day.toordinal()))
        if rng.random() < 0.01:
            begin = at_minute(day, rng.randint(0, 1400))
            events.append(VuEventOrFault(0x08, 0x01, begin, begin + timedelta(seconds=rng.randint(5, 600))))
    return VuEventsAndFaults(events=tuple(events[-255:]))


def _speed_blocks(vehicle: VehicleFacts, end: date) -> tuple[SpeedBlock, ...]:
    """One block per driving minute of the last 24 h of driving before `end` (at most 60 days back)."""
    minutes: list[datetime] = []
    day = end - timedelta(days=1)
    while len(minutes) < 1440 and day >= max(vehicle.in_service_since, end - timedelta(days=60)):
        _, plan = _vehicle_plan(vehicle, day)
        for segment in reversed(plan.segments):
            if segment.activity is Activity.DRIVING:
                for minute in range(segment.end - 1, segment.start - 1, -1):
                    minutes.append(at_minute(day, minute))
        day -= timedelta(days=1)
    minutes = sorted(minutes[:1440])
    rng = random.Random(derive_seed(vehicle.seed, "speed", end.toordinal()))
    return tuple(SpeedBlock(moment, rng.randbytes(60).translate(SPEED_TABLE)) for moment in minutes)


def _technical(vehicle: VehicleFacts, now: datetime) -> VuTechnicalData:
    rng = random.Random(derive_seed(vehicle.seed, "technical"))
    installed = day_start(vehicle.in_service_since)
    serial = ExtendedSerialNumber(rng.randint(1, 9_999_999), installed.month, installed.year, 6, 0xA1)
    ident = VuIdentification(
        "Fleetmock Tachographs",
        "Simulation Street 1, Berlin",
        "FM-VU-2000.01" if vehicle.generation.is_gen2 else "FM-VU-1000.01",
        serial,
        "0401",
        installed,
        installed - timedelta(days=30),
        "e1-84" if not vehicle.generation.is_gen2 else "e1-194",
        "EU-2023.1" if vehicle.generation is Generation.GEN2V2 else "",
    )
    sensor = SensorPairing(
        ExtendedSerialNumber(rng.randint(1, 9_999_999), 1, installed.year, 7, 0xA1), "e1-123", installed
    )
    workshop = FullCardNumber(EquipmentType.WORKSHOP_CARD, vehicle.nation, f"W{vehicle.seed % 10**12:012d}000")
    calibrations: list[Calibration] = []
    when = installed
    purpose = 2  # first installation, then periodic inspections every two years
    while when <= now:
        calibrations.append(
            Calibration(
                purpose,
                "Fleetmock Workshop",
                "Workshop Road 2",
                workshop,
                (when + timedelta(days=365 * 5)).date(),
                vehicle.vin,
                vehicle.registration,
                8000,
                8000,
                3200,
                "315/70R22.5",
                90,
                0,
                0,
                when,
                when,
                (when + timedelta(days=730)).date(),
                vehicle.nation if vehicle.generation is Generation.GEN2V2 else 0,
            )
        )
        when += timedelta(days=730)
        purpose = 4
    return VuTechnicalData(ident, sensor, tuple(calibrations[-5:]))
