"""The hours-of-service engine: the four clocks of a driver at any instant, from a duty log and options.

Plain Python, free of HTTP. Each query reads the log backwards from the instant only as far as the rules
need (the last daily reset, the last 30-minute break, the cycle window), so its cost does not grow with the
log's age.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from mockserver.reveal.hos.breaks import driving_since_break
from mockserver.reveal.hos.cycle import cycle_use
from mockserver.reveal.hos.log import DutyLog, micros_to_timedelta, to_micros
from mockserver.reveal.hos.models import DutyEvent, HosClocks, HosOptions, HosSnapshot, ShiftUsage
from mockserver.reveal.hos.rules import rule_set_for
from mockserver.reveal.hos.shift import ShiftUse, shift_use


def _left(limit: int, used: int) -> int:
    return max(0, limit - used)


def _clocks_and_use(log: DutyLog, at: int, options: HosOptions) -> tuple[HosClocks, ShiftUse]:
    rules = rule_set_for(options)
    use = shift_use(log, at, rules)
    break_after = rules.break_after_for(options)
    break_left = (
        None
        if break_after is None
        else micros_to_timedelta(_left(break_after, driving_since_break(log, at, rules.break_length)))
    )
    clocks = HosClocks(
        drive_left=micros_to_timedelta(_left(rules.drive_limit_for(options), use.driving)),
        window_left=micros_to_timedelta(_left(rules.duty_limit_for(options), use.duty)),
        break_left=break_left,
        cycle_left=micros_to_timedelta(
            _left(rules.cycle_limit_for(options), cycle_use(log, at, rules, options))
        ),
    )
    return clocks, use


def compute_clocks(log: DutyLog, at: datetime, options: HosOptions) -> HosClocks:
    """Driving, window, break and cycle time left at `at`; events after `at` are ignored."""
    return _clocks_and_use(log, to_micros(at), options)[0]


def clocks_for_events(events: Iterable[DutyEvent], at: datetime, options: HosOptions) -> HosClocks:
    """`compute_clocks` for an unsorted event list (sorted and de-duplicated first)."""
    return compute_clocks(DutyLog.from_events(events), at, options)


def hos_snapshot(log: DutyLog, at: datetime, options: HosOptions) -> HosSnapshot:
    """Clocks and usage at `at`, plus the clocks when the status in effect at `at` began (for Reveal's
    `TimeRemainingSinceLastStatus`). With an empty log the driver is rested and both sets of clocks agree."""
    micros = to_micros(at)
    clocks, use = _clocks_and_use(log, micros, options)
    index = log.index_at(micros)
    last_event = None
    clocks_at_last_status = clocks
    if index >= 0:
        last_event = log.event(index)
        status_start = log.time_of(index)
        if status_start != micros:
            clocks_at_last_status = _clocks_and_use(log, status_start, options)[0]
    return HosSnapshot(
        at=at,
        clocks=clocks,
        usage_since_reset=ShiftUsage(
            driving=micros_to_timedelta(use.driving_since_reset),
            on_duty=micros_to_timedelta(use.on_duty_since_reset),
        ),
        last_event=last_event,
        clocks_at_last_status=clocks_at_last_status,
    )
