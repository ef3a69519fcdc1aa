"""`fleetmock hos clocks`: every public vector in-process, a sample as a real subprocess, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockserver.cli import main

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "reveal" / "hos" / "data" / "hos-vectors-public.json").read_text()
)
PROJECT_ROOT = Path(__file__).parents[2]


def _flags(options: dict[str, Any]) -> list[str]:
    flags = ["--cycle-days", str(options.get("ruleCycleDays", 8))]
    flags += ["--adverse"] if options.get("adverseDrivingConditions") else []
    flags += ["--short-haul"] if options.get("shortHaulException") else []
    flags += ["--passenger"] if options.get("carrierType") == "passenger" else []
    return flags


def _args(vector: dict[str, Any], tmp_path: Path) -> list[str]:
    log = tmp_path / f"{vector['id']}.json"
    log.write_text(json.dumps(vector["events"]))
    return [
        "hos",
        "clocks",
        "--log",
        str(log),
        "--at",
        vector["queryUtc"],
        *_flags(vector.get("options", {})),
    ]


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["id"] for vector in VECTORS])
def test_every_vector_in_process(
    vector: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_args(vector, tmp_path)) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert json.loads(out) == vector["expectedMinutes"]
    assert list(json.loads(out)) == ["driveLeft", "windowLeft", "breakLeft", "cycleLeft"]


SAMPLE = [vector for vector in VECTORS if vector["id"] in {"V1", "V10", "V12a", "V17", "V18"}]


@pytest.mark.parametrize("vector", SAMPLE, ids=[vector["id"] for vector in SAMPLE])
def test_sample_as_a_subprocess(vector: dict[str, Any], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mockserver", *_args(vector, tmp_path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == vector["expectedMinutes"]


def _run_bad(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["hos", "clocks", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "Traceback" not in captured.err
    return captured.err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _run_bad(["--log", str(tmp_path / "nope.json"), "--at", "2024-06-03T00:00:00Z"], capsys)
    assert "cannot read" in err


def test_bad_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.json"
    log.write_text('[["2024-06-03T00:00:00Z", "OffDuty"]')
    assert "not valid JSON" in _run_bad(["--log", str(log), "--at", "2024-06-03T00:00:00Z"], capsys)


def test_unknown_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.json"
    log.write_text('[["2024-06-03T00:00:00Z", "Lunch"]]')
    assert "unknown duty status 'Lunch'" in _run_bad(
        ["--log", str(log), "--at", "2024-06-03T00:00:00Z"], capsys
    )


def test_bad_at(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.json"
    log.write_text('[["2024-06-03T00:00:00Z", "OffDuty"]]')
    assert "--at" in _run_bad(["--log", str(log), "--at", "noon"], capsys)


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "log.json"
    log.write_bytes(b"\xff\xfe\x00garbage")
    assert "UTF-8" in _run_bad(["--log", str(log), "--at", "2024-06-03T00:00:00Z"], capsys)


def test_bad_input_as_a_subprocess_has_no_traceback(tmp_path: Path) -> None:
    log = tmp_path / "log.json"
    log.write_text('{"not": "a list"}')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mockserver",
            "hos",
            "clocks",
            "--log",
            str(log),
            "--at",
            "2024-06-03T00:00:00Z",
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "JSON list" in result.stderr
