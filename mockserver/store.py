"""The one place mutable state lives, behind one interface.

State is split in sections, one per concern (OAuth grants, remote-download requests, ...). Each section is a
plain object that can turn itself into JSON and back; sections are registered by name, so a new concern adds a
section without touching the store. Writers hold the store's lock for the whole read-modify-write, so parallel
requests never lose an update. `MemoryStore` is the default; a persistent store (SQLite, with `--state`) keeps
the same interface.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar


class Section(Protocol):
    def to_json(self) -> Any: ...


SectionFactory = Callable[[Any | None], Section]  # builds a section from its JSON, or empty from None
S = TypeVar("S", bound=Section)

STATE_VERSION = 1


class StateError(ValueError):
    """A snapshot that cannot be restored (unknown version or section, malformed content)."""


class MemoryStore:
    def __init__(self, factories: dict[str, SectionFactory]) -> None:
        self._factories = dict(factories)
        self._lock = threading.RLock()
        self._sections: dict[str, Section] = {name: make(None) for name, make in self._factories.items()}

    def section(self, name: str, kind: type[S]) -> S:
        value = self._sections[name]
        if not isinstance(value, kind):
            raise TypeError(f"state section {name!r} is a {type(value).__name__}, not {kind.__name__}")
        return value

    @contextmanager
    def write(self) -> Iterator[None]:
        """Hold the lock for a read-modify-write of any sections."""
        with self._lock:
            yield

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"version": STATE_VERSION, "sections": {n: s.to_json() for n, s in self._sections.items()}}

    def restore(self, snapshot: Any) -> None:
        """Replace every section from a snapshot; all or nothing."""
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("sections"), dict):
            raise StateError("a state snapshot is an object with 'version' and 'sections'")
        version = snapshot.get("version")
        if not isinstance(version, int) or version > STATE_VERSION:
            raise StateError(f"state version {version!r} is newer than this simulator's ({STATE_VERSION})")
        raw = snapshot["sections"]
        unknown = set(raw) - set(self._factories)
        if unknown:
            raise StateError(f"unknown state sections: {', '.join(sorted(unknown))}")
        try:
            fresh = {name: make(raw.get(name)) for name, make in self._factories.items()}
        except (KeyError, TypeError, ValueError) as exc:
            raise StateError(f"malformed state: {exc}") from exc
        with self._lock:
            self._sections = fresh

    def reset(self) -> None:
        with self._lock:
            self._sections = {name: make(None) for name, make in self._factories.items()}
