"""What instances share beside the state sections: the request journal and the rate-limit buckets, in PostgreSQL.

The journal is one table numbered by a sequence, so entries from every instance sit in the order they arrived;
it is bounded by a retention (entries beyond it are never shown, and are deleted in batches). A bucket is one row
updated by a single atomic statement that refills it from the database's clock and takes a token if there is one,
so N tokens are N requests across all instances.

Not simulated: a journal entry is written after its answer is decided; if the database fails in between, the entry
is lost (the answer itself was a 503 or was already committed) and counted in `dropped`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from mockserver.errors import StateUnavailable
from mockserver.journal import JournalEntry
from mockserver.ratelimit import RateLimitRule
from mockserver.stores.pg_runtime import Connections, one

DEFAULT_RETENTION = 100_000
PRUNE_EVERY = 256  # delete what fell out of the retention once per this many entries


def _entry_text(entry: JournalEntry) -> str:
    data = asdict(entry)
    del data["seq"]
    data["simulated"] = entry.simulated.isoformat()
    return json.dumps(data, separators=(",", ":"))


def _entry(seq: int, text: str) -> JournalEntry:
    data = json.loads(text)
    data["simulated"] = datetime.fromisoformat(data["simulated"])
    data["warnings"] = tuple(data.get("warnings", ()))  # a JSON list; entries written before it have none
    data["headers"] = tuple((name, value) for name, value in data.get("headers", ()))  # JSON pairs, back to tuples
    return JournalEntry(seq=seq, **data)


class PgJournal:
    def __init__(self, connections: Connections, retention: int = DEFAULT_RETENTION) -> None:
        self.connections = connections
        self.retention = retention
        self.dropped = 0

    def add(self, entry: JournalEntry) -> None:
        try:
            with self.connections.connection() as conn:
                row = one(conn, "INSERT INTO fm_journal (entry) VALUES (%s) RETURNING seq", (_entry_text(entry),))
                if row[0] % PRUNE_EVERY == 0:
                    conn.execute("DELETE FROM fm_journal WHERE seq <= %s", (row[0] - self.retention,))
        except StateUnavailable:
            self.dropped += 1

    def entries(self, since: int | None) -> list[JournalEntry]:
        with self.connections.connection() as conn:
            rows = conn.execute(
                "SELECT seq, entry FROM (SELECT seq, entry FROM fm_journal ORDER BY seq DESC LIMIT %s) AS kept"
                " WHERE seq > %s ORDER BY seq",
                (self.retention, since or 0),
            ).fetchall()
        return [_entry(seq, text) for seq, text in rows]

    def clear(self) -> int:
        with self.connections.connection() as conn:
            cur = conn.execute("DELETE FROM fm_journal")
            return min(cur.rowcount, self.retention)


# One statement: refill from the database's clock (so every instance agrees on elapsed time), take if possible.
TAKE = """
INSERT INTO fm_buckets AS b (key, tokens, updated, granted)
VALUES (%(key)s, %(burst)s - 1, extract(epoch from clock_timestamp()), true)
ON CONFLICT (key) DO UPDATE SET
  tokens = LEAST(%(burst)s, b.tokens + (EXCLUDED.updated - b.updated) * %(rate)s)
           - CASE WHEN LEAST(%(burst)s, b.tokens + (EXCLUDED.updated - b.updated) * %(rate)s) >= 1 THEN 1 ELSE 0 END,
  granted = LEAST(%(burst)s, b.tokens + (EXCLUDED.updated - b.updated) * %(rate)s) >= 1,
  updated = EXCLUDED.updated
RETURNING granted, tokens
"""


class PgBuckets:
    def __init__(self, connections: Connections) -> None:
        self.connections = connections

    def take(self, key: str, rule: RateLimitRule) -> float:
        with self.connections.connection() as conn:
            granted, tokens = one(conn, TAKE, {"key": key, "burst": rule.burst, "rate": rule.rate})
        return 0.0 if granted else (1 - tokens) / rule.rate

    def clear(self) -> None:
        with self.connections.connection() as conn:
            conn.execute("DELETE FROM fm_buckets")

    def levels(self) -> list[tuple[str, float, float]]:
        with self.connections.connection() as conn:
            rows = conn.execute(
                "SELECT key, tokens, extract(epoch from clock_timestamp()) - updated FROM fm_buckets ORDER BY key"
            ).fetchall()
        return [(key, float(tokens), float(elapsed)) for key, tokens, elapsed in rows]
