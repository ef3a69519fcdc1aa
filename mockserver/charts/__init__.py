"""Charts as SVG text: a driver's tachograph day and an ELD duty-status grid, deterministic and dependency-free.

The same drawings serve the QA console (`/_sim/console/`) and the command line (`fleetmock ddd chart`,
`fleetmock hos chart`). Everything drawn is escaped; a chart is a pure function of its data (no clock, no random).
"""

from mockserver.charts.hos import HosDay, HosSegment, HosViolation, render_hos_day
from mockserver.charts.tacho import NoSuchDay, TachoBar, TachoDay, TachoMarker, render_tacho_day, tacho_day

__all__ = [
    "HosDay",
    "HosSegment",
    "HosViolation",
    "NoSuchDay",
    "TachoBar",
    "TachoDay",
    "TachoMarker",
    "render_hos_day",
    "render_tacho_day",
    "tacho_day",
]
