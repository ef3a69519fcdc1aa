"""Checkpoint stores of the sync flows: the last day synced per vehicle or card, and the files of those days.

A sync batch (the files of one subject's new days) and the checkpoint that says those days are done are committed
together, atomically, so a crash or a fault at any point leaves either both or neither: no day is lost (the
checkpoint never moves past files that were not stored) and none is stored twice (files never land without the
checkpoint moving past them).

- `SqliteCheckpointStore`: one SQLite file; a batch is one transaction.
- `JsonCheckpointStore`: a directory; the files of a batch go into a fresh sub-directory first, then the JSON
  checkpoint file (which lists the committed sub-directories) is replaced atomically: that rename is the commit.
  Sub-directories the checkpoint does not list are leftovers of an interrupted commit and are removed on open.
Not handled: two processes syncing into one store at once (run one sync at a time per store).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from contracts.tachoshare.ranges import DateRange
from contracts.tachoshare.token_storage import write_atomically


@dataclass(frozen=True)
class StoredFile:
    name: str
    content: bytes


@dataclass(frozen=True)
class Piece:
    """The files one request answered for `range` (none when it answered 204)."""

    range: DateRange
    files: tuple[StoredFile, ...]


@dataclass(frozen=True)
class Batch:
    """The new days of one subject (`range`, split into the pieces that were requested) and their files."""

    subject: str
    range: DateRange
    pieces: tuple[Piece, ...]

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.range.end.toordinal() - 1)


class CheckpointStore(Protocol):
    def last_day(self, subject: str) -> date | None:
        """The last day synced for `subject`, or None before its first sync."""
        ...

    def commit(self, batch: Batch) -> None:
        """Store the batch's files and move the subject's checkpoint to `batch.last_day`, atomically."""
        ...

    def batches(self, subject: str) -> list[Batch]:
        """The committed batches of `subject`, oldest first."""
        ...


class SqliteCheckpointStore:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS checkpoint (subject TEXT PRIMARY KEY, last_day TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS batch (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL,
                    range_start TEXT NOT NULL, range_end TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS piece (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id INTEGER NOT NULL REFERENCES batch(id),
                    range_start TEXT NOT NULL, range_end TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS file (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, piece_id INTEGER NOT NULL REFERENCES piece(id),
                    name TEXT NOT NULL, content BLOB NOT NULL);
                """
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = sqlite3.connect(self.path)
            try:
                with db:  # one transaction: committed on success, rolled back on any error
                    yield db
            finally:
                db.close()

    def last_day(self, subject: str) -> date | None:
        with self._connect() as db:
            row = db.execute("SELECT last_day FROM checkpoint WHERE subject = ?", (subject,)).fetchone()
        return date.fromisoformat(row[0]) if row else None

    def commit(self, batch: Batch) -> None:
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO batch (subject, range_start, range_end) VALUES (?, ?, ?)",
                (batch.subject, batch.range.start.isoformat(), batch.range.end.isoformat()),
            )
            batch_id = cursor.lastrowid
            for piece in batch.pieces:
                cursor = db.execute(
                    "INSERT INTO piece (batch_id, range_start, range_end) VALUES (?, ?, ?)",
                    (batch_id, piece.range.start.isoformat(), piece.range.end.isoformat()),
                )
                db.executemany(
                    "INSERT INTO file (piece_id, name, content) VALUES (?, ?, ?)",
                    [(cursor.lastrowid, f.name, f.content) for f in piece.files],
                )
            db.execute(
                "INSERT INTO checkpoint (subject, last_day) VALUES (?, ?) "
                "ON CONFLICT(subject) DO UPDATE SET last_day = excluded.last_day",
                (batch.subject, batch.last_day.isoformat()),
            )

    def batches(self, subject: str) -> list[Batch]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, range_start, range_end FROM batch WHERE subject = ? ORDER BY range_start", (subject,)
            ).fetchall()
            result = []
            for batch_id, start, end in rows:
                pieces = []
                for piece_id, p_start, p_end in db.execute(
                    "SELECT id, range_start, range_end FROM piece WHERE batch_id = ? ORDER BY range_start",
                    (batch_id,),
                ).fetchall():
                    files = db.execute(
                        "SELECT name, content FROM file WHERE piece_id = ? ORDER BY id", (piece_id,)
                    ).fetchall()
                    pieces.append(Piece(_range(p_start, p_end), tuple(StoredFile(n, bytes(c)) for n, c in files)))
                result.append(Batch(subject, _range(start, end), tuple(pieces)))
        return result


class _PieceRecord(BaseModel):
    dir: str
    start: date
    end: date
    files: list[str]


class _BatchRecord(BaseModel):
    id: str
    start: date
    end: date
    pieces: list[_PieceRecord]


class _SubjectRecord(BaseModel):
    last_day: date
    batches: list[_BatchRecord] = Field(default_factory=list)


class _Index(BaseModel):
    subjects: dict[str, _SubjectRecord] = Field(default_factory=dict)


class JsonCheckpointStore:
    """Checkpoints in `<root>/checkpoints.json`, files under `<root>/batches/<batch id>/<piece>/<nnn>_<name>`."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._index_path = self.root / "checkpoints.json"
        self._batches_dir = self.root / "batches"
        self._lock = threading.Lock()
        self._batches_dir.mkdir(parents=True, exist_ok=True)
        self._remove_uncommitted()

    def _read(self) -> _Index:
        try:
            return _Index.model_validate_json(self._index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _Index()

    def _remove_uncommitted(self) -> None:
        committed = {b.id for record in self._read().subjects.values() for b in record.batches}
        for leftover in self._batches_dir.iterdir():
            if leftover.name not in committed:
                shutil.rmtree(leftover, ignore_errors=True)

    def last_day(self, subject: str) -> date | None:
        with self._lock:
            record = self._read().subjects.get(subject)
        return record.last_day if record else None

    def commit(self, batch: Batch) -> None:
        with self._lock:
            batch_id = uuid.uuid4().hex
            pieces = [self._write_piece(batch_id, number, piece) for number, piece in enumerate(batch.pieces)]
            index = self._read()
            record = index.subjects.setdefault(batch.subject, _SubjectRecord(last_day=batch.last_day))
            record.last_day = batch.last_day
            record.batches.append(
                _BatchRecord(id=batch_id, start=batch.range.start, end=batch.range.end, pieces=pieces)
            )
            write_atomically(self._index_path, index.model_dump_json(indent=1).encode("utf-8"))

    def _write_piece(self, batch_id: str, number: int, piece: Piece) -> _PieceRecord:
        name = f"{number:03d}_{piece.range.start:%Y%m%d}_{piece.range.end:%Y%m%d}"
        piece_dir = self._batches_dir / batch_id / name
        piece_dir.mkdir(parents=True)
        for index, stored in enumerate(piece.files):
            # the index prefix keeps two equal names of one piece apart
            write_atomically(piece_dir / _member_name(index, stored.name), stored.content)
        return _PieceRecord(dir=name, start=piece.range.start, end=piece.range.end, files=[f.name for f in piece.files])

    def batches(self, subject: str) -> list[Batch]:
        with self._lock:
            record = self._read().subjects.get(subject)
            if record is None:
                return []
            return sorted((self._load_batch(subject, b) for b in record.batches), key=lambda b: b.range)

    def _load_batch(self, subject: str, record: _BatchRecord) -> Batch:
        pieces = []
        for piece in record.pieces:
            piece_dir = self._batches_dir / record.id / piece.dir
            files = tuple(
                StoredFile(name, (piece_dir / _member_name(i, name)).read_bytes()) for i, name in enumerate(piece.files)
            )
            pieces.append(Piece(DateRange(piece.start, piece.end), files))
        return Batch(subject, DateRange(record.start, record.end), tuple(pieces))


def _member_name(index: int, name: str) -> str:
    return f"{index:03d}_{Path(name).name}"


def _range(start: str, end: str) -> DateRange:
    return DateRange(date.fromisoformat(start), date.fromisoformat(end))
