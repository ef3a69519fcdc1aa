"""US hours-of-service engine (FMCSA 49 CFR 395, 2020 rule) for the Reveal LogBook simulator.

Plain Python, free of HTTP. Typical use::

    log = DutyLog.from_events(events)
    clocks = compute_clocks(log, at, HosOptions(cycle_days=8))
    clocks.minutes().to_json()  # {"driveLeft": ..., "windowLeft": ..., "breakLeft": ..., "cycleLeft": ...}
"""

from mockserver.reveal.hos.codec import LogFormatError, dump_log, parse_log, parse_utc
from mockserver.reveal.hos.day import duty_day
from mockserver.reveal.hos.engine import clocks_for_events, compute_clocks, hos_snapshot
from mockserver.reveal.hos.log import DutyLog
from mockserver.reveal.hos.models import (
    CarrierType,
    ClockMinutes,
    DutyClass,
    DutyEvent,
    DutyStatus,
    HosClocks,
    HosOptions,
    HosSnapshot,
    ShiftUsage,
    SubStatus,
)
from mockserver.reveal.hos.rules import (
    PASSENGER_RULES,
    PROPERTY_RULES,
    RuleSet,
    register_rule_set,
    rule_set_for,
)

__all__ = [
    "PASSENGER_RULES",
    "PROPERTY_RULES",
    "CarrierType",
    "ClockMinutes",
    "DutyClass",
    "DutyEvent",
    "DutyLog",
    "DutyStatus",
    "HosClocks",
    "HosOptions",
    "HosSnapshot",
    "LogFormatError",
    "RuleSet",
    "ShiftUsage",
    "SubStatus",
    "clocks_for_events",
    "compute_clocks",
    "dump_log",
    "duty_day",
    "hos_snapshot",
    "parse_log",
    "parse_utc",
    "register_rule_set",
    "rule_set_for",
]
