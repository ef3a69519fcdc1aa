"""`PostgresStore`: the state sections and the clock of one simulator in PostgreSQL, shared by every instance.

Consistency, the way instances agree:
- A write (`store.write()`) is one transaction that first locks the single `fm_meta` row (`FOR UPDATE`), so writes
  of all instances are serialized; inside the lock the sections another instance changed are reloaded before the
  writer reads them, and the changed sections are written back with the next generation number before COMMIT.
  Read-modify-write is therefore exact across instances (one RDL request wins, a `times: 3` rule fires three times).
- A read is served from this instance's copy, checked once per request: `begin_request()` reads the generation
  (and draws the request's trace number) in one round trip and reloads only the sections whose generation is newer.
  A change committed by another instance before a request began is therefore seen by that request, and read
  caches keyed on `generation` are never stale.
- The clock's anchor and rate live in `fm_meta` too, so every instance computes the same instant from its wall
  clock (instances on several machines need synchronized wall clocks, e.g. NTP).

Not simulated: a change committed while a request is being served is seen by that request only where it writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mockserver.clock import ClockState
from mockserver.store import SectionFactory, TransactionalStore, _text, acquired
from mockserver.stores.pg_runtime import Connections, one

UNKNOWN = -1


class PostgresStore(TransactionalStore):
    def __init__(self, connections: Connections, factories: dict[str, SectionFactory]) -> None:
        super().__init__(factories)
        self.connections = connections
        self._texts: dict[str, str] = {}
        self._gen = UNKNOWN
        self._clock: ClockState | None = None
        self._clock_text: str | None = None
        self._clock_dirty = False
        self._restart_trace = False
        self.begin_request()

    # -- reading ----------------------------------------------------------------------------------------------------
    def begin_request(self) -> int | None:
        """Bring this copy up to date with the database; the request's trace number (one round trip)."""
        with acquired(self._lock), self.connections.connection() as conn:
            row = one(conn, "SELECT generation, clock, nextval('fm_trace') FROM fm_meta WHERE id = 1")
            if self._depth == 0:
                self._load(conn, int(row[0]), row[1])
            return int(row[2])

    def _load(self, conn: Any, generation: int, clock_text: str | None) -> None:
        if generation != self._gen:
            full = self._gen == UNKNOWN
            rows = conn.execute("SELECT name, body FROM fm_sections WHERE gen > %s", (self._gen,)).fetchall()
            texts = dict(rows)
            changed = bool(texts)
            for name, make in self._factories.items():
                text = texts.get(name)
                if text is not None and text != self._texts.get(name):
                    self._sections[name] = make(json.loads(text))
                    self._texts[name] = text
                elif text is None and full:  # never written: empty, whatever this copy held
                    self._sections[name] = make(None)
                    self._texts[name] = _text(self._sections[name])
            self._gen = generation
            if changed and not full and self.on_reload is not None:
                self.on_reload()
        if clock_text is not None and clock_text != self._clock_text:
            self._clock_text = clock_text
            self._clock = ClockState.from_json(json.loads(clock_text))

    @property
    def generation(self) -> int:
        return self._gen * 1_000_003 + self._writes

    # -- writing ----------------------------------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            with self.connections.connection() as conn, conn.transaction():
                row = one(conn, "SELECT generation, clock FROM fm_meta WHERE id = 1 FOR UPDATE")
                self._load(conn, int(row[0]), row[1])
                self._depth = 1
                yield
                self._commit(conn, int(row[0]))
        except BaseException:
            self._forget()  # this copy may hold the refused change: reload all at the next use
            raise
        finally:
            self._clock_dirty = False
            self._restart_trace = False

    def _commit(self, conn: Any, generation: int) -> None:
        changed = {name: _text(s) for name, s in self._sections.items()}
        changed = {name: text for name, text in changed.items() if text != self._texts.get(name)}
        if not changed and not self._clock_dirty and not self._restart_trace:
            return
        new = generation + 1
        for name, text in changed.items():
            conn.execute(
                "INSERT INTO fm_sections (name, body, gen) VALUES (%s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body, gen = EXCLUDED.gen",
                (name, text, new),
            )
        if self._restart_trace:
            conn.execute("SELECT setval('fm_trace', 1, false)")
        conn.execute("UPDATE fm_meta SET generation = %s, clock = %s WHERE id = 1", (new, self._clock_text))
        self._texts.update(changed)
        self._gen = new

    def _forget(self) -> None:
        self._gen = UNKNOWN
        self._texts.clear()
        self._clock_text = None

    def section(self, name: str, kind: type[Any]) -> Any:
        if self._gen == UNKNOWN and self._depth == 0:
            self.begin_request()  # after a failed write: reload before anyone reads the refused change
        return super().section(name, kind)

    def reset(self) -> None:
        with self.write():
            super().reset()
            self._restart_trace = True

    # -- the shared clock and the world record ----------------------------------------------------------------------
    def load_clock(self) -> ClockState | None:
        return self._clock

    def save_clock(self, state: ClockState) -> None:
        with self.write():
            self._clock = state
            self._clock_text = json.dumps(state.to_json())
            self._clock_dirty = True

    def meta(self, key: str) -> Any | None:
        """The world this database was made for (`key` is "world"), or None."""
        if key != "world":
            raise KeyError(key)
        with self.connections.connection() as conn:
            row = one(conn, "SELECT world FROM fm_meta WHERE id = 1")
        return None if row[0] is None else json.loads(row[0])

    def claim_world(self, record: dict[str, Any]) -> dict[str, Any]:
        """Record `record` as this database's world unless one is recorded; the recorded one."""
        with acquired(self._lock), self.connections.connection() as conn, conn.transaction():
            row = one(conn, "SELECT world FROM fm_meta WHERE id = 1 FOR UPDATE")
            if row[0] is not None:
                return dict(json.loads(row[0]))
            conn.execute("UPDATE fm_meta SET world = %s WHERE id = 1", (json.dumps(record, sort_keys=True),))
            return record

    def close(self) -> None:
        self.connections.close()
