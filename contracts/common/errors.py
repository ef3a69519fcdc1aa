"""The base of both clients' typed errors, and the status-to-class choice they share (registration, not `if`s).

Each client keeps its own hierarchy (`TachoShareError`, `RevealError`) because their error bodies differ; both
derive from `ClientError`, so code that drives either client can catch "an answer the API refused" in one place,
and their status errors are `StatusError`s carrying the HTTP status.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import ClassVar, TypeVar

E = TypeVar("E", bound="StatusError")


class ClientError(Exception):
    """Anything a reference client raises about its API (transport failures stay `requests` exceptions)."""


class StatusError(ClientError):
    """An error answer with an HTTP status; `status` is the status a subclass is registered for (None: any)."""

    status: ClassVar[int | None] = None
    status_code: int


def registry(*classes: type[E]) -> dict[int, type[E]]:
    """A status-to-class table from classes that name their `status`."""
    return {cls.status: cls for cls in classes if cls.status is not None}


def status_class(
    status: int,
    registered: Mapping[int, type[E]],
    server_error: type[E],
    unexpected: type[E],
    server_statuses: Container[int] = range(500, 600),
) -> type[E]:
    """The class registered for `status`; else `server_error` for a status in `server_statuses`; else `unexpected`."""
    registered_class = registered.get(status)
    if registered_class is not None:
        return registered_class
    return server_error if status in server_statuses else unexpected
