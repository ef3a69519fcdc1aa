"""The driver-activity cyclic buffer of EF Driver_Activity_Data (data dictionary 2.9, 2.17).

Records `prevLength (2) | length (2) | date (4) | presenceCounter BCD (2) | distance (2) | n x 2` are packed
back to back from the oldest-record pointer and wrap around the end of the buffer. The oldest record's
previous length is 0; unused bytes are zero.
"""

from __future__ import annotations

import bisect
import functools
import struct

from mockserver.tachograph.card.runs import EncodedSpan, RecordLog, RecordRun
from mockserver.tachograph.card_model import CardActivityDay
from mockserver.tachograph.codec.activity import decode_activity, encode_activity
from mockserver.tachograph.codec.memo import MEMO
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter, TachoFormatError, bcd, unbcd
from mockserver.tachograph.types import EPOCH

HEADER = 12
EPOCH_ORDINAL = EPOCH.date().toordinal()


def record_length(day: CardActivityDay) -> int:
    return HEADER + 2 * len(day.changes)


class ActivityLog(RecordLog[CardActivityDay]):
    """Every daily record a card has written, with the ring's record encoding (`prevLength | length | body`)
    chained as the card wrote them: `bytes_before[i]` is the number of record bytes written before day i."""

    def __init__(self) -> None:
        super().__init__()
        self.bytes_before: list[int] = [0]
        self._chained = EncodedSpan(self.bytes_before.__getitem__, self._chained_records)
        self._last_ring: tuple[tuple[int, int, int, int], bytes] | None = None

    def append(self, item: CardActivityDay) -> None:
        super().append(item)
        self.bytes_before.append(self.bytes_before[-1] + record_length(item))

    def _chained_records(self, start: int, stop: int) -> bytes:
        """Records [start, stop) as the ring holds them: `prevLength | length | body` each."""
        before = self.bytes_before
        parts = []
        for index, day in enumerate(self.items(start, stop), start):
            previous = before[index] - before[index - 1] if index else 0
            parts.append(struct.pack(">HH", previous, before[index + 1] - before[index]))
            parts.append(_day_body(day))
        return b"".join(parts)

    def newest_fitting(self, stop: int, capacity: int, start: int = 0) -> RecordRun[CardActivityDay]:
        """The newest of days [start, stop) that fit in a buffer of `capacity` bytes, as a run: what a card keeps."""
        before = self.bytes_before
        return self.run(bisect.bisect_left(before, before[stop] - capacity, start, stop), stop)

    def ring(self, start: int, stop: int, offset: int, capacity: int) -> bytes:
        """Pointers and ring of `capacity` bytes holding days [start, stop) from `offset` (the last one is kept:
        the Gen1 and Gen2 applications of a card, and downloads with no new day, hold the same ring)."""
        key = (start, stop, offset, capacity)
        with self.lock:
            if self._last_ring is not None and self._last_ring[0] == key:
                return self._last_ring[1]
            linear = self._chained.slice(start, stop)
            size = len(linear)
            if size > capacity:
                raise ValueError(f"{stop - start} activity days need {size} bytes, the buffer holds {capacity}")
            out = bytearray(4 + capacity)
            if size:
                newest = (offset + self.bytes_before[stop - 1] - self.bytes_before[start]) % capacity
                out[0:4] = struct.pack(">HH", offset, newest)
                head = min(size, capacity - offset)
                out[4 + offset : 4 + offset + head] = linear[:head]
                out[4 : 4 + size - head] = linear[head:]
                out[4 + offset] = out[4 + (offset + 1) % capacity] = 0  # the oldest record has no previous one
            ring = bytes(out)
            self._last_ring = (key, ring)
            return ring


def _activity_log(days: tuple[CardActivityDay, ...]) -> ActivityLog | None:
    return days.log if isinstance(days, RecordRun) and isinstance(days.log, ActivityLog) else None


def encode_activity_buffer(days: tuple[CardActivityDay, ...], offset: int, capacity: int) -> bytes:
    """Pointers (4 bytes) and the ring of `capacity` bytes."""
    if not 0 <= offset < capacity:
        raise ValueError(f"ring offset {offset} outside buffer of {capacity}")
    log = _activity_log(days)
    if log is not None:  # one slice of the card's chained records
        assert isinstance(days, RecordRun)
        return log.ring(days.start, days.stop, offset, capacity)
    linear, newest = _linear(days, offset, capacity)
    if len(linear) > capacity:
        raise ValueError(f"{len(days)} activity days need {len(linear)} bytes, the buffer holds {capacity}")
    ring = bytearray(capacity)
    head = min(len(linear), capacity - offset)
    ring[offset : offset + head] = linear[:head]
    ring[0 : len(linear) - head] = linear[head:]
    oldest = offset if days else 0
    return oldest.to_bytes(2, "big") + newest.to_bytes(2, "big") + bytes(ring)


def _linear(days: tuple[CardActivityDay, ...], offset: int, capacity: int) -> tuple[bytes, int]:
    """The records back to back from the oldest, and the ring position of the newest."""
    linear = ByteWriter()
    previous_length = 0
    newest = 0
    for day in days:
        length = record_length(day)
        newest = (offset + len(linear)) % capacity
        linear.u16(previous_length)
        linear.u16(length)
        linear.raw(MEMO.encoded(day, "card-day", functools.partial(_day_body, day)))
        previous_length = length
    return bytes(linear.buf), newest


def _day_body(day: CardActivityDay) -> bytes:
    """`date | presenceCounter | distance | changes`: the record without its two length fields."""
    midnight = (day.day.toordinal() - EPOCH_ORDINAL) * 86400  # TimeReal of the day's 00:00 UTC
    return b"".join(
        (
            midnight.to_bytes(4, "big"),
            bcd(day.presence_counter % 10000, 2),
            day.distance_km.to_bytes(2, "big"),
            struct.pack(f">{len(day.changes)}H", *map(encode_activity, day.changes)),
        )
    )


class _Ring:
    """The ring of activity records read from a card: bytes taken with wrap-around, offsets for errors."""

    __slots__ = ("base", "capacity", "data")

    def __init__(self, data: bytes, base: int, capacity: int) -> None:
        self.data = data
        self.base = base  # the ring's offset in the file
        self.capacity = capacity

    def chunk(self, position: int, size: int) -> bytes:
        end = position + size
        if end <= self.capacity:
            return self.data[position:end]
        return self.data[position:] + self.data[: end - self.capacity]


def decode_activity_buffer(r: ByteReader, capacity: int) -> tuple[tuple[CardActivityDay, ...], int]:
    """Parse pointers and ring consuming exactly 4 + capacity bytes; returns (days oldest first, offset)."""
    oldest = r.u16("activityPointerOldestDayRecord")
    at_newest = r.offset
    newest = r.u16("activityPointerNewestRecord")
    base = r.offset
    ring = _Ring(r.take(capacity, "activityDailyRecords"), base, capacity)
    if oldest >= capacity or newest >= capacity:
        raise TachoFormatError(at_newest, f"activity pointer beyond buffer of {capacity} bytes")
    if int.from_bytes(ring.chunk(oldest, 4)[2:4], "big") == 0:
        if any(ring.data) or oldest or newest:
            raise TachoFormatError(ring.base + oldest, "empty activity record at the oldest pointer")
        return (), 0
    days: list[CardActivityDay] = []
    position = oldest
    length = 0
    consumed = 0
    while True:
        length = _record_length(ring, position, length, consumed)
        days.append(_decode_record(ring, position, length, days[-1] if days else None))
        consumed += length
        if position == newest:
            break
        position = (position + length) % capacity
    free_start = (newest + length) % capacity
    free = ring.chunk(free_start, capacity - consumed) if consumed < capacity else b""
    if any(free):
        first = next(i for i, b in enumerate(free) if b)
        raise TachoFormatError(ring.base + (free_start + first) % capacity, "unknown byte in free activity space")
    return tuple(days), oldest


def _record_length(ring: _Ring, position: int, expected_previous: int, consumed: int) -> int:
    """The length of the record at `position`, after checking its header against the previous record's."""
    header = ring.chunk(position, 4)
    previous = int.from_bytes(header[0:2], "big")
    length = int.from_bytes(header[2:4], "big")
    if previous != expected_previous:
        raise TachoFormatError(ring.base + position, f"previous record length {previous}, expected {expected_previous}")
    if length < HEADER or length % 2 or consumed + length > ring.capacity:
        raise TachoFormatError(ring.base + position, f"bad activity record length {length}")
    return length


def _decode_record(ring: _Ring, position: int, length: int, before: CardActivityDay | None) -> CardActivityDay:
    """The day record at `position`, which must follow `before` (the previous record, if any)."""
    record_at = ring.base + position
    body = ring.chunk(position, length)
    date_value = int.from_bytes(body[4:8], "big")
    if date_value % 86400:
        raise TachoFormatError(record_at + 4, "activity record date is not 00:00")
    try:
        counter = unbcd(body[8:10])
    except ValueError as exc:
        raise TachoFormatError(record_at + 8, f"bad presence counter {body[8:10].hex()}") from exc
    if before is not None and counter != (before.presence_counter + 1) % 10000:
        raise TachoFormatError(record_at + 8, f"presence counter {counter} does not follow {before.presence_counter}")
    changes = []
    for index in range(HEADER, length, 2):
        word = int.from_bytes(body[index : index + 2], "big")
        try:
            changes.append(decode_activity(word))
        except ValueError as exc:
            raise TachoFormatError(record_at + index, f"bad ActivityChangeInfo {word:04x}") from exc
    day = (EPOCH.fromtimestamp(date_value, EPOCH.tzinfo)).date()
    if before is not None and day <= before.day:
        raise TachoFormatError(record_at + 4, f"activity record {day} is not after {before.day}")
    return CardActivityDay(day, counter, int.from_bytes(body[10:12], "big"), tuple(changes))
