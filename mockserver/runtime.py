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


def current() -> Simulator:
    return _current.get()


def bind(sim: Simulator) -> object:
    return _current.set(sim)


def unbind(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
