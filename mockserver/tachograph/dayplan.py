"""Plausible driver days under EU 561/2006, one independent computation per (driver seed, date).

A working day runs between 05:00 and 18:00 (so the daily rest is at least 11 h between any two days), holds at
most 9 h of driving (10 h on two days of each ISO week), and inserts a 45-minute break before 4.5 h of
cumulative driving. Saturdays and Sundays are the weekly rest (>= 59 h). About one day in fifty carries a
deliberate violation (a long stint or an over-long driving day), listed in `violations` for realism.
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from mockserver.tachograph.types import Activity, ActivityChange, Slot

DAY_START_EARLIEST = 5 * 60
DAY_END_LATEST = 18 * 60
MAX_STINT = 270
BREAK_MIN = 45
DAILY_LIMIT = 540
EXTENDED_LIMIT = 600
VIOLATION_RATE = 0.02

LONG_STINT = "driving-without-break"
LONG_DAY = "daily-driving-exceeded"


def derive_seed(*parts: object) -> int:
    """A stable 64-bit seed from parts (Python's `hash` is salted per process, so it cannot be used)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Segment(NamedTuple):
    """Minutes [start, end) of the day in one activity (a named tuple: years of plans make tens of thousands)."""

    start: int
    end: int
    activity: Activity

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class DriverDayPlan:
    """A day of one driver; `segments` cover insertion to withdrawal of the card, back to back."""

    day: date
    segments: tuple[Segment, ...]
    distance_km: int
    violations: tuple[str, ...] = ()

    @property
    def working(self) -> bool:
        return bool(self.segments)

    @property
    def card_inserted(self) -> int | None:
        return self.segments[0].start if self.segments else None

    @property
    def card_withdrawn(self) -> int | None:
        return self.segments[-1].end if self.segments else None

    @property
    def driving_minutes(self) -> int:
        return sum(s.minutes for s in self.segments if s.activity is Activity.DRIVING)

    def minutes_of(self, activity: Activity) -> int:
        return sum(s.minutes for s in self.segments if s.activity is activity)

    def activity_changes(self, slot: Slot = Slot.DRIVER, include_midnight: bool = True) -> tuple[ActivityChange, ...]:
        """The card-side view: not inserted (rest) until insertion, the segments, then not inserted again."""
        changes: list[ActivityChange] = []
        if include_midnight and (not self.segments or self.segments[0].start > 0):
            changes.append(_change(0, Activity.BREAK_REST, slot, False))
        for segment in self.segments:
            if changes and changes[-1].card_present and changes[-1].activity is segment.activity:
                continue
            changes.append(_change(segment.start, segment.activity, slot, True))
        withdrawn = self.card_withdrawn
        if withdrawn is not None and withdrawn < 1440:
            changes.append(_change(withdrawn, Activity.BREAK_REST, slot, False))
        return tuple(changes)


# Key: (minute, activity, slot, presence), every one there is (1440 x 4 x 2 x 2); a change is immutable and made of
# these alone, so a hit is exactly the change a fresh call makes.
@functools.lru_cache(maxsize=32768)
def _change(minute: int, activity: Activity, slot: Slot, card_present: bool) -> ActivityChange:
    """A shared `ActivityChange` (immutable): years of day plans repeat the same few thousand changes."""
    return ActivityChange(minute, activity, slot, card_present=card_present)


def extended_days_of_week(seed: int, day: date) -> frozenset[int]:
    """The two weekdays (0 = Monday) of `day`'s ISO week on which 10 h of driving are allowed."""
    return _extended_days_from(seed, day.toordinal() - day.weekday())


@functools.lru_cache(maxsize=4096)  # key: (seed, the Monday's ordinal), all the draw depends on: a hit is exact
def _extended_days_from(seed: int, monday: int) -> frozenset[int]:
    """By the ordinal of the week's Monday: `isocalendar` runs once a week instead of once a day."""
    year, week, _ = date.fromordinal(monday).isocalendar()
    return _extended_days(seed, year, week)


@functools.lru_cache(maxsize=4096)  # key: (seed, ISO year, ISO week), all the draw is seeded by: a hit is exact
def _extended_days(seed: int, year: int, week: int) -> frozenset[int]:
    rng = random.Random(derive_seed(seed, "extended", year, week))
    return frozenset(rng.sample(range(5), 2))


class Draws:
    """`randint`, `choice` and `shuffle` of a `random.Random`, drawing exactly what the library's own methods draw (an
    integer below n is `getrandbits(n.bit_length())` retried until below n), without their per-call overhead:
    a plan makes a dozen of these draws and histories make a plan for every day of years."""

    __slots__ = ("bits", "random")

    def __init__(self, rng: random.Random) -> None:
        self.bits = rng.getrandbits
        self.random = rng.random

    def below(self, n: int) -> int:
        k = n.bit_length()
        r = self.bits(k)
        while r >= n:
            r = self.bits(k)
        return r

    # `randint` and `shuffled_range` repeat `below`'s four lines instead of calling it: a 2-year daily card ZIP makes
    # about 22,000 of these draws, and the call per draw was about 4% of its instructions (issue 13: callgrind).
    # test_tacho_dayplan.py and test_crew.py hold them to the library's own draws.

    def randint(self, low: int, high: int) -> int:
        n = high - low + 1
        k = n.bit_length()
        r = self.bits(k)
        while r >= n:
            r = self.bits(k)
        return low + r

    def shuffled_range(self, count: int) -> list[int]:
        """`list(range(count))` as `shuffle` leaves it: each position from the last down swapped with one drawn
        below `i + 1`."""
        items = list(range(count))
        bits = self.bits
        for i in range(count - 1, 0, -1):
            n = i + 1
            k = n.bit_length()
            j = bits(k)
            while j >= n:
                j = bits(k)
            items[i], items[j] = items[j], items[i]
        return items

    def choice(self, options: tuple[Activity, ...]) -> Activity:
        return options[self.below(len(options))]


def plan_driver_day(seed: int, day: date, on_duty: bool = True) -> DriverDayPlan:
    """The plan of one driver for `day`; pure in (seed, day, on_duty)."""
    if not on_duty or day.weekday() >= 5:
        return DriverDayPlan(day, (), 0)
    rng = Draws(random.Random(derive_seed(seed, day.toordinal())))
    if rng.random() < 0.04:  # leave, sickness: a day without the card
        return DriverDayPlan(day, (), 0)
    limit = EXTENDED_LIMIT if day.weekday() in extended_days_of_week(seed, day) else DAILY_LIMIT
    violations: list[str] = []
    target = rng.randint(240, limit)
    stint_limit = MAX_STINT
    roll = rng.random()
    if roll < VIOLATION_RATE / 2:
        violations.append(LONG_STINT)
        stint_limit = MAX_STINT + rng.randint(15, 45)
        target = max(target, stint_limit + 60)
    elif roll < VIOLATION_RATE:
        violations.append(LONG_DAY)
        target = limit + rng.randint(15, 60)
    start = rng.randint(DAY_START_EARLIEST, 7 * 60 + 30)
    segments: list[Segment] = []
    clock = start

    def add(minutes: int, activity: Activity) -> None:
        nonlocal clock
        if minutes > 0:
            segments.append(Segment(clock, clock + minutes, activity))
            clock += minutes

    add(rng.randint(10, 30), Activity.WORK)
    remaining = target
    first_stint = True
    while remaining > 0:
        cap = stint_limit if (first_stint and violations == [LONG_STINT]) else MAX_STINT
        stint = cap if first_stint and violations == [LONG_STINT] else min(remaining, rng.randint(150, cap))
        stint = min(stint, remaining)
        first_stint = False
        driven = 0
        while driven < stint:  # a stint is driving pieces with short work stops that are no break
            piece = min(stint - driven, rng.randint(60, 180))
            add(piece, Activity.DRIVING)
            driven += piece
            if driven < stint:
                add(rng.randint(5, 14), rng.choice((Activity.WORK, Activity.AVAILABILITY)))
        remaining -= stint
        if remaining > 0:
            add(rng.randint(BREAK_MIN, 60), Activity.BREAK_REST)
    add(rng.randint(10, 30), Activity.WORK)
    overshoot = clock - DAY_END_LATEST
    if overshoot > 0:  # start earlier, never before 05:00, then trim the last driving if still too late
        shift = min(overshoot, start - DAY_START_EARLIEST)
        segments = [Segment(s.start - shift, s.end - shift, s.activity) for s in segments]
        clock -= shift
        if clock > DAY_END_LATEST and not violations:
            segments = _trim_end(segments, clock - DAY_END_LATEST)
    driving = sum([end - begin for begin, end, activity in segments if activity is Activity.DRIVING])
    speed = rng.randint(55, 75)
    return DriverDayPlan(day, tuple(segments), driving * speed // 60, tuple(violations))


@functools.lru_cache(maxsize=65536)
def cached_plan(seed: int, day: date) -> DriverDayPlan:
    """`plan_driver_day` of an on-duty driver, memoised. Key: (driver seed, date), everything a plan depends on,
    so a hit is exactly the plan a fresh computation gives (plans are immutable and shared)."""
    return plan_driver_day(seed, day)


def _trim_end(segments: list[Segment], excess: int) -> list[Segment]:
    """Remove `excess` minutes of driving from the end of the day, moving what follows earlier."""
    result = list(segments)
    while excess > 0:
        index = max(i for i, s in enumerate(result) if s.activity is Activity.DRIVING)
        cut = min(excess, result[index].minutes)
        shortened = Segment(result[index].start, result[index].end - cut, Activity.DRIVING)
        tail = [Segment(s.start - cut, s.end - cut, s.activity) for s in result[index + 1 :]]
        result = result[:index] + ([shortened] if shortened.minutes else []) + tail
        excess -= cut
    return result


def check_day(plan: DriverDayPlan, limit: int) -> set[str]:
    """The 561/2006 rules a single day breaks (independent of how the plan was made)."""
    found: set[str] = set()
    if plan.driving_minutes > limit:
        found.add(LONG_DAY)
    cumulative = 0
    for segment in plan.segments:
        if segment.activity is Activity.DRIVING:
            cumulative += segment.minutes
            if cumulative > MAX_STINT:
                found.add(LONG_STINT)
        elif segment.activity is Activity.BREAK_REST and segment.minutes >= BREAK_MIN:
            cumulative = 0
    return found


GNSS_DRIVING_STEP = 180  # Annex IC: the position is recorded at every three hours of accumulated driving time


def driven_before(plan: DriverDayPlan, minute: int) -> int:
    """Minutes of driving in the plan before `minute` of the day."""
    return sum(
        max(0, min(segment.end, minute) - segment.start)
        for segment in plan.segments
        if segment.activity is Activity.DRIVING
    )


def accumulated_driving_marks(plan: DriverDayPlan, step: int = GNSS_DRIVING_STEP) -> tuple[int, ...]:
    """The minutes of the day at which the plan's accumulated driving reaches a multiple of `step` minutes (the
    minute that completes it: driving minutes [.., mark) make the multiple). Counted from the day's first
    driving: not simulated, driving carried over from the previous day (the daily rest resets it)."""
    marks: list[int] = []
    total = 0
    for segment in plan.segments:
        if segment.activity is not Activity.DRIVING:
            continue
        while total + segment.minutes >= (len(marks) + 1) * step:
            marks.append(segment.start + (len(marks) + 1) * step - total)
        total += segment.minutes
    return tuple(mark for mark in marks if mark < 1440)
