"""The ELD grid: the day's segments tile the drawn span, violations start where a clock runs out, clocks agree with
`fleetmock hos clocks`, and the SVG is well-formed for any log."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.charts import render_hos_day
from mockserver.cli import main
from mockserver.reveal.hos import DutyEvent, DutyStatus, HosOptions, duty_day, parse_log

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2026, 11, 2)


def _log(*rows: tuple[str, str]) -> list[DutyEvent]:
    return list(parse_log([[at, status] for at, status in rows]))


def _segments(svg: str) -> list[ElementTree.Element]:
    return [g for g in ElementTree.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "duty-segment"]


def test_twelve_hours_of_driving_is_flagged_after_eleven() -> None:
    events = _log(("2026-11-01T00:00:00Z", "OFF"), ("2026-11-02T06:00:00Z", "D"), ("2026-11-02T18:00:00Z", "OFF"))
    day = duty_day(events, DAY, HosOptions(short_haul=True))
    assert [(s.status, s.start, s.end) for s in day.segments] == [
        ("OffDuty", 0, 360), ("OnDutyDriving", 360, 1080), ("OffDuty", 1080, 1440)
    ]  # fmt: skip
    assert [(v.rule, v.start, v.end) for v in day.violations] == [("11-hour driving", 360 + 660, 1080)]


def test_eight_hours_without_a_break_is_flagged_at_the_break_clock() -> None:
    events = _log(("2026-11-01T00:00:00Z", "OFF"), ("2026-11-02T06:00:00Z", "D"), ("2026-11-02T15:00:00Z", "OFF"))
    day = duty_day(events, DAY, HosOptions())
    assert [(v.rule, v.start) for v in day.violations] == [("30-minute break", 360 + 480)]


def test_a_legal_day_has_no_violation_and_its_clocks_are_the_cli_clocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["2026-11-01T00:00:00Z", "OFF"], ["2026-11-02T06:00:00Z", "ON", "Inspection"],
            ["2026-11-02T06:30:00Z", "D"], ["2026-11-02T10:00:00Z", "OFF", "30MinBreak"], ["2026-11-02T10:30:00Z", "D"],
            ["2026-11-02T13:00:00Z", "SB"]]  # fmt: skip
    log = tmp_path / "log.json"
    log.write_text(json.dumps(rows))
    out = tmp_path / "log.svg"
    at = "2026-11-02T12:00:00Z"
    assert main(["hos", "chart", "--log", str(log), "--day", DAY.isoformat(), "--at", at, "-o", str(out)]) == 0
    svg = out.read_text()
    assert main(["hos", "clocks", "--log", str(log), "--at", at]) == 0
    expected = json.loads(capsys.readouterr().out)
    texts = [t for t in ElementTree.fromstring(svg).iter(f"{SVG}text") if t.get("data-clock")]
    assert {t.get("data-clock"): int(t.get("data-minutes") or -1) for t in texts} == expected
    assert next(t.text for t in texts) == f"Drive {expected['driveLeft'] // 60}:{expected['driveLeft'] % 60:02d}"
    assert [g.get("data-status") for g in _segments(svg)] == [
        "OffDuty", "OnDutyNotDriving", "OnDutyDriving", "OffDuty", "OnDutyDriving", "SleeperBerth"
    ]  # fmt: skip
    assert [g.get("data-sub-status") for g in _segments(svg)][1] == "OnDutyNotDrivingInspection"
    assert "violation" not in svg


def test_chart_cli_rejects_a_bad_day_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.json"
    log.write_text('[["2026-11-02T00:00:00Z", "OFF"]]')
    assert main(["hos", "chart", "--log", str(log), "--day", "tomorrow", "-o", str(tmp_path / "x.svg")]) == 2
    assert capsys.readouterr().err.strip() == "fleetmock hos chart: error: --day: not a day (YYYY-MM-DD): 'tomorrow'"


@given(st.lists(st.tuples(st.integers(0, 3 * 1440 - 1), st.sampled_from(list(DutyStatus))), min_size=1, max_size=12))
def test_segments_tile_the_day_from_the_first_status(rows: list[tuple[int, DutyStatus]]) -> None:
    base = datetime(2026, 11, 1, tzinfo=UTC)
    events = [DutyEvent(base + timedelta(minutes=m), s) for m, s in rows]
    day = duty_day(events, DAY, HosOptions())
    segments = day.segments
    first = min(m for m, _ in rows) - 1440
    if segments:
        assert segments[0].start == max(first, 0) and segments[-1].end == 1440
        assert all(a.end == b.start for a, b in itertools.pairwise(segments))
    assert sum(day.totals().values()) == (1440 - max(first, 0) if first < 1440 else 0)
    assert all(v.start < v.end and v.start >= 0 for v in day.violations)
    ElementTree.fromstring(render_hos_day(day))


def test_the_clocks_instant_fits_in_the_drawing() -> None:
    """The instant the clocks are for was one line with "Clocks" and ran past the SVG's right edge in the console."""
    events = _log(("2026-11-01T00:00:00Z", "OFF"), ("2026-11-02T06:00:00Z", "D"))
    day = duty_day(events, DAY, HosOptions(), at=datetime(2026, 11, 2, 13, 37, tzinfo=UTC))
    root = ElementTree.fromstring(render_hos_day(day))
    width = float(root.get("width") or 0)
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size") or 12)
        # a generous 0.6 em per character for the sans-serif face the chart asks for
        assert float(text.get("x") or 0) + len(text.text or "") * 0.6 * size <= width, text.text
    assert any("13:37" in (t.text or "") and t.get("class") == "clocks-at" for t in root.iter(f"{SVG}text"))
