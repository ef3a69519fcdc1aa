"""Checkpoint stores: batches and checkpoints commit together or not at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest

from contracts.tachoshare.checkpoints import (
    Batch,
    CheckpointStore,
    JsonCheckpointStore,
    Piece,
    SqliteCheckpointStore,
    StoredFile,
)
from contracts.tachoshare.ranges import DateRange


def batch(subject: str, start: date, end: date, *names: str) -> Batch:
    piece = Piece(DateRange(start, end), tuple(StoredFile(n, n.encode()) for n in names))
    return Batch(subject, DateRange(start, end), (piece,))


@pytest.fixture(params=["sqlite", "json"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> CheckpointStore:
    if request.param == "sqlite":
        return SqliteCheckpointStore(tmp_path / "sync.sqlite")
    return JsonCheckpointStore(tmp_path / "sync")


def test_a_commit_moves_the_checkpoint_and_keeps_the_files(store: CheckpointStore) -> None:
    assert store.last_day("vehicle/A") is None
    first = batch("vehicle/A", date(2026, 1, 1), date(2026, 1, 10), "M_1.DDD", "M_1.DDD")
    second = Batch("vehicle/A", DateRange(date(2026, 1, 10), date(2026, 1, 20)), ())
    store.commit(first)
    store.commit(second)
    assert store.last_day("vehicle/A") == date(2026, 1, 19)
    assert store.last_day("vehicle/B") is None
    assert store.batches("vehicle/A") == [first, second]


def test_the_json_store_survives_a_reopen_and_drops_an_interrupted_commit(tmp_path: Path) -> None:
    store = JsonCheckpointStore(tmp_path)
    committed = batch("driver/0x0D/X", date(2026, 1, 1), date(2026, 1, 2), "C_1.DDD")
    store.commit(committed)
    # what a crash between writing the files and replacing the checkpoint file leaves behind
    leftover = tmp_path / "batches" / "deadbeef" / "000_x"
    leftover.mkdir(parents=True)
    (leftover / "000_C_2.DDD").write_bytes(b"half")

    reopened = JsonCheckpointStore(tmp_path)
    assert not (tmp_path / "batches" / "deadbeef").exists()
    assert reopened.batches("driver/0x0D/X") == [committed]
    assert reopened.last_day("driver/0x0D/X") == date(2026, 1, 1)


def test_a_failing_sqlite_commit_leaves_nothing_behind(tmp_path: Path) -> None:
    store = SqliteCheckpointStore(tmp_path / "s.sqlite")
    store.commit(batch("vehicle/A", date(2026, 1, 1), date(2026, 1, 2), "a"))
    unstorable = StoredFile("b", cast(Any, object()))  # fails in the middle of the transaction
    broken = Batch(
        "vehicle/A",
        DateRange(date(2026, 1, 2), date(2026, 1, 3)),
        (Piece(DateRange(date(2026, 1, 2), date(2026, 1, 3)), (StoredFile("ok", b"1"), unstorable)),),
    )
    with pytest.raises(Exception):  # noqa: B017 - whatever sqlite3 raises for an unbindable value
        store.commit(broken)
    assert store.last_day("vehicle/A") == date(2026, 1, 1)
    assert [b.range.end for b in SqliteCheckpointStore(tmp_path / "s.sqlite").batches("vehicle/A")] == [
        date(2026, 1, 2)
    ]
