"""Seeded, plausible duty-status logs for Reveal drivers (long haul, regional, passenger, near limits, short
haul), extendable as the simulated clock moves."""

from mockserver.reveal.dutylog.generator import DutyLogGenerator, generate_duty_log
from mockserver.reveal.dutylog.profiles import (
    DriverProfile,
    Span,
    profile_named,
    profile_names,
    register_profile,
)
from mockserver.reveal.dutylog.records import LogEntry

__all__ = [
    "DriverProfile",
    "DutyLogGenerator",
    "LogEntry",
    "Span",
    "generate_duty_log",
    "profile_named",
    "profile_names",
    "register_profile",
]
