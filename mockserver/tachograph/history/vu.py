"""Vehicle-unit downloads told from a `Rota`: the days a unit recorded, its overview, events, speed and technical
data, deterministically under the unit's seed and the rota.

Gen2v2 units also record the Mobility Package day records, roadside controls, events beyond power interruptions
and two-driver crews (`vu_mobility.py`); every unit records its faults (`vu_faults.py`), a Gen1 or Gen2v1 one when
its account lets it. Not simulated: the Mobility Package records, other events and crews in Gen1 and Gen2v1 files.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from mockserver.tachograph.crewday import co_slot_plan, sessions
from mockserver.tachograph.dayplan import DriverDayPlan, derive_seed, driven_before
from mockserver.tachograph.history.card_events import (
    POWER_SUPPLY_INTERRUPTION,
    PowerInterruption,
    power_interruptions,
)
from mockserver.tachograph.history.rota import (
    CardInUse,
    Rota,
    Shift,
    VehicleUnit,
    at_minute,
    days_between,
    gnss_near,
)
from mockserver.tachograph.history.vu_faults import FAULT_PURPOSE, VuFault, day_faults, kept, records_faults
from mockserver.tachograph.history.vu_mobility import (
    controls_of,
    crew_changes,
    mobility_events,
    slot_two_at,
    vehicle_days,
    with_mobility,
    with_overspeeds,
)
from mockserver.tachograph.types import (
    Activity,
    ActivityChange,
    EquipmentType,
    ExtendedSerialNumber,
    FullCardNumber,
    Generation,
    GnssPlace,
    PlaceRecord,
    Slot,
    day_start,
)
from mockserver.tachograph.vu_model import (
    Calibration,
    CardSlots,
    CompanyLock,
    ControlActivity,
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
SPEED_HISTORY_DAYS = 60
SPEED_MINUTES = 1440
EVENTS_KEPT = 255
CONTROLS_KEPT = 20
CALIBRATIONS_KEPT = 5
CALIBRATION_INTERVAL_DAYS = 730


def build_vu_download(
    rota: Rota,
    vin: str,
    start: date,
    end: date,
    now: datetime,
    previous_download: datetime | None = None,
    speed: bool = True,
) -> VehicleUnitDownload:
    """The VU file content of the vehicle's days [start, end), all recorded by the unit fitted on `start`, as
    downloaded at `now` (after a download at `previous_download`, if any); with the detailed speed if `speed`."""
    unit = rota.unit(vin, start)
    locks: tuple[CompanyLock, ...] = ()
    previous = None
    company = unit.company
    if company is not None:
        locks = (CompanyLock(company.locked_since, None, company.name, company.address, company.card),)
        if previous_download is not None:
            previous = PreviousDownload(previous_download, company.card, company.name)
    slots = _slots_at(rota, vin, now)
    days = _days(rota, unit, start, end)
    events = _events(rota, unit, start, end)
    controls: tuple[ControlActivity, ...] = ()
    blocks = _speed_blocks(rota, unit, max(start, end - timedelta(days=SPEED_HISTORY_DAYS)), end) if speed else None
    if unit.generation is Generation.GEN2V2:
        records = vehicle_days(rota, unit, start, end)
        days = [with_mobility(rota, block, record) for block, record in zip(days, records, strict=True)]
        events = mobility_events(rota, records, events, EVENTS_KEPT)
        controls = controls_of(records, CONTROLS_KEPT)
        blocks = with_overspeeds(blocks, records[-SPEED_HISTORY_DAYS:]) if blocks is not None else None
    since = day_start(unit.in_service_since)
    overview = VuOverview(vin, unit.registration, now, since, now, slots, previous, locks, controls)
    return VehicleUnitDownload(
        unit.generation,
        overview,
        tuple(days),
        events,
        blocks,
        _technical(unit, now),
    )


def _days(rota: Rota, unit: VehicleUnit, start: date, end: date) -> list[VuActivityDay]:
    gen2 = unit.generation.is_gen2
    at_end = rota.midnight_reading
    days: list[VuActivityDay] = []
    for day in days_between(start, end):
        odometer = rota.odometer(unit.vin, day)
        shift = rota.vehicle_shift(unit.vin, day)
        if shift is None:
            days.append(VuActivityDay(day, odometer, (), _MIDNIGHT, ()))
        else:
            days.append(_worked_day(rota, unit, day, shift, odometer, gen2, at_end))
    return days


_MIDNIGHT = (  # both slots at 00:00: no card
    ActivityChange(0, Activity.BREAK_REST, Slot.DRIVER, card_present=False),
    ActivityChange(0, Activity.BREAK_REST, Slot.CO_DRIVER, card_present=False),
)


def _worked_day(
    rota: Rota, unit: VehicleUnit, day: date, shift: Shift, odometer: int, gen2: bool, at_end: int
) -> VuActivityDay:
    """One activities block: both slots at 00:00, then the driver's day, the card cycle and its two places."""
    plan = shift.plan
    holder, card, expiry = rota.card_in_use(shift.driver, day)
    inserted = at_minute(day, plan.card_inserted or 0)
    withdrawn = at_minute(day, plan.card_withdrawn or 0)
    after = odometer + plan.distance_km
    insertion = VuCardInsertion(
        holder, card, expiry, inserted, odometer, Slot.DRIVER, withdrawn, after, previous_vu_generation=2 if gen2 else 0
    )
    places: tuple[VuPlace, ...] = (
        VuPlace(card, PlaceRecord(inserted, 0, unit.nation, 0, odometer, _gnss(unit, inserted, gen2))),
        VuPlace(card, PlaceRecord(withdrawn, 1, unit.nation, 0, after, _gnss(unit, withdrawn, gen2))),
    )
    changes = plan.activity_changes(Slot.DRIVER, include_midnight=False)
    insertions: tuple[VuCardInsertion, ...] = (insertion,)
    if shift.partner is not None:  # a crew: the co-driver's card in slot 2, the two swapping at every turn
        second = rota.card_in_use(shift.partner, day)
        places += tuple(replace(place, card=second.card) for place in places)
        insertions = _crew_insertions(insertion, second, plan, odometer)
        changes = crew_changes(changes, co_slot_plan(plan))
    return VuActivityDay(day, after if at_end else odometer, insertions, _MIDNIGHT + changes, places)


def _crew_insertions(
    lead: VuCardInsertion, second: CardInUse, plan: DriverDayPlan, odometer: int
) -> tuple[VuCardInsertion, ...]:
    """One VuCardIWRecord per card and session: a crew's cards come out and go into the other slot at each turn."""
    day = plan.day
    driving = plan.driving_minutes

    def reading(minute: int) -> int:
        return odometer + (plan.distance_km * driven_before(plan, minute) // driving if driving else 0)

    records: list[VuCardInsertion] = []
    for is_lead in (True, False):
        base = lead if is_lead else replace(lead, holder=second.holder, card=second.card, card_expiry=second.expiry)
        for start, end, slot in sessions(plan, is_lead):
            records.append(
                replace(
                    base,
                    inserted_at=at_minute(day, start),
                    odometer_at_insertion=reading(start),
                    slot=slot,
                    withdrawn_at=at_minute(day, end),
                    odometer_at_withdrawal=reading(end),
                )
            )
    return tuple(sorted(records, key=lambda r: (r.inserted_at, r.slot)))


def _gnss(unit: VehicleUnit, when: datetime, gen2: bool) -> GnssPlace | None:
    return gnss_near(unit, when) if gen2 else None


def _slots_at(rota: Rota, vin: str, moment: datetime) -> CardSlots:
    shift = rota.vehicle_shift(vin, moment.date())
    minute = moment.hour * 60 + moment.minute
    if shift is not None and (shift.plan.card_inserted or 0) <= minute < (shift.plan.card_withdrawn or 0):
        return CardSlots(driver=1, co_driver=1 if slot_two_at(rota, vin, moment) else 0)
    return CardSlots()


def _events(rota: Rota, unit: VehicleUnit, start: date, end: date) -> VuEventsAndFaults:
    """Rare power-supply interruptions (about one in a hundred days; naming the cards in the slots if the unit's
    account lets it, `card_events`) and the unit's faults (`vu_faults`), if it records them. Gen2v2 units add the
    Mobility Package events (`vu_mobility.mobility_events`)."""
    events: list[VuEventOrFault] = []
    faults: list[VuFault] = []
    recorded = records_faults(unit)
    for day in days_between(start, end):
        for e in power_interruptions(rota, unit, day):
            # EventFaultRecordPurpose 0x01: the longest event of one of the last 10 days of occurrence
            events.append(_record(rota, unit, POWER_SUPPLY_INTERRUPTION, 0x01, e, day))
        if recorded:
            faults += day_faults(rota, unit, day)
    records = tuple(_record(rota, unit, int(f.kind), FAULT_PURPOSE, f, f.begin.date()) for f in kept(faults))
    return VuEventsAndFaults(records, tuple(events[-EVENTS_KEPT:]))


def _card(rota: Rota, unit: VehicleUnit, key: str | None, day: date) -> FullCardNumber | None:
    """The card of rota key `key` on `day` as the unit records it (None: an empty slot)."""
    if key is None:
        return None
    number = rota.card_in_use(key, day).card
    return number if unit.generation.is_gen2 else replace(number, generation=1)  # Gen1: no generation byte


def _record(
    rota: Rota, unit: VehicleUnit, code: int, purpose: int, incident: PowerInterruption | VuFault, day: date
) -> VuEventOrFault:
    """The unit's record of an event or fault, naming the cards in its slots at its begin and end on `day`."""
    keys = (incident.driver_begin, incident.co_driver_begin, incident.driver_end, incident.co_driver_end)
    driver_begin, co_driver_begin, driver_end, co_driver_end = (_card(rota, unit, key, day) for key in keys)
    return VuEventOrFault(
        code, purpose, incident.begin, incident.end, driver_begin, co_driver_begin, driver_end, co_driver_end
    )


def _speed_blocks(rota: Rota, unit: VehicleUnit, oldest: date, end: date) -> tuple[SpeedBlock, ...]:
    """One block per driving minute of the last 24 h of driving before `end` (not before `oldest`)."""
    minutes: list[datetime] = []
    day = end - timedelta(days=1)
    while len(minutes) < SPEED_MINUTES and day >= oldest:
        shift = rota.vehicle_shift(unit.vin, day)
        if shift is not None:
            for segment in reversed(shift.plan.segments):
                if segment.activity is Activity.DRIVING:
                    minutes.extend(at_minute(day, m) for m in range(segment.end - 1, segment.start - 1, -1))
        day -= timedelta(days=1)
    minutes = sorted(minutes[:SPEED_MINUTES])
    rng = random.Random(derive_seed(unit.seed, "speed", end.toordinal()))
    return tuple(SpeedBlock(moment, rng.randbytes(60).translate(SPEED_TABLE)) for moment in minutes)


def _technical(unit: VehicleUnit, now: datetime) -> VuTechnicalData:
    rng = random.Random(derive_seed(unit.seed, "technical"))
    installed = day_start(unit.in_service_since)
    gen2, gen2v2 = unit.generation.is_gen2, unit.generation is Generation.GEN2V2
    serial = ExtendedSerialNumber(rng.randint(1, 9_999_999), installed.month, installed.year, 6, 0xA1)
    ident = VuIdentification(
        "Fleetmock Tachographs",
        "Simulation Street 1, Berlin",
        "FM-VU-2000.01" if gen2 else "FM-VU-1000.01",
        serial,
        "0401",
        installed,
        installed - timedelta(days=30),
        "e1-194" if gen2 else "e1-84",
        "EU-2023.1" if gen2v2 else "",
    )
    sensor = SensorPairing(
        ExtendedSerialNumber(rng.randint(1, 9_999_999), 1, installed.year, 7, 0xA1), "e1-123", installed
    )
    return VuTechnicalData(ident, sensor, _calibrations(unit, installed, now))


def _calibrations(unit: VehicleUnit, installed: datetime, now: datetime) -> tuple[Calibration, ...]:
    """The first installation, then periodic inspections every two years, up to `now`."""
    workshop = FullCardNumber(EquipmentType.WORKSHOP_CARD, unit.nation, f"W{unit.seed % 10**12:012d}000")
    calibrations: list[Calibration] = []
    when = installed
    purpose = 2  # first installation, then 4: periodic inspection
    while when <= now:
        calibrations.append(
            Calibration(
                purpose,
                "Fleetmock Workshop",
                "Workshop Road 2",
                workshop,
                (when + timedelta(days=365 * 5)).date(),
                unit.vin,
                unit.registration,
                8000,
                8000,
                3200,
                "315/70R22.5",
                90,
                0,
                0,
                when,
                when,
                (when + timedelta(days=CALIBRATION_INTERVAL_DAYS)).date(),
                unit.nation if unit.generation is Generation.GEN2V2 else 0,
            )
        )
        when += timedelta(days=CALIBRATION_INTERVAL_DAYS)
        purpose = 4
    return tuple(calibrations[-CALIBRATIONS_KEPT:])
