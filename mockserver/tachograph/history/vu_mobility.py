"""What a Gen2v2 vehicle unit records of the Mobility Package day records (`mobility.py`) and of crews: the
activities block's GNSS accumulated-driving, border-crossing and load/unload records, the co-driver's card cycle,
activities and places in slot 2, driving without a card in the activities, roadside controls in the overview, and
events (card conflict, driving without an appropriate card, over-speeding, each kept with its own purpose by its
own storage rule: `vu_storage.py`) and time adjustments.

Only Gen2v2 units get them: Gen1 and Gen2v1 files stay as they were (byte for byte).
Not simulated: those records in Gen1 and Gen2v1 files (faults are every generation's: `vu_faults.py`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from mockserver.tachograph.dayplan import DriverDayPlan
from mockserver.tachograph.history.mobility import Incident, IncidentType, VehicleDay, vehicle_day
from mockserver.tachograph.history.rota import Rota, VehicleUnit, days_between
from mockserver.tachograph.history.vu_storage import Purpose, by_day_and_year, duration, most_recent, seriousness
from mockserver.tachograph.types import Activity, ActivityChange, FullCardNumber, Slot, day_start
from mockserver.tachograph.vu_model import (
    ControlActivity,
    OverspeedControl,
    OverspeedEvent,
    SpeedBlock,
    VuActivityDay,
    VuBorderCrossing,
    VuEventOrFault,
    VuEventsAndFaults,
    VuGnssAccumulatedDriving,
    VuLoadUnload,
    VuTimeAdjustment,
)

TIME_ADJUSTMENTS_KEPT = 6  # VuTimeAdjustmentData holds the six most recent (data dictionary: 0..6)


class _Cards:
    """The card numbers of a vehicle day's rota keys."""

    def __init__(self, rota: Rota, day: date) -> None:
        self.rota = rota
        self.day = day

    def of(self, driver: str | None) -> FullCardNumber | None:
        return None if driver is None else self.rota.card_in_use(driver, self.day).card


def vehicle_days(rota: Rota, unit: VehicleUnit, start: date, end: date) -> list[VehicleDay]:
    return [vehicle_day(rota, unit.vin, day) for day in days_between(start, end)]


def with_mobility(rota: Rota, block: VuActivityDay, record: VehicleDay) -> VuActivityDay:
    """The activities block of a Gen2v2 unit's day with the day's records and its unattended driving."""
    cards = _Cards(rota, block.day)

    def at(moment: datetime) -> tuple[FullCardNumber | None, FullCardNumber | None]:
        """The cards in slot 1 and slot 2 at `moment` (a crew swaps them at every turn)."""
        driver, co_driver = record.holders(moment)
        return cards.of(driver), cards.of(co_driver)

    positions = tuple(
        VuGnssAccumulatedDriving(p.at, *at(p.at), p.position, p.odometer) for p in record.positions
    )
    crossings = tuple(
        VuBorderCrossing(*at(c.at), c.country_left, c.country_entered, c.position, c.odometer)
        for c in record.crossings
    )
    loads = tuple(VuLoadUnload(o.at, int(o.operation), *at(o.at), o.position, o.odometer) for o in record.loads)
    changes = _with_unattended_driving(block.activity_changes, record)
    return replace(
        block,
        activity_changes=changes,
        gnss_accumulated_driving=positions,
        border_crossings=crossings,
        load_operations=loads,
    )


def crew_changes(driver_changes: tuple[ActivityChange, ...], co_plan: DriverDayPlan) -> tuple[ActivityChange, ...]:
    """Both slots' changes after the two midnight words, in time order, marked as a crew while both cards are in.
    `co_plan` is the co-driver slot's day (`crewday.co_slot_plan`), whichever card is in it."""
    crew = [replace(c, crew=True) if c.card_present else c for c in driver_changes]
    co = [
        replace(c, crew=True) if c.card_present else c
        for c in co_plan.activity_changes(Slot.CO_DRIVER, include_midnight=False)
    ]
    return tuple(sorted(crew + co, key=lambda c: (c.minute, c.slot)))


def _with_unattended_driving(changes: tuple[ActivityChange, ...], record: VehicleDay) -> tuple[ActivityChange, ...]:
    """Driving with no card in the driver slot (before the insertion), then rest again."""
    unattended = [i for i in record.incidents if i.kind is IncidentType.DRIVING_WITHOUT_CARD]
    if not unattended:
        return changes
    added: list[ActivityChange] = []
    for incident in unattended:
        begin, end = _minute(incident.begin), _minute(incident.end)
        added.append(ActivityChange(begin, Activity.DRIVING, Slot.DRIVER, card_present=False))
        added.append(ActivityChange(end, Activity.BREAK_REST, Slot.DRIVER, card_present=False))
    head, tail = changes[:2], changes[2:]
    return head + tuple(sorted([*added, *tail], key=lambda c: (c.minute, c.slot)))


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def mobility_events(rota: Rota, records: list[VehicleDay], base: VuEventsAndFaults, kept: int) -> VuEventsAndFaults:
    """`base` (power interruptions) with the days' events and over-speeding as the unit stores them
    (`vu_storage`: each type by its own rule and purpose, newest `kept` in all), and time adjustments."""
    found: dict[IncidentType, list[VuEventOrFault]] = {}
    overspeeds: list[OverspeedEvent] = []
    adjustments: list[VuTimeAdjustment] = []
    controls: list[datetime] = []
    for record in records:
        cards = _Cards(rota, record.day)
        for incident in record.incidents:
            if incident.kind is IncidentType.OVER_SPEEDING:
                overspeeds.append(_overspeed(incident, cards))
            else:
                found.setdefault(incident.kind, []).append(_event(incident, cards))
        adjustments += [
            VuTimeAdjustment(a.old_time, a.new_time, a.workshop_name, a.workshop_address, a.workshop_card)
            for a in record.time_adjustments
        ]
        controls += [c.at for c in record.controls]
    until = day_start(records[-1].day + timedelta(days=1) if records else date(1970, 1, 1))  # the window's end
    events = [
        *base.events,
        *most_recent(found.get(IncidentType.CARD_CONFLICT, [])),
        *by_day_and_year(
            found.get(IncidentType.DRIVING_WITHOUT_CARD, []),
            duration,
            Purpose.LONGEST_OF_DAY,
            Purpose.LONGEST_OF_YEAR,
            until,
        ),
    ]
    events.sort(key=lambda e: e.begin)
    last_control = controls[-1] if controls else None
    since = [o for o in overspeeds if last_control is None or o.begin > last_control]
    control = OverspeedControl(last_control, since[0].begin if since else None, min(len(since), 255))
    stored = by_day_and_year(overspeeds, seriousness, Purpose.MOST_SERIOUS_OF_DAY, Purpose.MOST_SERIOUS_OF_YEAR, until)
    return VuEventsAndFaults(
        base.faults,
        tuple(events[-kept:]),
        control,
        tuple(stored[-kept:]),
        tuple(adjustments[-TIME_ADJUSTMENTS_KEPT:]),
    )


def _event(incident: Incident, cards: _Cards) -> VuEventOrFault:
    """The event as detected; its purpose and similar-events count are set when stored (`vu_storage`)."""
    driver, co_driver = cards.of(incident.driver), cards.of(incident.co_driver)
    return VuEventOrFault(int(incident.kind), 0, incident.begin, incident.end, driver, co_driver, driver, co_driver)


def _overspeed(incident: Incident, cards: _Cards) -> OverspeedEvent:
    return OverspeedEvent(
        int(incident.kind),
        0,
        incident.begin,
        incident.end,
        incident.max_speed,
        incident.average_speed,
        cards.of(incident.driver),
        0,
    )


def controls_of(records: list[VehicleDay], kept: int) -> tuple[ControlActivity, ...]:
    """The roadside controls of the days, newest `kept`."""
    found = [
        ControlActivity(c.control_type, c.at, c.control_card, c.period_begin, c.period_end)
        for record in records
        for c in record.controls
    ]
    return tuple(found[-kept:])


def slot_two_at(rota: Rota, vin: str, moment: datetime) -> bool:
    """A co-driver's card is in slot 2 at `moment`."""
    shift = rota.vehicle_shift(vin, moment.date())
    if shift is None or shift.co_driver is None:
        return False
    minute = _minute(moment)
    return (shift.plan.card_inserted or 0) <= minute < (shift.plan.card_withdrawn or 0)


def with_overspeeds(blocks: tuple[SpeedBlock, ...], records: list[VehicleDay]) -> tuple[SpeedBlock, ...]:
    """The detailed speed showing the over-speeding events: inside an event every second is at its average speed
    but the middle one, at its maximum."""
    incidents = [i for r in records for i in r.incidents if i.kind is IncidentType.OVER_SPEEDING]
    if not incidents or not blocks:
        return blocks
    result = list(blocks)
    for incident in incidents:
        middle = incident.begin + (incident.end - incident.begin) / 2
        for index, block in enumerate(result):
            if block.begin + timedelta(seconds=60) <= incident.begin or block.begin >= incident.end:
                continue
            speeds = bytearray(block.speeds)
            for second in range(60):
                moment = block.begin + timedelta(seconds=second)
                if incident.begin <= moment < incident.end:
                    top = abs(moment - middle) < timedelta(seconds=1)
                    speeds[second] = incident.max_speed if top else incident.average_speed
            result[index] = SpeedBlock(block.begin, bytes(speeds))
    return tuple(result)
