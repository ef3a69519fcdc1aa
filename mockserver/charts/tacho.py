"""A driver's day from a tachograph file: the 24-hour activity chart every analysis tool draws, with EU totals.

One bar per activity change recorded for the day (so the chart holds exactly the records the file holds), card
insertions and withdrawals and places (begin and end of the daily work period) as markers. A card's totals are
its holder's (the card in either slot: a crew's cards swap slots at every turn at the wheel), a VU day's the
driver slot's.
Not simulated: border crossings and load/unload operations (the simulated cards leave those EFs empty), and the
EU rest check over the 24 hours from the end of the previous daily rest: totals are per calendar day (UTC), as drawn.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mockserver.charts import svg
from mockserver.tachograph.card.file import read_card_file
from mockserver.tachograph.codec.primitives import TachoFormatError
from mockserver.tachograph.types import ActivityChange, Slot
from mockserver.tachograph.vu.file import read_vu_file

ZIP_MAGIC = b"PK\x03\x04"
ACTIVITY_NAMES = {0: "rest", 1: "availability", 2: "work", 3: "driving"}
COLOURS = {"rest": "#4f8fd6", "availability": "#9bc53d", "work": "#f4a259", "driving": "#d64550"}
HEIGHTS = {"rest": 8, "availability": 16, "work": 24, "driving": 32}
DAILY_DRIVING_LIMIT = 9 * 60  # Regulation (EC) 561/2006 art. 6(1); 10 h twice a week
REGULAR_DAILY_REST = 11 * 60
REDUCED_DAILY_REST = 9 * 60


class NoSuchDay(LookupError):
    """The file holds no activity record for the asked day."""


@dataclass(frozen=True)
class TachoBar:
    start: int  # minute of the day
    end: int
    activity: str
    slot: str  # "driver" | "co-driver"
    card_present: bool


@dataclass(frozen=True)
class TachoMarker:
    minute: int
    kind: str  # "insertion" | "withdrawal" | "place" | "border" | "load" | "unload" | "simultaneous" (Gen2 v2 VU)
    label: str


@dataclass(frozen=True)
class TachoDay:
    source: str
    day: date
    bars: tuple[TachoBar, ...]
    markers: tuple[TachoMarker, ...]
    card: bool = False  # a driver card's day: one card, in either slot (a crew swaps slots at every turn)

    def totals(self) -> dict[str, int | str]:
        """Minutes per activity (card inserted), the longest rest, and the EU daily checks for this day: of the
        card whatever slot it was in, or of a VU's driver slot."""
        minutes = dict.fromkeys(ACTIVITY_NAMES.values(), 0)
        counted = [b for b in self.bars if self.card or b.slot == "driver"]
        for bar in counted:
            if bar.card_present:
                minutes[bar.activity] += bar.end - bar.start
        longest = _longest_rest(counted)
        rest_check = (
            "regular" if longest >= REGULAR_DAILY_REST else "reduced" if longest >= REDUCED_DAILY_REST else "short"
        )
        return {
            **minutes,
            "longestRest": longest,
            "drivingCheck": "over 9 h" if minutes["driving"] > DAILY_DRIVING_LIMIT else "within 9 h",
            "dailyRest": rest_check,
        }


def _longest_rest(bars: Sequence[TachoBar]) -> int:
    """The longest run of rest (or no card, which counts as rest) in `bars` (one card's, or one slot's)."""
    best = run = 0
    for bar in bars:
        if bar.activity == "rest" or not bar.card_present:
            run += bar.end - bar.start
            best = max(best, run)
        else:
            run = 0
    return best


def bars_of(changes: Sequence[ActivityChange], one_card: bool = False) -> tuple[TachoBar, ...]:
    """One bar per change: it lasts until the next change in the same slot (of any slot for `one_card`, a card's
    day), or the end of the day."""
    bars = []
    for index, change in enumerate(changes):
        following = next((c.minute for c in changes[index + 1 :] if one_card or c.slot is change.slot), 1440)
        slot = "driver" if change.slot is Slot.DRIVER else "co-driver"
        bars.append(TachoBar(change.minute, max(following, change.minute), ACTIVITY_NAMES[change.activity], slot,
                             change.card_present))  # fmt: skip
    return tuple(bars)


def _minute(at: datetime | None, day: date) -> int | None:
    if at is None or at.date() != day:
        return None
    return at.hour * 60 + at.minute


def _markers(day: date, stamps: Iterable[tuple[datetime | None, str, str]]) -> tuple[TachoMarker, ...]:
    found = [(m, kind, label) for at, kind, label in stamps if (m := _minute(at, day)) is not None]
    return tuple(TachoMarker(m, kind, label) for m, kind, label in sorted(found))


def _place_label(entry_type: int, country: int) -> str:
    what = {0: "begin", 1: "end"}.get(entry_type & 0x7F, f"type {entry_type}")
    return f"{what}, country 0x{country:02X}"


def _card_day(data: bytes, name: str, day: date) -> TachoDay:
    card = read_card_file(data).download
    record = next((d for d in card.activity_days if d.day == day), None)
    if record is None:
        raise NoSuchDay(f"{name} holds no activity for {day.isoformat()}")
    stamps: list[tuple[datetime | None, str, str]] = []
    for used in card.vehicles_used:
        stamps.append((used.first_use, "insertion", used.registration.plate))
        stamps.append((used.last_use, "withdrawal", used.registration.plate))
    stamps += [(p.entry_time, "place", _place_label(p.entry_type, p.country)) for p in card.places]
    return TachoDay(name, day, bars_of(record.changes, one_card=True), _markers(day, stamps), card=True)


def _vu_day(data: bytes, name: str, day: date) -> TachoDay:
    download = read_vu_file(data).download
    record = next((d for d in download.days if d.day == day), None)
    if record is None:
        raise NoSuchDay(f"{name} holds no activity for {day.isoformat()}")
    stamps: list[tuple[datetime | None, str, str]] = []
    for insertion in record.card_insertions:
        stamps.append((insertion.inserted_at, "insertion", insertion.card.number))
        stamps.append((insertion.withdrawn_at, "withdrawal", insertion.card.number))
    stamps += [(p.place.entry_time, "place", _place_label(p.place.entry_type, p.place.country)) for p in record.places]
    stamps += [
        (c.place.timestamp, "border", f"0x{c.country_left:02X} to 0x{c.country_entered:02X}")
        for c in record.border_crossings
    ]
    stamps += [(o.timestamp, _OPERATIONS[o.operation], f"odometer {o.odometer} km") for o in record.load_operations]
    return TachoDay(name, day, bars_of(record.activity_changes), _markers(day, stamps))


_OPERATIONS = {1: "load", 2: "unload", 3: "simultaneous"}


def tacho_day(data: bytes, name: str, day: date) -> TachoDay:
    """The day of a VU file, a card file or a ZIP of card files (the newest member holding the day).

    Raises TachoFormatError for a file that does not parse, NoSuchDay when it holds nothing for `day`."""
    if data.startswith(ZIP_MAGIC):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise TachoFormatError(0, f"bad ZIP: {exc}") from exc
        for member in reversed(archive.infolist()):
            try:
                return tacho_day(archive.read(member), f"{name}!{member.filename}", day)
            except NoSuchDay:
                continue
        raise NoSuchDay(f"{name} holds no activity for {day.isoformat()}")
    if data[:1] == b"\x76":
        return _vu_day(data, name, day)
    return _card_day(data, name, day)


WIDTH, LEFT, CHART = 980, 100, 840
LANE_HEIGHT = 60


def _x(minute: int) -> float:
    return LEFT + CHART * minute / 1440


def _bar(bar: TachoBar, baseline: float) -> str:
    height = HEIGHTS[bar.activity]
    title = svg.element("title", svg.escape(f"{bar.activity} {svg.hh_mm(bar.start)}-{svg.hh_mm(bar.end)}"))
    return svg.element(
        "rect",
        title,
        class_=f"activity activity-{bar.activity}" + ("" if bar.card_present else " no-card"),
        data_start=bar.start,
        data_end=bar.end,
        data_activity=bar.activity,
        data_slot=bar.slot,
        x=f"{_x(bar.start):.1f}",
        y=f"{baseline - height:.1f}",
        width=f"{max(_x(bar.end) - _x(bar.start), 0.5):.1f}",
        height=height,
        fill=COLOURS[bar.activity],
        fill_opacity="1" if bar.card_present else "0.35",
    )


def _marker(marker: TachoMarker, top: float) -> str:
    x = _x(marker.minute)
    colour = {"insertion": "#2a9d8f", "withdrawal": "#6c757d"}.get(marker.kind, "#7b2cbf")
    title = svg.element("title", svg.escape(f"{marker.kind} {svg.hh_mm(marker.minute)}: {marker.label}"))
    return svg.element(
        "g",
        title
        + svg.element("line", x1=f"{x:.1f}", y1=top, x2=f"{x:.1f}", y2=top + 14, stroke=colour, stroke_width=2)
        + svg.element("circle", cx=f"{x:.1f}", cy=top, r=3, fill=colour),
        class_=f"marker marker-{marker.kind}",
        data_minute=marker.minute,
    )


def _totals_lines(day: TachoDay, top: float) -> list[str]:
    totals = day.totals()
    parts = [f"{name} {svg.hh_mm(int(totals[name]))}" for name in ("driving", "work", "availability", "rest")]
    first = "Totals (card inserted): " + ", ".join(parts)
    second = (
        f"Longest rest {svg.hh_mm(int(totals['longestRest']))} ({totals['dailyRest']} daily rest); "
        f"driving {totals['drivingCheck']}"
    )
    return [svg.text(LEFT, top, first, class_="totals"), svg.text(LEFT, top + 16, second, class_="checks")]


def render_tacho_day(day: TachoDay) -> str:
    """The day as an SVG document: hour grid, one lane per slot used, markers above, totals below."""
    slots = ["driver"] + (["co-driver"] if any(b.slot == "co-driver" for b in day.bars) else [])
    top = 50
    body = svg.hour_grid(LEFT, top - 10, CHART, LANE_HEIGHT * len(slots) + 10)
    body += [_marker(m, top - 6) for m in day.markers]
    for index, slot in enumerate(slots):
        baseline = top + LANE_HEIGHT * (index + 1) - 10
        body.append(svg.text(8, baseline - 8, slot, class_="lane"))
        body.append(svg.element("line", x1=LEFT, y1=baseline, x2=LEFT + CHART, y2=baseline, stroke="#333"))
        body += [_bar(b, baseline) for b in day.bars if b.slot == slot]
    legend_y = top + LANE_HEIGHT * len(slots) + 16
    for index, (name, colour) in enumerate(COLOURS.items()):
        x = LEFT + index * 120
        body.append(svg.element("rect", x=x, y=legend_y - 9, width=10, height=10, fill=colour))
        body.append(svg.text(x + 14, legend_y, name))
    body += _totals_lines(day, legend_y + 22)
    height = int(legend_y + 50)
    title = f"{day.source}: {day.day.isoformat()}"
    body.insert(0, svg.text(8, 16, title, font_weight="bold"))
    return svg.document(WIDTH, height, title, body)
