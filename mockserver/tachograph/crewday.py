"""Two-driver crews taking turns at the wheel: who is in which card slot when, and each member's own day.

A crew works the vehicle's day (`plan`, a `DriverDayPlan` whose driving is the vehicle's). Both cards go in at
the session's start, the lead's in slot 1 and the second's in slot 2, and come out at its end. At every break
that has driving after it the two swap cards (the break's first minute is a *turn*), so the stints alternate:
the lead drives the first, the second the next, and so on. The card in slot 1 holds the slot's activities (the
plan's segments); the card in slot 2 the co-driver slot's (`co_slot_plan`: availability while the vehicle is
driven, Regulation 561/2006 art. 4; the plan's work, stops and breaks otherwise). So at any minute at most one
card drives, and each member's own day (`member_plan`) is slot 1's activities while in slot 1 and slot 2's while in
slot 2: the two members' driving adds up to the vehicle's.

Everything here is a pure function of the vehicle's plan (memoised: plans are immutable and hashable).
Not simulated: swaps at a short stop rather than a break, a crew that changes during the day.
"""

from __future__ import annotations

import bisect
import functools

from mockserver.tachograph.dayplan import DAILY_LIMIT, DriverDayPlan, Segment, check_day
from mockserver.tachograph.types import Activity, ActivityChange, Slot


@functools.lru_cache(maxsize=16384)  # key: the plan, all the answer depends on: a hit is exact
def crew_turns(plan: DriverDayPlan) -> tuple[int, ...]:
    """The minutes at which the cards change slots: the first minute of each break followed by more driving."""
    turns: list[int] = []
    segments = plan.segments
    driving = [i for i, s in enumerate(segments) if s.activity is Activity.DRIVING]
    for index, segment in enumerate(segments):
        if segment.activity is Activity.BREAK_REST and driving and driving[0] < index < driving[-1]:
            turns.append(segment.start)
    return tuple(turns)


def slot_of(plan: DriverDayPlan, minute: int, lead: bool) -> Slot:
    """The slot of the lead's (or the second's) card at `minute` of the session."""
    swaps = bisect.bisect_right(crew_turns(plan), minute)
    in_driver_slot = (swaps % 2 == 0) == lead
    return Slot.DRIVER if in_driver_slot else Slot.CO_DRIVER


@functools.lru_cache(maxsize=16384)  # key: the plan: a hit is exact
def co_slot_plan(plan: DriverDayPlan) -> DriverDayPlan:
    """The co-driver slot's activities over the session: availability while the vehicle is driven."""
    segments = [
        Segment(s.start, s.end, Activity.AVAILABILITY if s.activity is Activity.DRIVING else s.activity)
        for s in plan.segments
    ]
    return DriverDayPlan(plan.day, _merged(segments), plan.distance_km)


@functools.lru_cache(maxsize=32768)  # key: (plan, lead): a hit is exact
def member_plan(plan: DriverDayPlan, lead: bool) -> DriverDayPlan:
    """One member's own day: the driver slot's activities while their card is in slot 1, the co-driver slot's
    while it is in slot 2. The distance is the vehicle's (both rode all of it); violations are those of the plan
    the member's own day still breaks (against the 9 h limit)."""
    if not plan.segments:
        return plan
    bounds = (plan.segments[0].start, *crew_turns(plan), plan.segments[-1].end)
    co = co_slot_plan(plan).segments
    pieces: list[Segment] = []
    for index in range(len(bounds) - 1):
        low, high = bounds[index], bounds[index + 1]
        source = plan.segments if (index % 2 == 0) == lead else co
        inside = [s for s in source if low < s.end and s.start < high]
        pieces += [Segment(max(s.start, low), min(s.end, high), s.activity) for s in inside]
    own = DriverDayPlan(plan.day, _merged(pieces), plan.distance_km)
    found = check_day(own, DAILY_LIMIT)
    return DriverDayPlan(plan.day, own.segments, plan.distance_km, tuple(v for v in plan.violations if v in found))


def member_changes(plan: DriverDayPlan, lead: bool) -> tuple[ActivityChange, ...]:
    """A member's card day: not inserted until the session, then their own activities with the slot their card
    is in (a change at every turn) and the crew bit, then not inserted again."""
    own = member_plan(plan, lead)
    if not own.segments:
        return (ActivityChange(0, Activity.BREAK_REST, Slot.DRIVER if lead else Slot.CO_DRIVER, card_present=False),)
    turns = crew_turns(plan)
    start, end = own.segments[0].start, own.segments[-1].end
    changes: list[ActivityChange] = []
    if start > 0:
        changes.append(ActivityChange(0, Activity.BREAK_REST, slot_of(plan, start, lead), card_present=False))
    for segment in own.segments:
        for minute in (segment.start, *(t for t in turns if segment.start < t < segment.end)):
            slot = slot_of(plan, minute, lead)
            last = changes[-1] if changes else None
            if last is not None and last.card_present and last.activity is segment.activity and last.slot is slot:
                continue
            changes.append(ActivityChange(minute, segment.activity, slot, crew=True))
    if end < 1440:
        changes.append(ActivityChange(end, Activity.BREAK_REST, slot_of(plan, end - 1, lead), card_present=False))
    return tuple(changes)


def sessions(plan: DriverDayPlan, lead: bool) -> tuple[tuple[int, int, Slot], ...]:
    """A member's card sessions in the vehicle unit: (inserted, withdrawn, slot) minutes, split at every turn."""
    if not plan.segments:
        return ()
    bounds = (plan.segments[0].start, *crew_turns(plan), plan.segments[-1].end)
    return tuple((bounds[i], bounds[i + 1], slot_of(plan, bounds[i], lead)) for i in range(len(bounds) - 1))


def _merged(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if segment.minutes <= 0:
            continue
        if merged and merged[-1].activity is segment.activity and merged[-1].end == segment.start:
            merged[-1] = Segment(merged[-1].start, segment.end, segment.activity)
        else:
            merged.append(segment)
    return tuple(merged)
