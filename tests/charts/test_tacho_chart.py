"""The tachograph day chart: one bar per recorded activity change, totals from the same records, escaped, stable."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from mockserver.charts import NoSuchDay, render_tacho_day, tacho_day
from mockserver.cli import main
from mockserver.tachograph.history.card import build_card_files, card_zip
from mockserver.tachograph.history.fixed import DriverFacts, FixedCrew, VehicleFacts
from mockserver.tachograph.history.mobility import vehicle_day
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.inspect import summarize
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu.file import write_vu_file

SVG = "{http://www.w3.org/2000/svg}"
DRIVER = DriverFacts(
    31, "DF00000000003100", 0x0D, "Schmidt", "Eva", date(1985, 2, 1), date(2023, 1, 2), date(2033, 1, 1)
)
VEHICLE = VehicleFacts(32, "WDB9634031L000032", 0x0D, "B-FM 32", Generation.GEN2V2, (DRIVER,), date(2023, 1, 2))


@pytest.fixture(scope="module")
def card_zip_bytes() -> bytes:
    history = FixedCrew([VEHICLE]).history(DRIVER)
    moments = [datetime(2024, 3, 1, 20, tzinfo=UTC), datetime(2024, 3, 8, 20, tzinfo=UTC)]
    return card_zip([(f"C_{i}.DDD", data) for i, data in enumerate(build_card_files(history, moments))])


@pytest.fixture(scope="module")
def vu_bytes() -> bytes:
    crew, moment = FixedCrew([VEHICLE]), datetime(2024, 3, 8, 8, tzinfo=UTC)
    download = build_vu_download(crew, VEHICLE.vin, date(2024, 3, 1), date(2024, 3, 8), moment)
    return write_vu_file(download)


def _rects(svg: str) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(svg)
    return [e for e in root.iter(f"{SVG}rect") if "activity" in (e.get("class") or "").split()]


def _worked_days(data: bytes, name: str) -> list[dict[str, object]]:
    days = summarize(data, name)[-1].to_json()["days"]
    assert isinstance(days, list)
    return [d for d in days if d["minutes"]["driving"]]


def test_one_bar_per_activity_change_of_the_newest_card_file(card_zip_bytes: bytes) -> None:
    for record in _worked_days(card_zip_bytes, "z.zip")[-5:]:
        day = date.fromisoformat(str(record["date"]))
        rects = _rects(render_tacho_day(tacho_day(card_zip_bytes, "z.zip", day)))
        assert len(rects) == record["activityChanges"]
        minutes = {a: 0 for a in ("rest", "availability", "work", "driving")}
        for rect in rects:
            minutes[rect.get("data-activity") or ""] += int(rect.get("data-end") or 0) - int(
                rect.get("data-start") or 0
            )
        assert minutes["driving"] == record["minutes"]["driving"]  # type: ignore[index]


def test_bars_of_a_slot_tile_the_day_and_totals_agree_with_inspect(vu_bytes: bytes) -> None:
    record = _worked_days(vu_bytes, "v.ddd")[0]
    chart = tacho_day(vu_bytes, "v.ddd", date.fromisoformat(str(record["date"])))
    driver = [b for b in chart.bars if b.slot == "driver"]
    assert driver[0].start == 0 and driver[-1].end == 1440
    assert all(a.end == b.start for a, b in itertools.pairwise(driver))
    totals = chart.totals()
    assert totals["driving"] == record["minutes"]["driving"]  # type: ignore[index]
    assert totals["drivingCheck"] in ("within 9 h", "over 9 h")
    assert any(m.kind == "insertion" for m in chart.markers) or chart.bars[0].card_present


def test_a_missing_day_and_a_bad_file_are_told_apart(vu_bytes: bytes) -> None:
    with pytest.raises(NoSuchDay):
        tacho_day(vu_bytes, "v.ddd", date(2020, 1, 1))
    from mockserver.tachograph.codec.primitives import TachoFormatError

    with pytest.raises(TachoFormatError):
        tacho_day(b"\x76" + b"\x00" * 10, "v.ddd", date(2024, 3, 1))


def test_chart_is_stable_and_escapes_the_file_name(vu_bytes: bytes) -> None:
    day = date.fromisoformat(str(_worked_days(vu_bytes, "v")[0]["date"]))
    hostile = '<script>alert("x")</script>&.ddd'
    first = render_tacho_day(tacho_day(vu_bytes, hostile, day))
    assert first == render_tacho_day(tacho_day(vu_bytes, hostile, day))
    assert "<script>" not in first
    ElementTree.fromstring(first)  # well-formed


def test_cli_chart_writes_svg_and_fails_cleanly(
    vu_bytes: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "v.ddd"
    path.write_bytes(vu_bytes)
    day = str(_worked_days(vu_bytes, "v")[0]["date"])
    out = tmp_path / "day.svg"
    assert main(["ddd", "chart", str(path), "--day", day, "-o", str(out)]) == 0
    assert len(_rects(out.read_text())) == _worked_days(vu_bytes, "v")[0]["activityChanges"]
    assert main(["ddd", "chart", str(path), "--day", "2001-01-01", "-o", str(out)]) == 2
    assert "holds no activity for 2001-01-01" in capsys.readouterr().err


def test_a_gen2v2_vu_day_marks_its_border_crossings_and_loads(vu_bytes: bytes) -> None:
    crew = FixedCrew([VEHICLE])
    marked = 0
    for offset in range(7):
        day = date(2024, 3, 1 + offset)
        record = vehicle_day(crew, VEHICLE.vin, day)
        if record.driver is None:
            continue
        chart = tacho_day(vu_bytes, "v.ddd", day)
        borders = [(m.minute, m.label) for m in chart.markers if m.kind == "border"]
        assert borders == [
            (c.at.hour * 60 + c.at.minute, f"0x{c.country_left:02X} to 0x{c.country_entered:02X}")
            for c in record.crossings
        ]
        loads = [(m.minute, m.kind) for m in chart.markers if m.kind in ("load", "unload", "simultaneous")]
        assert sorted(loads) == sorted((o.at.hour * 60 + o.at.minute, o.operation.name.lower()) for o in record.loads)
        svg_text = render_tacho_day(chart)
        assert svg_text.count("marker-load") == sum(1 for _, kind in loads if kind == "load")
        marked += len(loads)
    assert marked
