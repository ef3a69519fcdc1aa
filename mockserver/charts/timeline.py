"""A download timeline as SVG: one lane per kind of event along simulated time (days as the axis, "now" as a line),
attempts as dots (filled green when the download succeeded, red when it failed, the reason in its tooltip), manual
requests, the next planned attempt and changes of tachograph generation as marks.

This module only draws (`mockserver.timelines` lists the events); every text passes through `svg.escape`/`attrs`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.charts import svg
from mockserver.timelines import ATTEMPTS, Event, SubjectTimeline

LANES = (("status", "Status"), ("note", "Notes"), ("generation", "Generation"), ("request", "Manual requests"),
         ("scheduled", "Scheduled RDL"), ("manual", "Manual RDL"), ("planned", "Planned"))  # fmt: skip
WIDTH, LEFT, CHART, TOP, LANE = 1040, 130, 880, 34, 26
OK, FAILED, MARK, PENDING = "#2a9d8f", "#e63946", "#1d3557", "#adb5bd"


def _x(line: SubjectTimeline, at: datetime) -> float:
    """The instant's x, held to the chart (a status in force before the window starts is drawn from its left)."""
    span = (line.end - line.start).total_seconds()
    return LEFT + CHART * min(1.0, max(0.0, (at - line.start).total_seconds() / span))


def _lanes(line: SubjectTimeline) -> list[tuple[str, str]]:
    return [(kind, label) for kind, label in LANES if kind in line.lanes]


def _y(line: SubjectTimeline, kind: str) -> float:
    return TOP + LANE * [name for name, _ in _lanes(line)].index(kind) + LANE / 2


def _axis(line: SubjectTimeline) -> list[str]:
    """A tick per day when the range is short, per month's first day otherwise; lane names on the left."""
    out = []
    height = LANE * len(_lanes(line))
    days = (line.end - line.start).days
    day = line.start
    while day < line.end:
        if days <= 45 or day.day == 1:
            x = _x(line, day)
            out.append(svg.element("line", x1=f"{x:.1f}", y1=TOP, x2=f"{x:.1f}", y2=TOP + height, stroke="#e4e4e4"))
            label = day.strftime("%d") if days <= 45 and day.day != 1 else day.strftime("%b %Y")
            out.append(svg.text(x, TOP - 6, label, text_anchor="middle", fill="#555"))
        day += timedelta(days=1)
    for kind, label in _lanes(line):
        out.append(svg.text(8, _y(line, kind) + 4, label, fill="#333"))
    return out


def _label(event: Event) -> str:
    when = event.at.strftime("%Y-%m-%d %H:%M")
    if event.kind in ATTEMPTS:
        of = f" of {event.related}" if event.related else ""
        return f"{event.kind} RDL{of} {when}: " + ("downloaded" if event.ok else f"failed ({event.detail})")
    if event.kind == "status":
        return f"{event.detail} from {when}"
    if event.kind == "note":
        return f"{when}: {event.detail}"
    if event.kind == "generation":
        return f"{when}: tachograph generation {event.detail}"
    if event.kind == "planned":
        return f"next {event.detail} attempt {when}"
    return f"manual RDL requested {when}"


def _period(line: SubjectTimeline, event: Event, title: str, common: dict[str, str | None]) -> str:
    """A status as a band from its start to the next status (or the window's end), coloured by what it allows."""
    later = [e.at for e in line.events if e.kind == event.kind and e.at > event.at]
    x0, x1, y = _x(line, event.at), _x(line, min([*later, line.end])), _y(line, event.kind)
    colour = PENDING if event.ok is None else OK if event.ok else FAILED
    band = svg.element("rect", x=f"{x0:.1f}", y=f"{y - 8:.1f}", width=f"{max(1.0, x1 - x0):.1f}", height=16,
                       fill=colour, fill_opacity="0.55")  # fmt: skip
    label = svg.text(x0 + 3, y + 4, event.detail or "", fill="#111")
    return svg.element("g", title + band + label, class_="event status", data_ok=str(event.ok).lower(), **common)


def _mark(line: SubjectTimeline, event: Event) -> str:
    x, y = _x(line, event.at), _y(line, event.kind)
    title = svg.element("title", svg.escape(_label(event)))
    common = {"data_kind": event.kind, "data_at": event.at.strftime("%Y-%m-%dT%H:%M:%SZ"), "data_detail": event.detail,
              "data_related": event.related}  # fmt: skip
    if event.kind == "status":
        return _period(line, event, title, common)
    if event.kind in ATTEMPTS:
        colour = OK if event.ok else FAILED
        return svg.element("circle", title, class_="event attempt", data_ok=str(event.ok).lower(), cx=f"{x:.1f}",
                           cy=f"{y:.1f}", r=5, fill=colour, stroke="#fff", **common)  # fmt: skip
    if event.kind == "generation":
        body = title + svg.text(x + 4, y + 4, event.detail or "", fill=MARK)
        bar = svg.element("rect", x=f"{x - 1:.1f}", y=f"{y - 9:.1f}", width=3, height=18, fill=MARK)
        return svg.element("g", bar + body, class_="event", **common)
    if event.kind == "note":
        body = title + svg.text(x + 6, y + 4, event.detail or "", fill=MARK)
        dot = svg.element("rect", x=f"{x - 4:.1f}", y=f"{y - 4:.1f}", width=8, height=8, fill=MARK)
        return svg.element("g", dot + body, class_="event", **common)
    if event.kind == "planned":
        return svg.element("circle", title, class_="event", cx=f"{x:.1f}", cy=f"{y:.1f}", r=5, fill="none",
                           stroke=MARK, stroke_dasharray="2,2", **common)  # fmt: skip
    return svg.element("path", title, class_="event", d=f"M{x:.1f},{y - 6:.1f} l5,10 h-10 z", fill=MARK, **common)


def render_timeline(line: SubjectTimeline) -> str:
    height = TOP + LANE * len(_lanes(line)) + 22
    body = _axis(line)
    if line.start <= line.now < line.end:
        x = _x(line, line.now)
        body.append(svg.element("line", x1=f"{x:.1f}", y1=TOP - 2, x2=f"{x:.1f}", y2=TOP + LANE * len(_lanes(line)),
                                stroke=FAILED, stroke_dasharray="4,3", class_="now"))  # fmt: skip
        body.append(svg.text(x, height - 6, "now " + line.now.strftime("%Y-%m-%d %H:%M"), text_anchor="middle"))
    body.extend(_mark(line, event) for event in line.events)
    title = f"Download timeline of {line.kind} {line.key} ({line.account})"
    return svg.document(WIDTH, height, title, body)
