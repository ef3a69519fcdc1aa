"""One bounded memo for every cache in the simulator.

A memo maps a key to a value computed from that key alone. Every use says, where it makes one, what its key holds
and why a hit is exact (the value a fresh computation would give). The memo only bounds memory: when full it drops
the least recently used entry, so a hot working set stays and a flood of distinct keys costs at most `limit` entries.

Thread-safe: the event loop and the file-building threads share memos. The value is computed outside the lock, so
two threads may compute the same key at once; the first stored wins and both get it (values are equal by
construction, so which one is kept does not matter, but sharing one keeps identities stable).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class Memo(Generic[K, V]):
    """A least-recently-used map of at most `limit` entries."""

    __slots__ = ("_entries", "_lock", "limit", "name")

    def __init__(self, limit: int, name: str = "memo") -> None:
        if limit < 1:
            raise ValueError("a memo holds at least one entry")
        self.limit = limit
        self.name = name
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._entries.move_to_end(key)
            return value  # type: ignore[return-value]

    def put(self, key: K, value: V) -> V:
        """Store `value` unless the key is already there; answer the stored value."""
        with self._lock:
            kept = self._entries.setdefault(key, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)
            return kept

    def set(self, key: K, value: V) -> V:
        """Store `value` in place of whatever the key held (a value made again: one locked step, not two)."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)
            return value

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The memoised value of `key`, computing (outside the lock) and storing it on a miss."""
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is not _MISSING:
                self._entries.move_to_end(key)
                return value  # type: ignore[return-value]
        return self.put(key, compute())

    def discard(self, key: K) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def discard_where(self, predicate: Callable[[K], bool]) -> None:
        """Drop every entry whose key matches (for example all of one account's)."""
        with self._lock:
            for key in [k for k in self._entries if predicate(k)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def held_keys(self) -> list[K]:
        """The keys held now, least recently used first (a copy)."""
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries
