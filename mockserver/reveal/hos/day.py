"""One day of a duty log for the ELD grid: the segments of the day, violations where they happen, the clocks.

A driving segment is a violation of each rule (11-hour driving, 14-hour window, 30-minute break, 60/70-hour cycle)
from the instant that rule's clock runs out: every clock runs down one for one while driving, so the clocks at the
segment's start say where, and a segment that outlasts two clocks is flagged twice, each from its own minute.
Not simulated: violations of off-duty periods (a short rest that does not count as a reset is not
itself a violation).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from mockserver.charts.hos import HosDay, HosSegment, HosViolation
from mockserver.reveal.hos.engine import clocks_for_events
from mockserver.reveal.hos.models import DutyEvent, DutyStatus, HosClocks, HosOptions

RULE_OF_CLOCK = {"drive_left": "11-hour driving", "window_left": "14-hour window", "break_left": "30-minute break",
                 "cycle_left": "60/70-hour cycle"}  # fmt: skip


def _minute_of(at: datetime, start: datetime) -> int:
    return max(0, min(1440, int((at - start).total_seconds() // 60)))


def _running_out(clocks: HosClocks) -> list[tuple[timedelta, str]]:
    """Each clock that applies and how long driving may go on until it runs out, soonest first."""
    candidates = [(getattr(clocks, name), rule) for name, rule in RULE_OF_CLOCK.items()]
    return sorted(((left, rule) for left, rule in candidates if left is not None), key=lambda pair: pair[0])


def duty_day(
    events: Sequence[DutyEvent], day: date, options: HosOptions, at: datetime | None = None, end: datetime | None = None
) -> HosDay:
    """The grid of `day` (UTC). The log's last status lasts until `end` (default: the end of the day); the clocks
    are those at `at` (default: the end of what is drawn)."""
    start = datetime.combine(day, time(0), tzinfo=UTC)
    stop = min(start + timedelta(days=1), end or start + timedelta(days=1))
    ordered = sorted(events, key=lambda e: e.at)
    segments: list[HosSegment] = []
    violations: list[HosViolation] = []
    for index, event in enumerate(ordered):
        until = ordered[index + 1].at if index + 1 < len(ordered) else stop
        begin, finish = max(event.at, start), min(until, stop)
        if finish <= begin:
            continue
        sub = event.sub_status.value if event.sub_status else None
        segments.append(HosSegment(_minute_of(begin, start), _minute_of(finish, start), event.status.value, sub))
        if event.status is DutyStatus.ON_DUTY_DRIVING:
            for left, rule in _running_out(clocks_for_events(ordered, begin, options)):
                if begin + left < finish:
                    violations.append(HosViolation(_minute_of(begin + left, start), _minute_of(finish, start), rule))
    instant = at or stop
    clocks = clocks_for_events(ordered, instant, options).minutes().to_json()
    label = f"at {instant.strftime('%Y-%m-%d %H:%M')}Z"
    marker = _minute_of(instant, start) if start <= instant <= start + timedelta(days=1) else None
    return HosDay(day, tuple(segments), tuple(violations), clocks, label, marker)
