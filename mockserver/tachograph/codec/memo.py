"""Identity memo of encoded records.

Downloads given as plain tuples may share record objects; encoding each object once and reusing its bytes keeps
them cheap. (The story's downloads hold runs of record logs instead, whose bytes are sliced from the log's own
encodings: `mockserver.tachograph.card.runs`.) Keys are object identities and the memo keeps a reference to each
object, so an identity is never reused while its entry lives.
"""

from __future__ import annotations

from collections.abc import Callable

MAX_ENTRIES = 200_000


class IdentityMemo:
    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[tuple[int, str], tuple[object, bytes]] = {}

    def encoded(self, item: object, kind: str, encode: Callable[[], bytes]) -> bytes:
        key = (id(item), kind)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is item:
            return entry[1]
        data = encode()
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = (item, data)
        return data

    def clear(self) -> None:
        self._entries.clear()


MEMO = IdentityMemo()
