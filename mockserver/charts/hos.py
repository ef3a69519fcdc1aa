"""An ELD duty-status grid (FMCSA § 395.8 graph grid): four rows, the duty line across 24 hours, totals per row,
sub-statuses marked, violations shaded where they happen, and the four clocks beside it.

This module only draws: the segments, violations and clocks are computed by the caller (the HOS engine for
`fleetmock hos chart`, Reveal's public answers for the console), so the core knows nothing of the HOS rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from mockserver.charts import svg

ROWS = ("OffDuty", "SleeperBerth", "OnDutyDriving", "OnDutyNotDriving")
ROW_LABELS = {"OffDuty": "1 Off duty", "SleeperBerth": "2 Sleeper berth", "OnDutyDriving": "3 Driving",
              "OnDutyNotDriving": "4 On duty"}  # fmt: skip
CLOCK_LABELS = {"driveLeft": "Drive", "windowLeft": "Window", "breakLeft": "Break", "cycleLeft": "Cycle"}
WIDTH, LEFT, CHART, ROW = 1040, 110, 720, 28


@dataclass(frozen=True)
class HosSegment:
    start: int  # minute of the day
    end: int
    status: str  # one of ROWS
    sub_status: str | None = None


@dataclass(frozen=True)
class HosViolation:
    start: int
    end: int
    rule: str  # e.g. "11-hour driving"


@dataclass(frozen=True)
class HosDay:
    day: date
    segments: tuple[HosSegment, ...]
    violations: tuple[HosViolation, ...] = ()
    clocks: Mapping[str, int | None] = field(default_factory=dict)  # whole minutes, as `fleetmock hos clocks`
    clocks_at: str = ""
    instant: int | None = None  # minute of the day the clocks are for, marked on the grid when it falls in the day

    def totals(self) -> dict[str, int]:
        minutes = dict.fromkeys(ROWS, 0)
        for segment in self.segments:
            minutes[segment.status] += segment.end - segment.start
        return minutes


def _x(minute: int) -> float:
    return LEFT + CHART * minute / 1440


def _y(status: str, top: float) -> float:
    return top + ROW * ROWS.index(status) + ROW / 2


def _segment(segment: HosSegment, top: float) -> str:
    y = _y(segment.status, top)
    label = f"{segment.status} {svg.hh_mm(segment.start)}-{svg.hh_mm(segment.end)}"
    if segment.sub_status:
        label += f" ({segment.sub_status})"
    line = svg.element("line", x1=f"{_x(segment.start):.1f}", y1=f"{y:.1f}", x2=f"{_x(segment.end):.1f}",
                       y2=f"{y:.1f}", stroke="#111", stroke_width=3)  # fmt: skip
    mark = ""
    if segment.sub_status:
        x = _x(segment.start)
        mark = svg.element("path", d=f"M{x:.1f},{y - 9:.1f} l4,-6 h-8 z", fill="#7b2cbf", class_="sub-status")
    return svg.element(
        "g",
        svg.element("title", svg.escape(label)) + line + mark,
        class_="duty-segment",
        data_status=segment.status,
        data_sub_status=segment.sub_status,
        data_start=segment.start,
        data_end=segment.end,
    )


def _connectors(segments: Sequence[HosSegment], top: float) -> list[str]:
    out = []
    for before, after in itertools.pairwise(segments):
        if before.status != after.status and before.end == after.start:
            x = f"{_x(after.start):.1f}"
            out.append(svg.element("line", x1=x, y1=f"{_y(before.status, top):.1f}", x2=x,
                                   y2=f"{_y(after.status, top):.1f}", stroke="#111", stroke_width=1.5))  # fmt: skip
    return out


def _violation(violation: HosViolation, top: float) -> str:
    width = max(_x(violation.end) - _x(violation.start), 1.0)
    title = svg.element("title", svg.escape(f"violation: {violation.rule} from {svg.hh_mm(violation.start)}"))
    return svg.element("rect", title, class_="violation", data_rule=violation.rule, data_start=violation.start,
                       x=f"{_x(violation.start):.1f}", y=top, width=f"{width:.1f}", height=ROW * 4,
                       fill="#e63946", fill_opacity="0.25", stroke="#e63946")  # fmt: skip


def _clock_lines(day: HosDay, top: float) -> list[str]:
    x = LEFT + CHART + 90
    out = [svg.text(x, top, "Clocks", font_weight="bold")]
    if day.clocks_at:  # its own line: an instant is wider than the room right of the grid
        out.append(svg.text(x, top + 14, day.clocks_at, class_="clocks-at", font_size="10"))
    first = top + (30 if day.clocks_at else 16)
    for index, (key, label) in enumerate(CLOCK_LABELS.items()):
        value = day.clocks.get(key)
        shown = "n/a" if value is None else svg.hh_mm(value)
        y = first + 16 * index
        out.append(svg.text(x, y, f"{label} {shown}", class_="clock", data_clock=key, data_minutes=value))
    return out


def render_hos_day(day: HosDay) -> str:
    """The day's grid as an SVG document."""
    top = 40
    body = [svg.text(8, 16, f"Duty status {day.day.isoformat()}", font_weight="bold")]
    body += svg.hour_grid(LEFT, top, CHART, ROW * 4)
    totals = day.totals()
    for index, status in enumerate(ROWS):
        y = top + ROW * index
        body.append(svg.element("rect", x=LEFT, y=y, width=CHART, height=ROW, fill="none", stroke="#999"))
        body.append(svg.text(8, y + ROW / 2 + 4, ROW_LABELS[status]))
        body.append(svg.text(LEFT + CHART + 8, y + ROW / 2 + 4, svg.hh_mm(totals[status]), class_="row-total",
                             data_status=status))  # fmt: skip
    body += [_violation(v, top) for v in day.violations]
    body += [_segment(s, top) for s in day.segments]
    body += _connectors(day.segments, top)
    if day.instant is not None:
        x = f"{_x(day.instant):.1f}"
        body.append(svg.element("line", class_="instant", data_minute=day.instant, x1=x, y1=top - 6, x2=x,
                                y2=top + ROW * 4 + 6, stroke="#1d4ed8", stroke_dasharray="4 3"))  # fmt: skip
    if day.clocks:
        body += _clock_lines(day, top + 8)
    return svg.document(WIDTH, top + ROW * 4 + 30, f"Duty status {day.day.isoformat()}", body)
