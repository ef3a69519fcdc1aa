"""The one place mutable state lives, behind one interface.

State is split in sections, one per concern (OAuth grants, remote-download requests, fault rules, ...). Each
section is a plain object that can turn itself into JSON and back; sections are registered by name, so a new concern
adds a section without touching the store. Writers hold the store's lock for the whole read-modify-write, so
parallel requests never lose an update.

`MemoryStore` is the default. `SqliteStore` (`fleetmock serve --state FILE`) keeps the same sections in SQLite:
every write commits before the request is answered (so `kill -9` loses nothing acknowledged), and several worker
processes share one file, each reloading the sections another one changed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from mockserver.clock import ClockState
from mockserver.errors import StateUnavailable


class Section(Protocol):
    def to_json(self) -> Any: ...


SectionFactory = Callable[[Any | None], Section]  # builds a section from its JSON, or empty from None
S = TypeVar("S", bound=Section)

STATE_VERSION = 1
BUSY_AFTER = 5.0  # seconds a request waits for the store before it is answered 503 (the watchdog)


@contextmanager
def acquired(lock: threading.RLock) -> Iterator[None]:
    """Hold `lock`, or raise `StateUnavailable` after `BUSY_AFTER` seconds of waiting (a watchdog, not a deadlock)."""
    if not lock.acquire(timeout=BUSY_AFTER):
        raise StateUnavailable.busy(BUSY_AFTER)
    try:
        yield
    finally:
        lock.release()


class StateError(ValueError):
    """A snapshot that cannot be restored (unknown version or section, malformed content)."""


class MemoryStore:
    def __init__(self, factories: dict[str, SectionFactory]) -> None:
        self._factories = dict(factories)
        self._lock = threading.RLock()
        self._sections: dict[str, Section] = {name: make(None) for name, make in self._factories.items()}
        self._writes = 0

    @property
    def generation(self) -> int:
        """Changes whenever the state may have changed: read models derived from it can be cached by it."""
        return self._writes

    def begin_request(self) -> int | None:
        """Called as each request begins: a shared store catches up here and may number the request's trace."""
        return None

    def section(self, name: str, kind: type[S]) -> S:
        value = self._sections[name]
        if not isinstance(value, kind):
            raise TypeError(f"state section {name!r} is a {type(value).__name__}, not {kind.__name__}")
        return value

    @contextmanager
    def write(self) -> Iterator[None]:
        """Hold the lock for a read-modify-write of any sections."""
        with acquired(self._lock):
            try:
                yield
            finally:
                self._writes += 1

    def snapshot(self) -> dict[str, Any]:
        with self.write():
            return {"version": STATE_VERSION, "sections": {n: s.to_json() for n, s in self._sections.items()}}

    def _fresh(self, snapshot: Any) -> dict[str, Section]:
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("sections"), dict):
            raise StateError("a state snapshot is an object with 'version' and 'sections'")
        version = snapshot.get("version")
        if not isinstance(version, int) or version > STATE_VERSION:
            raise StateError(f"state version {version!r} is newer than this simulator's ({STATE_VERSION})")
        raw = snapshot["sections"]
        unknown = set(raw) - set(self._factories)
        if unknown:
            raise StateError(f"unknown state sections: {', '.join(sorted(unknown))}")
        try:
            return {name: make(raw.get(name)) for name, make in self._factories.items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StateError(f"malformed state: {exc}") from exc

    def restore(self, snapshot: Any) -> None:
        """Replace every section from a snapshot; all or nothing."""
        fresh = self._fresh(snapshot)
        with self.write():
            self._sections = fresh

    def reset(self) -> None:
        with self.write():
            self._sections = {name: make(None) for name, make in self._factories.items()}


class TransactionalStore(MemoryStore):
    """A store whose writes are transactions of an engine (SQLite, PostgreSQL), shared with other processes.

    The bookkeeping both share: the outermost `write()` runs the engine's transaction (`_transaction`), a nested
    one joins it (the outermost commits), and reads outside a write may catch up with other processes first
    (`_depth == 0`). `on_reload` is called (under the lock) when sections were reloaded because another process
    changed them, so derived caches can be dropped.
    """

    def __init__(self, factories: dict[str, SectionFactory]) -> None:
        super().__init__(factories)
        self.on_reload: Callable[[], None] | None = None
        self._depth = 0

    @contextmanager
    def write(self) -> Iterator[None]:
        with acquired(self._lock):
            if self._depth > 0:  # nested: the outermost write commits
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                with self._transaction():
                    yield
            finally:
                self._depth = 0
                self._writes += 1

    def _transaction(self) -> AbstractContextManager[None]:
        """The engine's transaction around the outermost write; it sets `_depth = 1` before yielding."""
        raise NotImplementedError


def _text(section: Section) -> str:
    return json.dumps(section.to_json(), sort_keys=True, separators=(",", ":"))


def _begin(db: sqlite3.Connection) -> None:
    """Take SQLite's write lock; another process holding it past `BUSY_AFTER` seconds: `StateUnavailable`."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StateUnavailable.busy(BUSY_AFTER, "the state file (locked by another process)") from exc
        raise


class SqliteStore(TransactionalStore):
    """Sections persisted in a SQLite file, shared by every process that opens it."""

    def __init__(self, path: str | Path, factories: dict[str, SectionFactory]) -> None:
        super().__init__(factories)
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_AFTER)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("CREATE TABLE IF NOT EXISTS sections (name TEXT PRIMARY KEY, body TEXT NOT NULL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._texts: dict[str, str] = {}
        self._clock: ClockState | None = None
        self._clock_text: str | None = None
        self._version = -1
        with self._lock:
            self._reload(force=True)

    # -- meta -------------------------------------------------------------------------------------------------------
    def meta(self, key: str) -> Any | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        with self.write():
            self._put_meta(key, value)

    def _put_meta(self, key: str, value: Any) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    # -- loading ----------------------------------------------------------------------------------------------------
    def _reload(self, force: bool = False) -> None:
        version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        if not force and version == self._version:
            return
        self._version = version
        rows = dict(self._db.execute("SELECT name, body FROM sections").fetchall())
        changed = False
        for name, make in self._factories.items():
            text = rows.get(name)
            if text is None:
                if name not in self._texts:
                    self._texts[name] = _text(self._sections[name])
                continue
            if force or text != self._texts.get(name):
                self._sections[name] = make(json.loads(text))
                self._texts[name] = text
                changed = True
        clock_row = self._db.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()
        if clock_row is not None and clock_row[0] != self._clock_text:
            self._clock_text = clock_row[0]
            self._clock = ClockState.from_json(json.loads(clock_row[0]))
        if changed and not force and self.on_reload is not None:
            self.on_reload()

    def section(self, name: str, kind: type[S]) -> S:
        with acquired(self._lock):
            if self._depth == 0:
                self._reload()
            return super().section(name, kind)

    @property
    def generation(self) -> int:
        with acquired(self._lock):
            if self._depth == 0:
                self._reload()
            return self._writes * 1_000_003 + self._version

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        _begin(self._db)
        self._depth = 1
        try:
            self._reload()
            yield
            for name, section in self._sections.items():
                text = _text(section)
                if text != self._texts.get(name):
                    self._db.execute("INSERT OR REPLACE INTO sections (name, body) VALUES (?, ?)", (name, text))
                    self._texts[name] = text
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            self._reload(force=True)  # in-memory sections may hold the refused change
            raise

    # -- the shared clock -------------------------------------------------------------------------------------------
    def load_clock(self) -> ClockState | None:
        with acquired(self._lock):
            if self._depth == 0:
                self._reload()
            return self._clock

    def save_clock(self, state: ClockState) -> None:
        with self.write():
            text = json.dumps(state.to_json())
            self._put_meta("clock", state.to_json())
            self._clock, self._clock_text = state, text

    def close(self) -> None:
        self._db.close()
