"""The identity memo of encoded records: a hit is the record's own bytes, keyed by identity and encoding, and the
memo stays within its bound (least recently used out first, not everything at once)."""

from __future__ import annotations

from mockserver.tachograph.codec.memo import IdentityMemo


class Record:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other.value == self.value

    def __hash__(self) -> int:
        return self.value


def test_a_hit_is_the_bytes_of_that_object_in_that_encoding() -> None:
    memo, calls = IdentityMemo(limit=8), []

    def encode(record: Record, kind: str) -> bytes:
        calls.append((record.value, kind))
        return f"{kind}:{record.value}".encode()

    first, equal = Record(1), Record(1)
    assert memo.encoded(first, "a", lambda: encode(first, "a")) == b"a:1"
    assert memo.encoded(first, "a", lambda: encode(first, "a")) == b"a:1"
    assert memo.encoded(first, "b", lambda: encode(first, "b")) == b"b:1"
    assert memo.encoded(equal, "a", lambda: encode(equal, "a")) == b"a:1"
    assert calls == [(1, "a"), (1, "b"), (1, "a")]  # an equal object is another key: identity, not equality


def test_the_memo_stays_bounded_and_keeps_the_recently_used() -> None:
    memo = IdentityMemo(limit=4)
    records = [Record(n) for n in range(10)]
    hot = records[0]
    for record in records[1:]:
        memo.encoded(record, "k", lambda r=record: bytes([r.value]))
        memo.encoded(hot, "k", lambda: b"hot")
        assert len(memo) <= 4
    calls = []
    assert memo.encoded(hot, "k", lambda: calls.append(1) or b"again") == b"hot"
    assert not calls  # the hot record survived every eviction
