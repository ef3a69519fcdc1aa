"""Connections to PostgreSQL: a small set of idle ones for any thread, and outages turned into `StateUnavailable`.

Each use takes an idle connection (or opens one), so a read never queues behind another thread's write. A
connection that failed is closed, never reused: the next use opens a fresh one, which is how an instance recovers
by itself once PostgreSQL is back. Every statement is bounded (`statement_timeout`), so an outage answers 503
rather than hanging a request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from mockserver.errors import StateUnavailable

CONNECT_TIMEOUT_S = 2
STATEMENT_TIMEOUT_MS = 10_000
OUTAGES = (psycopg.OperationalError, psycopg.InterfaceError, pg_errors.QueryCanceled)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def connect(url: str) -> psycopg.Connection[Any]:
    """One autocommit connection; raises psycopg errors (callers at start-up turn them into one line)."""
    return psycopg.connect(
        url,
        autocommit=True,
        connect_timeout=CONNECT_TIMEOUT_S,
        options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        application_name="fleetmock",
    )


class Connections:
    """Idle connections kept for reuse (at most `keep`); more are opened when threads use them at once."""

    def __init__(self, url: str, keep: int = 4) -> None:
        self.url = url
        self._keep = keep
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def _take(self) -> psycopg.Connection[Any]:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        try:
            return connect(self.url)
        except OUTAGES as exc:
            raise StateUnavailable.down(first_line(exc)) from exc

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        if conn.closed or conn.broken or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.close()
            return
        with self._lock:
            if len(self._idle) < self._keep:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection for one use; an outage during it closes it and raises `StateUnavailable`."""
        conn = self._take()
        try:
            yield conn
        except OUTAGES as exc:
            conn.close()
            raise StateUnavailable.down(first_line(exc)) from exc
        except BaseException:
            self._give_back(conn)
            raise
        self._give_back(conn)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def one(conn: psycopg.Connection[Any], query: str, params: Any = None) -> Any:
    """The single row `query` answers (a missing row means the schema was tampered with)."""
    row = conn.execute(query, params).fetchone()
    if row is None:
        raise StateUnavailable.down("the fleetmock tables are incomplete")
    return row
