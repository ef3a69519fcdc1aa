"""The client's notion of "now", injected so that tests (and the simulator's frozen clock) can drive it.

`system_clock` is the only place the reference clients read the wall clock; pass another `Clock` (for example one
that follows the simulator's clock) wherever a client takes one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)
