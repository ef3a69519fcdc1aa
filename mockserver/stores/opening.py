"""Opening a `--state postgresql://USER:PASS@HOST:PORT/DB` URL: connect, create or migrate the schema, build the store.

Every reason it cannot be used (a malformed URL, a wrong password, a missing database, a schema newer than this
code) is one line in `StateOpenError`, which `serve` prints before exiting with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg

from mockserver.store import SectionFactory
from mockserver.stores.pg_runtime import Connections, connect, first_line
from mockserver.stores.pg_schema import SchemaError, migrate
from mockserver.stores.postgres import PostgresStore
from mockserver.stores.shared import DEFAULT_RETENTION, PgBuckets, PgJournal
from mockserver.stores.urls import StateOpenError, redacted


@dataclass
class SharedState:
    store: PostgresStore
    journal: PgJournal
    buckets: PgBuckets


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise StateOpenError(f"malformed state URL {redacted(url)}: {exc}") from exc
    if not parts.hostname or not parts.path.strip("/") or (port is not None and port <= 0):
        raise StateOpenError(f"malformed state URL {redacted(url)}: expected postgresql://USER:PASS@HOST:PORT/DB")


def open_postgres(url: str, factories: dict[str, SectionFactory], retention: int = DEFAULT_RETENTION) -> SharedState:
    _check_url(url)
    where = redacted(url)
    try:
        with connect(url) as conn:
            migrate(conn)
    except SchemaError as exc:
        raise StateOpenError(f"cannot use {where}: {exc}") from exc
    except (psycopg.Error, ValueError) as exc:  # refused, wrong password, no such database, bad options
        raise StateOpenError(f"cannot open state database {where}: {first_line(exc)}") from exc
    connections = Connections(url)
    return SharedState(PostgresStore(connections, factories), PgJournal(connections, retention), PgBuckets(connections))
