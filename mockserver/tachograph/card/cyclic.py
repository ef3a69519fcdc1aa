"""Cyclic record EFs: a pointer to the newest record, then a fixed number of fixed-size records.

Writers take a record encoder that returns bytes (`by_writer` adapts one that writes to a `ByteWriter`); records
of a run of a card's log (`mockserver.tachograph.card.runs`) are one slice of the log's encodings, other records
are memoised by identity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TypeVar

from mockserver.tachograph.card.runs import RecordRun
from mockserver.tachograph.codec.memo import MEMO
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter, TachoFormatError

T = TypeVar("T")


def cyclic_value(
    items: Sequence[T],
    capacity: int,
    record_size: int,
    pointer_width: int | None,
    to_bytes: Callable[[T], bytes],
    kind: str,
) -> bytes:
    """Pointer to the newest record, then `capacity` records (empty ones zero): the newest `capacity` of `items`.

    Encoded records are memoised by identity under `kind` (which must name the encoding, generation included);
    the records of a run of a card's log (`mockserver.tachograph.card.runs`) are one slice of the log's encodings.
    """
    if isinstance(items, RecordRun):
        kept_count = min(len(items), capacity)
        pointer = b"" if pointer_width is None else max(kept_count - 1, 0).to_bytes(pointer_width, "big")
        records = items.log.fixed_size(kind, record_size, to_bytes, items.stop - kept_count, items.stop)
        return b"".join((pointer, records, _zeros(record_size * (capacity - kept_count))))
    kept = list(items)[-capacity:] if items else []
    parts = [] if pointer_width is None else [max(len(kept) - 1, 0).to_bytes(pointer_width, "big")]
    for item in kept:
        data = MEMO.encoded(item, kind, functools.partial(to_bytes, item))
        if len(data) != record_size:
            raise AssertionError(f"{kind} record encoded {len(data)} bytes, not {record_size}")
        parts.append(data)
    parts.append(_zeros(record_size * (capacity - len(kept))))
    return b"".join(parts)


@functools.lru_cache(maxsize=64)  # key: the count, all zeros are: a hit is exact (bytes are immutable)
def _zeros(count: int) -> bytes:
    return bytes(count)


def by_writer(encode: Callable[[ByteWriter, T], None]) -> Callable[[T], bytes]:
    """A record encoder that writes to a `ByteWriter` as one that returns the record's bytes."""
    return functools.partial(_encode_one, encode)


def _encode_one(encode: Callable[[ByteWriter, T], None], item: T) -> bytes:
    one = ByteWriter()
    encode(one, item)
    return bytes(one.buf)


def read_cyclic(
    r: ByteReader,
    capacity: int,
    record_size: int,
    pointer_width: int | None,
    decode: Callable[[ByteReader], T],
) -> tuple[T, ...]:
    newest = 0
    if pointer_width is not None:
        at = r.offset
        newest = int.from_bytes(r.take(pointer_width, "pointer to newest record"), "big")
        if newest >= capacity:
            raise TachoFormatError(at, f"newest-record pointer {newest} beyond {capacity} records")
    slots: list[T | None] = []
    for _ in range(capacity):
        sub = r.sub(record_size, "record")
        if not any(sub.data[sub.pos : sub.end]):
            slots.append(None)
            continue
        slots.append(decode(sub))
        sub.expect_end("record")
    order = slots[newest + 1 :] + slots[: newest + 1] if pointer_width is not None else slots
    return tuple(item for item in order if item is not None)
