"""Append-only record logs of one card, and runs of them: tuples that remember which records of which log they hold.

Successive downloads of one card show overlapping windows of the same records (the newest days of the activity
ring, the newest vehicles and places). A log encodes each record once, kind by kind (`kind` names the encoding,
generation included, as in `cyclic_value`), and keeps the encodings back to back; a run's bytes are then one
slice of them instead of one encoding per record per download. A run is an ordinary tuple of the records to
everything else (the readers, equality, the reference writers), so a download built from runs is the same
value as one built from plain tuples and writes the same bytes.

A log may also be lazy: it knows how many records it holds and makes a record from its index only when a run
needs it (a card's older places, say, are never shown, so they need not be computed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Covered:
    """A contiguous range [start, stop) of indices whose values exist; `cover` fills what a wider range lacks,
    each index once, in increasing order on either side."""

    __slots__ = ("fill", "start", "stop")

    def __init__(self, fill: Callable[[int, int, bool], None]) -> None:
        self.fill = fill  # fill(start, stop, before): make indices [start, stop), prepended when `before`
        self.start = 0
        self.stop = 0

    def cover(self, start: int, stop: int) -> None:
        if start >= stop:
            return
        if self.start == self.stop:
            self.start = self.stop = start
        if start < self.start:
            self.fill(start, self.start, True)
            self.start = start
        if stop > self.stop:
            self.fill(self.stop, stop, False)
            self.stop = stop


class EncodedSpan:
    """Encodings of records of a log, back to back, for a contiguous range of them that grows on demand.

    `position(i)` is the offset of record i's encoding counted from record 0 of the log, so a slice is found
    without walking the records; `encode(start, stop)` gives the encodings of records [start, stop) at once.
    """

    __slots__ = ("covered", "data", "encode", "position")

    def __init__(self, position: Callable[[int], int], encode: Callable[[int, int], bytes]) -> None:
        self.position = position
        self.encode = encode
        self.data = bytearray()
        self.covered = Covered(self._fill)

    def _fill(self, start: int, stop: int, before: bool) -> None:
        encoded = self.encode(start, stop)
        if before:
            self.data[0:0] = encoded
        else:
            self.data += encoded

    def slice(self, start: int, stop: int) -> bytes:
        """The encodings of records [start, stop)."""
        if start >= stop:
            return b""
        self.covered.cover(start, stop)
        base = self.position(self.covered.start)
        with memoryview(self.data) as view:
            return view[self.position(start) - base : self.position(stop) - base].tobytes()


class RecordLog(Generic[T]):
    """The records of one kind a card has written, oldest first, and their fixed-size encodings per kind.

    An eager log is filled by `append`; a lazy one (`source` given) by `grow`, and makes record i as `source(i)`
    when a run first needs it. Making and encoding records happens under the log's lock, so downloads of one
    card may be written by several threads at once.
    """

    def __init__(self, source: Callable[[int], T] | None = None) -> None:
        self.lock = threading.RLock()
        self._items: list[Any] = []
        self._source = source
        self._made = Covered(self._make)
        self._spans: dict[str, EncodedSpan] = {}

    def __len__(self) -> int:
        return len(self._items)

    def append(self, item: T) -> None:
        if self._source is not None:
            raise TypeError("a lazy log grows, it is not appended to")
        self._items.append(item)

    def grow(self, count: int) -> None:
        """A lazy log holds `count` records (made when needed)."""
        if self._source is None:
            raise TypeError("an eager log is appended to")
        self._items.extend([None] * (count - len(self._items)))

    def _make(self, start: int, stop: int, before: bool) -> None:
        assert self._source is not None
        for index in range(start, stop):
            self._items[index] = self._source(index)

    def items(self, start: int, stop: int) -> list[T]:
        """Records [start, stop)."""
        start, stop = max(start, 0), min(stop, len(self._items))
        if self._source is not None:
            with self.lock:
                self._made.cover(start, stop)
        return self._items[start:stop]

    def item(self, index: int) -> T:
        if self._source is not None:
            with self.lock:
                self._made.cover(index, index + 1)
        item: T = self._items[index]
        return item

    def run(self, start: int, stop: int) -> RecordRun[T]:
        """Records [start, stop) as a tuple that knows its place in this log (clamped to the records it has)."""
        return RecordRun(self, min(max(start, 0), len(self._items)), stop)

    def fixed_size(self, kind: str, record_size: int, encode: Callable[[T], bytes], start: int, stop: int) -> bytes:
        """Records [start, stop) encoded by `encode` (each `record_size` bytes), back to back."""
        with self.lock:
            span = self._spans.get(kind)
            if span is None:

                def encode_range(first: int, end: int) -> bytes:
                    encoded = [encode(item) for item in self.items(first, end)]
                    data = b"".join(encoded)
                    if len(data) != record_size * (end - first):
                        wrong = next(len(one) for one in encoded if len(one) != record_size)
                        raise AssertionError(f"{kind} record encoded {wrong} bytes, not {record_size}")
                    return data

                span = self._spans[kind] = EncodedSpan(lambda index: index * record_size, encode_range)
            return span.slice(start, stop)


class RecordRun(tuple[T, ...], Generic[T]):
    """A tuple of the records [start, start + len) of `log`."""

    log: RecordLog[T]
    start: int

    def __new__(cls, log: RecordLog[T], start: int, stop: int) -> RecordRun[T]:
        run = super().__new__(cls, log.items(start, stop))
        run.log = log
        run.start = start
        return run

    @property
    def stop(self) -> int:
        return self.start + len(self)

    def __reduce__(self) -> tuple[type[tuple[T, ...]], tuple[tuple[T, ...]]]:
        """Copies and pickles are plain tuples (a log is not copied along)."""
        return tuple, (tuple(self),)
