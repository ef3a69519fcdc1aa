"""Opening a `--state` SQLite file with clear refusals: each says why, and how to recover (`--reset-state`).

Refused at start: a file (or its directory) that cannot be written (every write would fail), a write-ahead log
that exists but left no state behind (a corrupted WAL: SQLite drops it silently), a newer state version, an unknown
section, an unknown world option, a clock beyond the simulator's latest instant. `--reset-state` moves the file and
its WAL aside (`FILE.broken-N`) and starts afresh.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from mockserver.store import STATE_VERSION, SectionFactory, SqliteStore

RECOVER = "start with --reset-state to move it aside and begin afresh"


class StateFileError(Exception):
    """A state file that cannot be used, said in one line with the way out."""


def reset(path: str) -> str | None:
    """Move `path` and its WAL/SHM files aside; the name they got, or None when there was nothing."""
    target = Path(path)
    if not target.exists():
        return None
    n = 1
    while Path(f"{path}.broken-{n}").exists():
        n += 1
    for suffix in ("", "-wal", "-shm"):
        part = Path(path + suffix)
        if part.exists():
            part.rename(f"{path}.broken-{n}{suffix}")
    return f"{path}.broken-{n}"


def _check_writable(path: Path) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        raise StateFileError(f"state file {path} is read-only: every change would fail; make it writable")
    if not os.access(directory, os.W_OK):
        raise StateFileError(f"the directory of state file {path} is read-only (SQLite writes its WAL beside it)")


def _wal_lost(path: Path) -> bool:
    """A non-empty WAL beside a file that holds nothing: what SQLite leaves after ignoring a corrupted WAL."""
    wal = Path(f"{path}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return False
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        try:
            return db.execute("SELECT count(*) FROM meta").fetchone()[0] == 0
        except sqlite3.DatabaseError:
            return True


def open_state(path: str, sections: dict[str, SectionFactory]) -> SqliteStore:
    """The store of `path`, checked; `StateFileError` says what is wrong and how to recover."""
    target = Path(path)
    _check_writable(target)
    existed = target.exists()
    try:
        if existed and _wal_lost(target):
            raise StateFileError(f"state file {path}: its write-ahead log could not be applied (corrupted?); {RECOVER}")
        store = SqliteStore(path, sections)
        if not existed:
            store.set_meta("version", STATE_VERSION)
        _check_contents(store, sections, path)
    except (sqlite3.DatabaseError, ValueError, KeyError, TypeError) as exc:
        raise StateFileError(f"cannot open state file {path}: {exc}; {RECOVER}") from exc
    return store


def _check_contents(store: SqliteStore, sections: dict[str, SectionFactory], path: str) -> None:
    version = store.meta("version")
    if isinstance(version, int) and version > STATE_VERSION:
        raise StateFileError(
            f"state file {path} has state version {version}, newer than this fleetmock's ({STATE_VERSION}); "
            f"use a newer fleetmock, or {RECOVER}"
        )
    names = {row[0] for row in store._db.execute("SELECT name FROM sections")}
    unknown = sorted(names - set(sections))
    if unknown:
        raise StateFileError(f"state file {path} has unknown sections ({', '.join(unknown)}); {RECOVER}")


def world_options(recorded: Any, known: tuple[str, ...], path: str) -> dict[str, Any]:
    """The world options a state file recorded, refused clearly when it holds keys this fleetmock does not know."""
    if not isinstance(recorded, dict):
        raise StateFileError(f"state file {path} records no readable world; {RECOVER}")
    unknown = sorted(set(recorded) - set(known))
    if unknown:
        raise StateFileError(f"state file {path} records unknown world options ({', '.join(unknown)}); {RECOVER}")
    return recorded
