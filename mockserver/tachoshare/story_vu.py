"""World -> vehicle-unit download: the days a vehicle's archive holds, told with the crew's shifts.

The overview, events and technical data come from `mockserver.tachograph.simulate.build_vu_download` (given the
vehicle's facts without drivers); the days and the detailed speed are told here from `Crew`, so that every card
insertion names a driver of the world and appears the same way in that driver's card files.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from mockserver.tachograph.dayplan import derive_seed
from mockserver.tachograph.simulate import (
    SPEED_TABLE,
    CompanyFacts,
    VehicleFacts,
    at_minute,
    build_vu_download,
    days_between,
    gnss_near,
)
from mockserver.tachograph.types import (
    Activity,
    ActivityChange,
    EquipmentType,
    FullCardNumber,
    GnssPlace,
    HolderName,
    PlaceRecord,
    Slot,
    day_start,
)
from mockserver.tachograph.vu_model import (
    CardSlots,
    SpeedBlock,
    VehicleUnitDownload,
    VuActivityDay,
    VuCardInsertion,
    VuPlace,
)
from mockserver.tachoshare.crew import Crew, Shift
from mockserver.tachoshare.identity import driver_card, nation_number, tacho_generation
from mockserver.world.models import GenerationPeriod, Vehicle

SPEED_HISTORY_DAYS = 60
SPEED_MINUTES = 1440

# Rough centres of the registration countries, so GNSS places look local. Others use the default.
_HOMES: dict[str, tuple[float, float]] = {
    "NL": (52.1, 5.3),
    "DE": (51.2, 10.4),
    "BE": (50.6, 4.5),
    "FR": (46.6, 2.4),
    "ES": (40.4, -3.7),
    "PL": (52.0, 19.4),
    "IT": (42.8, 12.5),
}


def period_of(periods: tuple[GenerationPeriod, ...], day: date) -> tuple[GenerationPeriod, date | None]:
    """The generation period holding `day` and the date the next one starts (None: still current)."""
    current, following = periods[0], None
    for index, period in enumerate(periods):
        if period.since <= day:
            current = period
            following = periods[index + 1].since if index + 1 < len(periods) else None
    return current, following


def vehicle_facts(crew: Crew, vehicle: Vehicle, period: GenerationPeriod) -> VehicleFacts:
    """The facts of the vehicle unit fitted during `period` (drivers are told by the crew, not by these facts)."""
    account = crew.account
    company = None
    if vehicle.locked_company_card is not None:
        card = FullCardNumber(
            EquipmentType.COMPANY_CARD, nation_number(account.country), vehicle.locked_company_card, 2
        )
        known = any(c.card_number == vehicle.locked_company_card for c in account.company_cards)
        name = account.company_name if known else "Unknown company"
        company = CompanyFacts(name, f"{name}, {account.country}", card, day_start(max(period.since, crew.epoch)))
    latitude, longitude = _HOMES.get(vehicle.nation, (50.0, 8.0))
    return VehicleFacts(
        seed=derive_seed(crew.seed, account.name, "vehicle", vehicle.vin),
        vin=vehicle.vin,
        nation=nation_number(vehicle.nation),
        plate=vehicle.license_plate,
        generation=tacho_generation(period.generation),
        drivers=(),
        in_service_since=period.since,
        odometer_at_service_start=0,  # the days' odometers come from the crew
        company=company,
        latitude=latitude,
        longitude=longitude,
    )


def build_vehicle_download(
    crew: Crew, vehicle: Vehicle, start: date, end: date, downloaded_at: datetime, previous: datetime | None
) -> VehicleUnitDownload:
    """The VU file content for days [start, end), all of one generation period, as downloaded at `downloaded_at`."""
    period, _ = period_of(vehicle.generations, start)
    facts = vehicle_facts(crew, vehicle, period)
    base = build_vu_download(facts, start, end, downloaded_at, previous)  # overview, events, technical data
    days = tuple(_days(crew, vehicle, facts, start, end))
    overview = replace(base.overview, card_slots=_slots_at(crew, vehicle, downloaded_at))
    speed = _speed_blocks(crew, vehicle, facts, max(start, end - timedelta(days=SPEED_HISTORY_DAYS)), end)
    return replace(base, overview=overview, days=days, speed_blocks=speed)


def _days(crew: Crew, vehicle: Vehicle, facts: VehicleFacts, start: date, end: date) -> list[VuActivityDay]:
    gen2 = facts.generation.is_gen2
    days: list[VuActivityDay] = []
    odometer = 0
    for index, day in enumerate(days_between(start, end)):
        if index == 0 or day.weekday() == 0:
            odometer = crew.odometer(vehicle, day)
        shift = crew.vehicle_shift(vehicle, day)
        days.append(vu_day(facts, day, shift, odometer, gen2))
        if shift is not None:
            odometer += shift.plan.distance_km
    return days


def vu_day(facts: VehicleFacts, day: date, shift: Shift | None, odometer: int, gen2: bool) -> VuActivityDay:
    """One activities block: both slots at 00:00, then the driver's day, the card cycle and its two places."""
    changes = [
        ActivityChange(0, Activity.BREAK_REST, Slot.DRIVER, card_present=False),
        ActivityChange(0, Activity.BREAK_REST, Slot.CO_DRIVER, card_present=False),
    ]
    if shift is None:
        return VuActivityDay(day, odometer, (), tuple(changes), ())
    plan, driver = shift.plan, shift.driver
    changes.extend(plan.activity_changes(Slot.DRIVER, include_midnight=False))
    inserted = at_minute(day, plan.card_inserted or 0)
    withdrawn = at_minute(day, plan.card_withdrawn or 0)
    card = driver_card(driver, day)
    after = odometer + plan.distance_km
    insertion = VuCardInsertion(
        HolderName(driver.surname, driver.first_names),
        card.full_number,
        card.expiry,
        inserted,
        odometer,
        Slot.DRIVER,
        withdrawn,
        after,
        previous_vu_generation=2 if gen2 else 0,
    )
    places = (
        VuPlace(card.full_number, PlaceRecord(inserted, 0, facts.nation, 0, odometer, _gnss(facts, inserted, gen2))),
        VuPlace(card.full_number, PlaceRecord(withdrawn, 1, facts.nation, 0, after, _gnss(facts, withdrawn, gen2))),
    )
    return VuActivityDay(day, odometer, (insertion,), tuple(changes), places)


def _gnss(facts: VehicleFacts, when: datetime, gen2: bool) -> GnssPlace | None:
    return gnss_near(facts, when) if gen2 else None


def _slots_at(crew: Crew, vehicle: Vehicle, moment: datetime) -> CardSlots:
    shift = crew.vehicle_shift(vehicle, moment.date())
    minute = moment.hour * 60 + moment.minute
    if shift is not None and (shift.plan.card_inserted or 0) <= minute < (shift.plan.card_withdrawn or 0):
        return CardSlots(driver=1)
    return CardSlots()


def _speed_blocks(crew: Crew, vehicle: Vehicle, facts: VehicleFacts, oldest: date, end: date) -> tuple[SpeedBlock, ...]:
    """One block per driving minute of the last 24 h of driving before `end` (not before `oldest`)."""
    minutes: list[datetime] = []
    day = end - timedelta(days=1)
    while len(minutes) < SPEED_MINUTES and day >= oldest:
        shift = crew.vehicle_shift(vehicle, day)
        if shift is not None:
            for segment in reversed(shift.plan.segments):
                if segment.activity is Activity.DRIVING:
                    minutes.extend(at_minute(day, m) for m in range(segment.end - 1, segment.start - 1, -1))
        day -= timedelta(days=1)
    minutes = sorted(minutes[:SPEED_MINUTES])
    rng = random.Random(derive_seed(facts.seed, "speed", end.toordinal()))
    return tuple(SpeedBlock(moment, rng.randbytes(60).translate(SPEED_TABLE)) for moment in minutes)


