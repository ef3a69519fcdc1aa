"""What a vehicle day holds beyond activities (Mobility Package, smart tachograph 2): border crossings, load and
unload operations, GNSS positions of accumulated driving, roadside controls, VU events (card conflict, driving
without an appropriate card, over-speeding) and time adjustments. Plain dataclasses, deterministic in the unit's
seed, the day and the rota's shift: nothing here knows of bytes or HTTP.

`vehicle_day(rota, vin, day)` tells one vehicle day. Everything happens inside the day's card session (insertion
to withdrawal) but driving without a card (minutes before the insertion, no card in either slot) and time
adjustments (at night, by a workshop). Records name card holders by the rota's driver keys (`driver`,
`co_driver` of the `VehicleDay`: who went into slot 1 and slot 2): a two-driver crew has both slots in use from
insertion to withdrawal and swaps cards at every turn (`crewday`), so `VehicleDay.holders(moment)` says who was in
which slot when a record was made.

For a driver card (the card builder, `card.py`): for each `WorkedDay` w of a `CardHistory`,
`vehicle_day(history.rota, w.unit.vin, w.day).for_card(history.driver)` is what that card saw that day
(`CardDay`: crossings, loads, accumulated-driving positions, controls, and the events with the card in a slot);
`CardDay.slot` says which slot the card went into (a co-driver's card days are in its `CardHistory.worked` too,
and `rota.driver_shift(driver, day).slot` says the same).

Rules (the tests check them): a day with crossings starts and ends in the unit's country and each crossing leaves
the country the previous one entered; crossings, positions and over-speeding happen at driving minutes of the
driver's plan; loads and unloads during its work; positions at every three hours of accumulated driving
(`dayplan.accumulated_driving_marks`); odometers grow with the driving done before the moment.
Not simulated: trips that end the day abroad, regions, positions along a real route (places are drawn near the
unit's home, `rota.gnss_drawn`), controls that insert a control card into a slot. Faults: `vu_faults.py`.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum

from mockserver.tachograph.crewday import crew_turns
from mockserver.tachograph.dayplan import (
    DriverDayPlan,
    accumulated_driving_marks,
    derive_seed,
)
from mockserver.tachograph.history.rota import Rota, Shift, VehicleUnit, gnss_drawn
from mockserver.tachograph.types import Activity, EquipmentType, FullCardNumber, GnssPlace, Slot, day_start

CROSSING_DAY_RATE = 0.3
CONTROL_DAY_RATE = 0.02
CARD_CONFLICT_RATE = 0.01
NO_CARD_DRIVING_RATE = 0.02
OVERSPEED_RATE = 0.05
TIME_ADJUSTMENT_RATE = 0.01  # about one day in a hundred
OVERSPEED_LIMIT = 90  # km/h: an over-speeding event is more than 60 s above the set speed

# NationNumeric neighbours reachable by road (a selection; islands and others have none).
NEIGHBOURS: dict[int, tuple[int, ...]] = {
    0x01: (0x0D, 0x1A, 0x0A, 0x0C, 0x2D, 0x18, 0x2E),  # A
    0x06: (0x26, 0x0D, 0x11, 0x1E),  # B
    0x0A: (0x0D, 0x11, 0x1A, 0x01),  # CH
    0x0C: (0x0D, 0x28, 0x2D, 0x01),  # CZ
    0x0D: (0x26, 0x06, 0x1E, 0x11, 0x0A, 0x01, 0x0C, 0x28, 0x0E),  # D
    0x0E: (0x0D,),  # DK
    0x0F: (0x11, 0x27),  # E
    0x11: (0x06, 0x1E, 0x0D, 0x0A, 0x1A, 0x0F),  # F
    0x18: (0x01, 0x2D, 0x29),  # H
    0x1A: (0x11, 0x0A, 0x01, 0x2E),  # I
    0x1E: (0x06, 0x0D, 0x11),  # L
    0x26: (0x06, 0x0D),  # NL
    0x27: (0x0F,),  # P
    0x28: (0x0D, 0x0C, 0x2D, 0x1F),  # PL
    0x2D: (0x0C, 0x28, 0x01, 0x18),  # SK
}


class OperationType(IntEnum):
    """OperationType (data dictionary 2.114a)."""

    LOAD = 1
    UNLOAD = 2
    SIMULTANEOUS = 3


class IncidentType(IntEnum):
    """EventFaultType codes of the VU events simulated here."""

    CARD_CONFLICT = 0x02
    DRIVING_WITHOUT_CARD = 0x04
    OVER_SPEEDING = 0x07


@dataclass(frozen=True)
class BorderCrossing:
    at: datetime
    country_left: int
    country_entered: int
    position: GnssPlace
    odometer: int


@dataclass(frozen=True)
class LoadOperation:
    at: datetime
    operation: OperationType
    position: GnssPlace
    odometer: int


@dataclass(frozen=True)
class DrivingPosition:
    """The position where the accumulated driving reached `driven_minutes` (a multiple of three hours)."""

    at: datetime
    driven_minutes: int
    position: GnssPlace
    odometer: int


@dataclass(frozen=True)
class RoadsideControl:
    """A control of the driver by an officer: `control_type` is the ControlType bit string `cvpd0000` (card
    downloaded, VU downloaded, printing, display); the period is set when something was downloaded."""

    at: datetime
    control_type: int
    control_card: FullCardNumber
    period_begin: datetime | None
    period_end: datetime | None


@dataclass(frozen=True)
class Incident:
    """A VU event; `driver`/`co_driver` are the rota keys of the cards in the slots at its begin (and end)."""

    kind: IncidentType
    begin: datetime
    end: datetime
    driver: str | None
    co_driver: str | None
    max_speed: int = 0
    average_speed: int = 0


@dataclass(frozen=True)
class TimeAdjustment:
    old_time: datetime
    new_time: datetime
    workshop_name: str
    workshop_address: str
    workshop_card: FullCardNumber


@dataclass(frozen=True)
class CardDay:
    """What one driver card saw of a vehicle day (`VehicleDay.for_card`)."""

    day: date
    slot: Slot
    crossings: tuple[BorderCrossing, ...]
    loads: tuple[LoadOperation, ...]
    positions: tuple[DrivingPosition, ...]
    controls: tuple[RoadsideControl, ...]
    incidents: tuple[Incident, ...]


@dataclass(frozen=True)
class VehicleDay:
    day: date
    driver: str | None
    co_driver: str | None
    crossings: tuple[BorderCrossing, ...] = ()
    loads: tuple[LoadOperation, ...] = ()
    positions: tuple[DrivingPosition, ...] = ()
    controls: tuple[RoadsideControl, ...] = ()
    incidents: tuple[Incident, ...] = ()
    time_adjustments: tuple[TimeAdjustment, ...] = ()
    turns: tuple[int, ...] = ()  # a crew's card swaps (`crewday.crew_turns`): minutes of the day

    def holders(self, moment: datetime) -> tuple[str | None, str | None]:
        """The rota keys of the cards in slot 1 and slot 2 at `moment` of the card session (a crew swaps them at
        every turn)."""
        swaps = bisect.bisect_right(self.turns, moment.hour * 60 + moment.minute)
        return (self.co_driver, self.driver) if swaps % 2 else (self.driver, self.co_driver)

    def for_card(self, driver: str) -> CardDay | None:
        """The records the card of `driver` (a rota key) saw, None if it was in neither slot; `slot` is the one
        the card went into."""
        if driver not in (self.driver, self.co_driver):
            return None
        slot = Slot.DRIVER if driver == self.driver else Slot.CO_DRIVER
        incidents = tuple(i for i in self.incidents if driver in (i.driver, i.co_driver))
        return CardDay(self.day, slot, self.crossings, self.loads, self.positions, self.controls, incidents)


class _Day:
    """The drawing context of one vehicle day: the unit, its shift, the odometer at 00:00 and a seeded source."""

    def __init__(self, unit: VehicleUnit, day: date, shift: Shift, odometer: int, rng: random.Random) -> None:
        self.unit = unit
        self.day = day
        self.midnight = day_start(day)
        self.ordinal = day.toordinal()
        self.shift = shift
        self.plan: DriverDayPlan = shift.plan
        drives = [seg for seg in self.plan.segments if seg.activity is Activity.DRIVING]
        self.drives = [(seg.start, seg.end) for seg in drives]
        self.driving = sum(end - start for start, end in self.drives)
        self.odometer_start = odometer
        self.rng = rng

    def at(self, minute: int) -> datetime:
        return self.midnight + timedelta(minutes=minute)

    def odometer(self, minute: int) -> int:
        """The odometer at `minute`: the day's distance shared out over its driving minutes."""
        driven = sum(min(end, minute) - start for start, end in self.drives if start < minute)
        return self.odometer_start + (self.plan.distance_km * driven // self.driving if self.driving else 0)

    def place(self, minute: int) -> GnssPlace:
        return gnss_drawn(self.unit, f"{self.unit.seed}|{self.ordinal}|{minute}", self.at(minute))

    def minutes_of(self, activity: Activity) -> list[int]:
        return [m for s in self.plan.segments if s.activity is activity for m in range(s.start, s.end)]


def vehicle_day(rota: Rota, vin: str, day: date) -> VehicleDay:
    """The Mobility Package records of the vehicle's `day` (empty records on a day nobody drove it but a rare
    time adjustment)."""
    unit = rota.unit(vin, day)
    rng = random.Random(derive_seed(unit.seed, "mobility", day.toordinal()))
    adjustments = _time_adjustments(unit, day, rng)
    found = rota.vehicle_shift(vin, day)
    if found is None:
        return VehicleDay(day, None, None, time_adjustments=adjustments)
    shift = found.main
    ctx = _Day(unit, day, shift, rota.odometer(vin, day), rng)
    return VehicleDay(
        day,
        shift.driver,
        shift.co_driver,
        _crossings(ctx),
        _loads(ctx),
        _positions(ctx),
        _controls(ctx),
        _incidents(ctx),
        adjustments,
        crew_turns(shift.plan) if shift.co_driver is not None else (),
    )


def _crossings(ctx: _Day) -> tuple[BorderCrossing, ...]:
    """None, or one or two trips abroad and back, each crossing at a driving minute."""
    home = ctx.unit.nation
    neighbours = NEIGHBOURS.get(home, ())
    if not neighbours or ctx.rng.random() >= CROSSING_DAY_RATE:
        return ()
    driving = ctx.minutes_of(Activity.DRIVING)
    trips = 2 if ctx.rng.random() < 0.2 else 1
    if len(driving) < 4 * trips:
        return ()
    minutes = sorted(ctx.rng.sample(driving, 2 * trips))
    route = [home]
    for _ in range(trips):
        route += [ctx.rng.choice(neighbours), home]
    return tuple(
        BorderCrossing(ctx.at(m), route[i], route[i + 1], ctx.place(m), ctx.odometer(m)) for i, m in enumerate(minutes)
    )


def _loads(ctx: _Day) -> tuple[LoadOperation, ...]:
    """A load in the day's first work, an unload in its last, sometimes an operation at a stop in between."""
    works = [s for s in ctx.plan.segments if s.activity is Activity.WORK]
    if not works:
        return ()
    chosen: list[tuple[int, OperationType]] = [
        (works[0].start + ctx.rng.randrange(works[0].minutes), OperationType.LOAD)
    ]
    for segment in works[1:-1]:
        if ctx.rng.random() < 0.3:
            kind = OperationType(ctx.rng.choice((2, 3)))
            chosen.append((segment.start + ctx.rng.randrange(segment.minutes), kind))
    if len(works) > 1:
        chosen.append((works[-1].start + ctx.rng.randrange(works[-1].minutes), OperationType.UNLOAD))
    return tuple(LoadOperation(ctx.at(m), kind, ctx.place(m), ctx.odometer(m)) for m, kind in chosen)


def _positions(ctx: _Day) -> tuple[DrivingPosition, ...]:
    marks = accumulated_driving_marks(ctx.plan)
    return tuple(DrivingPosition(ctx.at(m), 180 * (i + 1), ctx.place(m), ctx.odometer(m)) for i, m in enumerate(marks))


def _controls(ctx: _Day) -> tuple[RoadsideControl, ...]:
    """Now and then a roadside check during a stop (availability or a break)."""
    if ctx.rng.random() >= CONTROL_DAY_RATE:
        return ()
    stops = ctx.minutes_of(Activity.AVAILABILITY) + ctx.minutes_of(Activity.BREAK_REST)
    if not stops:
        return ()
    minute = ctx.rng.choice(stops)
    when = ctx.at(minute)
    control_type = ctx.rng.choice((0x10, 0x30, 0x90, 0xD0))
    downloaded = control_type & 0xC0
    card = FullCardNumber(EquipmentType.CONTROL_CARD, ctx.unit.nation, f"K{ctx.rng.randrange(10**12):012d}000", 2)
    begin = when - timedelta(days=28) if downloaded else None
    return (RoadsideControl(when, control_type, card, begin, when if downloaded else None),)


def _incidents(ctx: _Day) -> tuple[Incident, ...]:
    rng, shift, plan = ctx.rng, ctx.shift, ctx.plan
    found: list[Incident] = []
    inserted = plan.card_inserted or 0
    if rng.random() < NO_CARD_DRIVING_RATE and inserted >= 30:
        start = inserted - rng.randint(15, 29)
        begin = ctx.at(start)
        found.append(
            Incident(IncidentType.DRIVING_WITHOUT_CARD, begin, begin + timedelta(minutes=rng.randint(3, 9)), None, None)
        )
    if rng.random() < CARD_CONFLICT_RATE:
        begin = ctx.at(inserted) + timedelta(seconds=rng.randint(5, 50))
        end = begin + timedelta(seconds=rng.randint(5, 60))
        found.append(Incident(IncidentType.CARD_CONFLICT, begin, end, shift.driver, shift.co_driver))
    driving = [s for s in plan.segments if s.activity is Activity.DRIVING and s.minutes >= 5]
    if driving and rng.random() < OVERSPEED_RATE:
        segment = rng.choice(driving)
        start = rng.randrange(segment.start, segment.end - 3)
        begin = ctx.at(start)
        end = begin + timedelta(seconds=rng.randint(65, 170))
        top = rng.randint(OVERSPEED_LIMIT + 2, OVERSPEED_LIMIT + 12)
        found.append(
            Incident(
                IncidentType.OVER_SPEEDING,
                begin,
                end,
                *shift.holders_at(start),  # the crew member driving then is in slot 1
                top,
                rng.randint(OVERSPEED_LIMIT + 1, top),
            )
        )
    return tuple(sorted(found, key=lambda i: i.begin))


def _time_adjustments(unit: VehicleUnit, day: date, rng: random.Random) -> tuple[TimeAdjustment, ...]:
    """Rarely, a workshop corrects the VU clock by a few seconds, at night (before any card session)."""
    if rng.random() >= TIME_ADJUSTMENT_RATE:
        return ()
    new = day_start(day) + timedelta(hours=2, seconds=rng.randrange(3600))
    old = new + timedelta(seconds=rng.choice((-1, 1)) * rng.randint(5, 90))
    card = FullCardNumber(EquipmentType.WORKSHOP_CARD, unit.nation, f"W{unit.seed % 10**12:012d}000", 2)
    return (TimeAdjustment(old, new, "Fleetmock Workshop", "Workshop Road 2", card),)
