"""The PostgreSQL schema of a shared simulator, versioned: created on first use, migrated forward, never backward.

`fm_schema` holds the version the tables are at. A database at an older version is migrated step by step inside one
transaction (under an advisory lock, so instances starting together migrate once); a database at a newer version
than this code knows is refused with a clear message rather than misread.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 2
MIGRATION_LOCK = 0x666C6D6B  # "flmk": the advisory lock instances take while creating or migrating the schema

# MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    0: (
        "CREATE TABLE fm_sections (name text PRIMARY KEY, body text NOT NULL, gen bigint NOT NULL)",
        "CREATE TABLE fm_meta (id int PRIMARY KEY CHECK (id = 1), generation bigint NOT NULL, clock text, world text)",
        "INSERT INTO fm_meta (id, generation) VALUES (1, 0)",
        "CREATE TABLE fm_journal (seq bigserial PRIMARY KEY, entry text NOT NULL)",
        "CREATE SEQUENCE fm_trace",
    ),
    1: (
        "CREATE TABLE fm_buckets (key text PRIMARY KEY, tokens double precision NOT NULL,"
        " updated double precision NOT NULL, granted boolean NOT NULL)",
    ),
}


class SchemaError(Exception):
    """The database's schema is one this code cannot use."""


def _current_version(cur: Any) -> int:
    cur.execute("CREATE TABLE IF NOT EXISTS fm_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)")
    cur.execute("SELECT version FROM fm_schema WHERE id = 1")
    row = cur.fetchone()
    return 0 if row is None else int(row[0])


def migrate(conn: Any) -> int:
    """Bring the schema to SCHEMA_VERSION; the version found before. Refuses a newer schema (SchemaError)."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        found = _current_version(cur)
        if found > SCHEMA_VERSION:
            raise SchemaError(
                f"the database holds fleetmock schema version {found}, newer than this fleetmock understands "
                f"({SCHEMA_VERSION}); upgrade fleetmock or use another database"
            )
        for version in range(found, SCHEMA_VERSION):
            for statement in MIGRATIONS[version]:
                cur.execute(statement)
        cur.execute(
            "INSERT INTO fm_schema (id, version) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET version = %s",
            (SCHEMA_VERSION, SCHEMA_VERSION),
        )
    return found
