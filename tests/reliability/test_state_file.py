"""A `--state` file that cannot be used is refused at start with the reason and the way out (issue 15, items 3, 5)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.cli import statefile
from mockserver.simulator import state_sections


def _serve(state: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`fleetmock serve` on a state file that must be refused: it exits before serving."""
    command = [sys.executable, "-m", "mockserver", "serve", "--port", "1", "--state", str(state), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _made(tmp_path: Path) -> Path:
    path = tmp_path / "state.db"
    statefile.open_state(str(path), state_sections()).close()
    return path


def _edit(path: Path, sql: str, *args: object) -> None:
    with sqlite3.connect(path) as db:
        db.execute(sql, args)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', '99')",), "newer"),
        (("INSERT INTO sections (name, body) VALUES ('mystery', '{}')",), r"unknown sections \(mystery\)"),
        (
            ("INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)",
             json.dumps({"anchor": "9999-01-01T00:00:00Z", "wallAnchor": 0, "rate": 1})),
            "2100",
        ),
    ],
)  # fmt: skip
def test_a_state_file_this_fleetmock_cannot_use_is_refused(tmp_path: Path, change: tuple, said: str) -> None:
    path = _made(tmp_path)
    _edit(path, *change)
    with pytest.raises(statefile.StateFileError, match=said) as refused:
        statefile.open_state(str(path), state_sections())
    assert "--reset-state" in str(refused.value) or "newer fleetmock" in str(refused.value)


def test_an_unknown_world_option_is_refused_not_a_traceback(tmp_path: Path) -> None:
    path = _made(tmp_path)
    _edit(path, "INSERT OR REPLACE INTO meta (key, value) VALUES ('world', ?)", json.dumps({"planet": "mars"}))
    answer = _serve(path)
    assert answer.returncode == 2, answer.stdout + answer.stderr
    assert "unknown world options (planet)" in answer.stderr and "Traceback" not in answer.stderr


def test_reset_state_moves_the_file_aside(tmp_path: Path) -> None:
    path = _made(tmp_path)
    _edit(path, "INSERT INTO sections (name, body) VALUES ('mystery', '{}')")
    moved = statefile.reset(str(path))
    assert moved is not None and Path(moved).exists() and not path.exists()
    statefile.open_state(str(path), state_sections()).close()  # afresh


def test_a_read_only_state_file_is_refused_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(`os.access` answers as for a read-only file: the tests may run as root, who may write anyway.)"""
    path = _made(tmp_path)
    monkeypatch.setattr(statefile.os, "access", lambda p, mode: Path(p) != path)
    with pytest.raises(statefile.StateFileError, match="read-only"):
        statefile.open_state(str(path), state_sections())


def test_a_read_only_directory_is_refused_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _made(tmp_path)
    monkeypatch.setattr(statefile.os, "access", lambda p, mode: Path(p) != path.parent)
    with pytest.raises(statefile.StateFileError, match="read-only"):
        statefile.open_state(str(path), state_sections())


def test_a_wal_that_left_nothing_behind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    Path(f"{path}-wal").write_bytes(b"\x00garbage" * 512)
    with pytest.raises(statefile.StateFileError, match="write-ahead log"):
        statefile.open_state(str(path), state_sections())
