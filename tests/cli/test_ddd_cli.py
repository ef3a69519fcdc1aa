"""`fleetmock ddd inspect` on written files: human text, JSON, ZIPs of card files, and bad files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mockserver.cli import main
from mockserver.tachograph.history.card import build_card_files, card_zip
from mockserver.tachograph.history.fixed import DriverFacts, FixedCrew, VehicleFacts
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu.file import write_vu_file

DRIVER = DriverFacts(
    21, "DF00000000002100", 0x0D, "Schmidt", "Eva", date(1985, 2, 1), date(2023, 1, 2), date(2033, 1, 1)
)
VEHICLE = VehicleFacts(22, "WDB9634031L000022", 0x0D, "B-FM 22", Generation.GEN2V2, (DRIVER,), date(2023, 1, 2))


@pytest.fixture
def vu_file(tmp_path: Path) -> Path:
    path = tmp_path / "M_20240308_0800_B-FM_22_WDB9634031L000022.DDD"
    crew, moment = FixedCrew([VEHICLE]), datetime(2024, 3, 8, 8, tzinfo=UTC)
    download = build_vu_download(crew, VEHICLE.vin, date(2024, 3, 1), date(2024, 3, 8), moment)
    path.write_bytes(write_vu_file(download))
    return path


def test_inspect_full_prints_every_day(vu_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ddd", "inspect", str(vu_file), "--full"]) == 0
    out = capsys.readouterr().out
    assert "vehicle-unit file, gen2v2" in out
    assert "WDB9634031L000022" in out
    assert "days: 7" in out
    assert "2024-03-04:" in out and "driving=" in out


def test_inspect_json(vu_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ddd", "inspect", str(vu_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["vin"] == "WDB9634031L000022"
    assert report["plate"] == "B-FM 22"
    assert report["dayCount"] == 7
    assert report["days"][0]["date"] == "2024-03-01"
    assert sum(d["minutes"]["driving"] for d in report["days"]) > 0


def test_inspect_card_zip_lists_every_member(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = FixedCrew([VEHICLE]).history(DRIVER)
    moments = [datetime(2024, 3, 1, 20, tzinfo=UTC), datetime(2024, 3, 8, 20, tzinfo=UTC)]
    files = build_card_files(history, moments)
    path = tmp_path / "drivers.zip"
    path.write_bytes(card_zip([(f"C_{i}.DDD", data) for i, data in enumerate(files)]))
    assert main(["ddd", "inspect", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in report] == ["drivers.zip!C_0.DDD", "drivers.zip!C_1.DDD"]
    assert all(r["cardNumber"] == DRIVER.card_number and r["kind"] == "driver-card" for r in report)
    assert report[1]["dayCount"] >= report[0]["dayCount"]


def test_inspect_of_a_zip_is_a_short_summary_unless_full(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = FixedCrew([VEHICLE]).history(DRIVER)
    moments = [datetime(2024, 3, 1, 20, tzinfo=UTC), datetime(2024, 3, 8, 20, tzinfo=UTC)]
    path = tmp_path / "drivers.zip"
    path.write_bytes(card_zip([(f"C_{i}.DDD", data) for i, data in enumerate(build_card_files(history, moments))]))
    assert main(["ddd", "inspect", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert main(["ddd", "inspect", str(path)]) == 0
    short = capsys.readouterr().out.splitlines()
    assert main(["ddd", "inspect", str(path), "--full"]) == 0
    full = capsys.readouterr().out.splitlines()
    distinct = sorted({d["date"] for member in report for d in member["days"]})
    assert short[0] == "2 file(s):"
    assert f"days: {len(distinct)} ({distinct[0]} to {distinct[-1]})" in short
    assert f"who: {report[0]['cardNumber']} (Eva Schmidt)" in short
    newest = {d["date"]: d for member in report for d in member["days"]}
    changes = sum(d["activityChanges"] for d in newest.values())
    assert any(line.startswith(f"totals: {changes} activity changes; ") for line in short)
    assert len(short) < 10 < len(full)


def test_a_bad_file_exits_2_naming_the_offset(vu_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = vu_file.read_bytes()
    vu_file.write_bytes(data + b"\x00\x01")
    assert main(["ddd", "inspect", str(vu_file)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"offset {len(data)}" in err


def test_inspect_reads_a_gen2v2_card_in_its_own_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A month of a Gen2v2 card in a Gen2v2 unit: the CLI reads every EF and counts the Mobility Package records."""
    driver = replace(DRIVER, card_generation=Generation.GEN2V2)
    vehicle = replace(VEHICLE, drivers=(driver,))
    [data] = build_card_files(FixedCrew([vehicle]).history(driver), [datetime(2024, 3, 31, 20, tzinfo=UTC)])
    path = tmp_path / "C_20240331_2000_E_SCHMIDT_DF00000000002100.DDD"
    path.write_bytes(data)
    assert main(["ddd", "inspect", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["generation"] == "gen2v2" and report["size"] == len(data)
    assert report["loadUnloadOperations"] > 0 and report["gnssAccumulatedDriving"] > 0
    assert report["loadTypeEntries"] == 1
