"""The simulator serving the current request.

Connexion resolves handlers and security functions by dotted name, so they cannot be handed the simulator as an
argument; an outer ASGI middleware (see `mockserver.app`) sets it here for each request instead. Several apps (one
per simulator) can live in one process: each request sees its own.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockserver.simulator import Simulator

_current: ContextVar[Simulator] = ContextVar("fleetmock_simulator")
_trace: ContextVar[str | None] = ContextVar("fleetmock_trace", default=None)


def current() -> Simulator:
    return _current.get()


def bind(sim: Simulator) -> object:
    return _current.set(sim)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def bind_trace(trace_id: str) -> object:
    """The trace id of the request being served: error bodies and the journal carry the same one."""
    return _trace.set(trace_id)


def unbind_trace(token: object) -> None:
    _trace.reset(token)  # type: ignore[arg-type]


def trace_id() -> str | None:
    return _trace.get()
