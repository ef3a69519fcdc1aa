"""The simulated clock: the only source of "now" for domain code.

Domain code never reads the wall clock; it asks a `SimClock`. The clock itself takes its notion of passing real
time from an injected `wall` function (monotonic seconds), so tests can drive it by hand and `--rate 0` freezes it
completely. Simulated time never goes backwards: setting it to the past is refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

WallSource = Callable[[], float]


class ClockError(ValueError):
    """A request that would move the clock backwards or use a nonsensical rate."""


@dataclass(frozen=True)
class ClockReading:
    now: datetime
    rate: float


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive value is taken as UTC. Raises ValueError on garbage."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SimClock:
    """Simulated time = anchor + (wall - wall_anchor) x rate, truncated to whole seconds.

    Whole seconds keep every date the simulator prints reproducible; the rate scales real time (0 freezes it,
    1 is real time, 60 is a minute per second).
    """

    def __init__(self, start: datetime, rate: float = 1.0, wall: WallSource = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ClockError("the clock start must carry a time zone")
        self._check_rate(rate)
        self._wall = wall
        self._lock = threading.Lock()
        self._anchor = start.astimezone(UTC).replace(microsecond=0)
        self._wall_anchor = wall()
        self._rate = rate

    @staticmethod
    def _check_rate(rate: float) -> None:
        if not (0 <= rate <= 1_000_000):
            raise ClockError(f"rate must be between 0 and 1000000, got {rate}")

    def now(self) -> datetime:
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        elapsed = (self._wall() - self._wall_anchor) * self._rate
        return self._anchor + timedelta(seconds=int(elapsed))

    @property
    def rate(self) -> float:
        return self._rate

    def reading(self) -> ClockReading:
        with self._lock:
            return ClockReading(self._now_locked(), self._rate)

    def set(self, now: datetime | None = None, rate: float | None = None) -> ClockReading:
        """Jump to `now` (never backwards) and/or change the rate, atomically."""
        with self._lock:
            current = self._now_locked()
            target = current if now is None else now.astimezone(UTC).replace(microsecond=0)
            if target < current:
                raise ClockError(
                    f"the clock never goes backwards: {format_instant(target)} is before {format_instant(current)}"
                )
            if rate is not None:
                self._check_rate(rate)
                self._rate = rate
            self._anchor = target
            self._wall_anchor = self._wall()
            return ClockReading(self._anchor, self._rate)

    def set_anchor(self, now: datetime) -> None:
        """Put the clock at `now` even if that is in the past: only a full reset of the simulator does this."""
        with self._lock:
            self._anchor = now.astimezone(UTC).replace(microsecond=0)
            self._wall_anchor = self._wall()

    def advance(self, seconds: float) -> ClockReading:
        if seconds < 0:
            raise ClockError(f"the clock never goes backwards: cannot advance by {seconds} seconds")
        with self._lock:
            self._anchor = self._now_locked() + timedelta(seconds=int(seconds))
            self._wall_anchor = self._wall()
            return ClockReading(self._anchor, self._rate)
