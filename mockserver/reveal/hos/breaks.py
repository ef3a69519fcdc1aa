"""The 30-minute break of § 395.3(a)(3)(ii) (hos-rules.md 2.5).

Any consecutive non-driving time counts (off duty, sleeper berth, on duty not driving, or a mix); two separate
short stops do not add up.
"""

from __future__ import annotations

from mockserver.reveal.hos.log import DutyLog
from mockserver.reveal.hos.models import DutyClass


def driving_since_break(log: DutyLog, at: int, break_length: int) -> int:
    """Driving time (microseconds) since the end of the last non-driving run of at least `break_length`.

    A run in progress counts once it reaches `break_length`. The walk stops at that run, so it never
    reads past the last daily reset.
    """
    non_driving_run = 0
    driving = 0
    for start, end, duty_class in log.segments_backward(at):
        if duty_class == DutyClass.D:
            non_driving_run = 0
            driving += end - start
            continue
        non_driving_run += end - start
        if non_driving_run >= break_length:
            return driving
    return driving  # pragma: no cover - the assumed rest before the log always ends the walk
