"""The schema is versioned and migrated; unusable state URLs are refused in one line with exit status 2."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from mockserver.cli import main
from mockserver.journal import JournalEntry
from mockserver.simulator import state_sections
from mockserver.stores.opening import open_postgres
from mockserver.stores.pg_runtime import Connections
from mockserver.stores.pg_schema import MIGRATIONS, SCHEMA_VERSION, migrate
from mockserver.stores.shared import PgJournal
from tests.conftest import free_port
from tests.pg.pgharness import PgServer


def test_an_older_schema_is_migrated_forward(database: str) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("CREATE TABLE fm_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)")
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("INSERT INTO fm_schema VALUES (1, 1)")
        assert migrate(conn) == 1
        assert migrate(conn) == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM fm_buckets").fetchone() == (0,)


def test_the_journal_keeps_the_newest_entries_of_its_retention(database: str) -> None:
    open_postgres(database, state_sections())  # creates the schema
    journal = PgJournal(Connections(database), retention=3)
    for n in range(5):
        journal.add(JournalEntry(0, datetime(2026, 1, 1, tzinfo=UTC), 0.0, "tachoshare", "GET", f"/p{n}", "", 200,
                                 None, None, None, f"t{n}", 1.0))  # fmt: skip
    kept = journal.entries(None)
    assert [e.path for e in kept] == ["/p2", "/p3", "/p4"]
    assert [e.path for e in journal.entries(kept[0].seq)] == ["/p3", "/p4"]
    assert journal.clear() == 3 and journal.entries(None) == []


def test_unusable_state_urls_are_refused_in_one_line_with_status_2(
    pg: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    newer, other_world = pg.create_database(), pg.create_database()
    open_postgres(newer, state_sections())
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("UPDATE fm_schema SET version = %s", (SCHEMA_VERSION + 1,))
    open_postgres(other_world, state_sections()).store.claim_world({"world": None, "seed": 999})
    cases = {
        "postgresql://fleetmock@127.0.0.1:notaport/db": "malformed state URL",
        pg.url("postgres", password="wrong"): "password authentication failed",
        pg.url("fm_missing"): 'database "fm_missing" does not exist',
        newer: "newer than this fleetmock understands",
        other_world: "holds another world's state (seed 999",
    }
    for url, expected in cases.items():
        assert main(["serve", "--port", str(free_port()), "--state", url]) == 2, url
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("fleetmock: ") and expected in lines[0], (url, captured)
        assert ":wrong@" not in lines[0] and pg.password not in lines[0]  # passwords are never printed
        assert "fleetmock serving" not in captured.out
