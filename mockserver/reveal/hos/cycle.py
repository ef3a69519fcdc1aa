"""The 60-hour/7-day and 70-hour/8-day cycle with the 34-hour restart (§ 395.3(b),(c); hos-rules.md 2.6).

The days are the home terminal's 24-hour periods (§ 395.2), so hours fall off at the day start and the cycle
clock can go up at that instant.
"""

from __future__ import annotations

from datetime import timedelta

from mockserver.reveal.hos.log import DutyLog, hours
from mockserver.reveal.hos.models import DutyClass, HosOptions
from mockserver.reveal.hos.rules import RuleSet

DAY = hours(24)


def cycle_window_start(at: int, options: HosOptions) -> int:
    """Start of the first of the `cycle_days` home-terminal days that end with the day containing `at`."""
    offset = options.day_start // timedelta(microseconds=1)
    day0 = (at - offset) // DAY * DAY + offset
    return day0 - (options.cycle_days - 1) * DAY


def cycle_use(log: DutyLog, at: int, rules: RuleSet, options: HosOptions) -> int:
    """On-duty time (microseconds) in the cycle window, counted from the end of the last restart if later.

    A restart in progress counts once it reaches its length. Walking back, the first rest block to reach the
    restart length is the last restart, and every work period met before it lies after it.
    """
    window_start = cycle_window_start(at, options)
    restart = rules.restart_rest
    used = 0
    rest_run = 0
    for start, end, duty_class in log.segments_backward(at):
        if duty_class <= DutyClass.SB:
            rest_run += end - start
            if restart is not None and rest_run >= restart:
                break
            continue
        rest_run = 0
        if end <= window_start:
            break
        used += end - max(start, window_start)
    return used
