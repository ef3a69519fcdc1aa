"""Identity memo of encoded records, on the shared bounded memo (`mockserver.memo.Memo`).

Downloads given as plain tuples may share record objects; encoding each object once and reusing its bytes keeps
them cheap. (The story's downloads hold runs of record logs instead, whose bytes are sliced from the log's own
encodings: `mockserver.tachograph.card.runs`.)

Key: (identity of the record, `kind`: the name of the encoding, generation included). The entry keeps a reference
to the record, so its identity cannot be reused by another object while the entry lives, and records are
immutable: a hit is exactly the bytes encoding that record that way. Least recently used entries go first.
"""

from __future__ import annotations

from collections.abc import Callable

from mockserver.memo import Memo

MAX_ENTRIES = 200_000


class IdentityMemo:
    __slots__ = ("_memo",)

    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        self._memo: Memo[tuple[int, str], tuple[object, bytes]] = Memo(limit, "encoded records")

    def encoded(self, item: object, kind: str, encode: Callable[[], bytes]) -> bytes:
        key = (id(item), kind)
        entry = self._memo.get(key)
        if entry is not None and entry[0] is item:
            return entry[1]
        return self._memo.put(key, (item, encode()))[1]

    def clear(self) -> None:
        self._memo.clear()

    def __len__(self) -> int:
        return len(self._memo)


MEMO = IdentityMemo()
