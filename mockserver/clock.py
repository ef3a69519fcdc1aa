"""The simulated clock: the only source of "now" for domain code.

Domain code never reads the wall clock; it asks a `SimClock`. The clock itself takes its notion of passing real
time from an injected `wall` function (monotonic seconds), so tests can drive it by hand and `--rate 0` freezes it
completely. Simulated time never goes backwards: setting it to the past is refused, and never past `MAX_INSTANT`.

Lock order: with a shared backend the store's lock is always taken before the clock's own (never the other way
round), because writers hold the store's lock while they read the clock.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

WallSource = Callable[[], float]
MAX_INSTANT = datetime(2100, 1, 1, tzinfo=UTC)  # the latest simulated instant: dates stay far from year 9999
MAX_ADVANCE_SECONDS = 366 * 86400  # the most one `POST /_sim/clock/advance` moves (the engine's bounded catch-up)


class ClockError(ValueError):
    """A request that would move the clock backwards, past `MAX_INSTANT`, or use a nonsensical rate."""


def check_instant(value: datetime, what: str = "the clock") -> datetime:
    """`value` if it is at most `MAX_INSTANT`, else a `ClockError` naming the limit."""
    if value > MAX_INSTANT:
        raise ClockError(f"{what} cannot pass {format_instant(MAX_INSTANT)} (the simulator's latest instant)")
    return value


@dataclass(frozen=True)
class ClockReading:
    now: datetime
    rate: float


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive value is taken as UTC. Raises ValueError on garbage."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # e.g. 9999-12-31T23:59:59-01:00
        raise ValueError(f"{text!r} is out of range") from exc


def rate_json(rate: float) -> int | float:
    """A rate as JSON: 60, not 60.0, so the same clock always prints the same bytes."""
    return int(rate) if float(rate).is_integer() else float(rate)


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ClockState:
    """Where the clock stands: simulated `anchor` at wall time `wall_anchor`, moving at `rate`."""

    anchor: datetime
    wall_anchor: float
    rate: float

    def to_json(self) -> dict[str, object]:
        return {"anchor": format_instant(self.anchor), "wallAnchor": self.wall_anchor, "rate": self.rate}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ClockState:
        anchor = check_instant(parse_instant(str(data["anchor"])), "the stored clock")
        return cls(anchor, float(str(data["wallAnchor"])), float(str(data["rate"])))


class SharedClock(Protocol):
    """Where a clock shared by several processes keeps its state (the SQLite store with `--state`)."""

    def load_clock(self) -> ClockState | None: ...

    def save_clock(self, state: ClockState) -> None: ...

    def write(self) -> AbstractContextManager[None]: ...


class SimClock:
    """Simulated time = anchor + (wall - wall_anchor) x rate, truncated to whole seconds.

    Whole seconds keep every date the simulator prints reproducible; the rate scales real time (0 freezes it,
    1 is real time, 60 is a minute per second). With a `shared` backend the state lives there, so every worker
    process and every restart sees the same clock (the wall source must then be `time.time`).
    """

    def __init__(
        self, start: datetime, rate: float = 1.0, wall: WallSource = time.monotonic, shared: SharedClock | None = None
    ) -> None:
        if start.tzinfo is None:
            raise ClockError("the clock start must carry a time zone")
        check_instant(start, "the clock's start")
        self._check_rate(rate)
        self._wall = wall
        self._lock = threading.RLock()
        self._shared = shared
        self._state = ClockState(start.astimezone(UTC).replace(microsecond=0), wall(), rate)
        # the last reading: (state, seconds since its anchor, the instant); see `_now_of`
        self._last: tuple[ClockState | None, int, datetime] = (None, 0, start)
        self._limit: tuple[ClockState | None, float] = (None, 0.0)
        if shared is not None:
            with shared.write():
                existing = shared.load_clock()
                if existing is None:
                    shared.save_clock(self._state)
                else:
                    self._state = existing

    @staticmethod
    def _check_rate(rate: float) -> None:
        if not (0 <= rate <= 1_000_000):  # NaN fails both comparisons
            raise ClockError(f"rate must be between 0 and 1000000, got {rate}")

    @contextmanager
    def _changing(self) -> Iterator[None]:
        if self._shared is None:
            with self._lock:
                yield
            return
        with self._shared.write(), self._lock:  # the store's lock first: the one lock order
            self._state = self._shared.load_clock() or self._state
            yield
            self._shared.save_clock(self._state)

    def _current(self) -> ClockState:
        """The state to read from; a shared one is loaded without holding the clock's lock (see the lock order)."""
        if self._shared is not None:
            return self._shared.load_clock() or self._state
        return self._state  # one attribute read: writers replace the whole (frozen) state, under the lock

    def _now_of(self, state: ClockState) -> datetime:
        """The instant of `state` now. Read several times per request (issue 13: 7% of a request's CPU), so a frozen
        clock answers its anchor (what the formula gives at rate 0) and a running one its last reading while the
        whole second is the same (the same state and seconds give the same instant)."""
        if not state.rate:
            return state.anchor
        elapsed = (self._wall() - state.wall_anchor) * state.rate
        limits = self._limit
        if limits[0] is not state:  # the seconds left before MAX_INSTANT, made once per state (a datetime subtraction)
            limits = self._limit = (state, max((MAX_INSTANT - state.anchor).total_seconds(), 0.0))
        seconds = int(min(max(elapsed, 0.0), limits[1]))
        last = self._last
        if last[0] is state and last[1] == seconds:
            return last[2]
        now = state.anchor + timedelta(seconds=seconds)
        self._last = (state, seconds, now)
        return now

    def now(self) -> datetime:
        return self._now_of(self._current())

    @property
    def rate(self) -> float:
        return self._current().rate

    def reading(self) -> ClockReading:
        state = self._current()
        return ClockReading(self._now_of(state), state.rate)

    def set(self, now: datetime | None = None, rate: float | None = None) -> ClockReading:
        """Jump to `now` (never backwards) and/or change the rate, atomically."""
        with self._changing():
            current = self._now_of(self._state)
            target = current if now is None else now.astimezone(UTC).replace(microsecond=0)
            check_instant(target)
            if target < current:
                raise ClockError(
                    f"the clock never goes backwards: {format_instant(target)} is before {format_instant(current)}"
                )
            if rate is not None:
                self._check_rate(rate)
            self._state = ClockState(target, self._wall(), self._state.rate if rate is None else rate)
            return ClockReading(self._state.anchor, self._state.rate)

    def set_anchor(self, now: datetime) -> None:
        """Put the clock at `now` even if that is in the past: only a reset or a restore of the simulator does."""
        check_instant(now)
        with self._changing():
            self._state = ClockState(now.astimezone(UTC).replace(microsecond=0), self._wall(), self._state.rate)

    def advance(self, seconds: float) -> ClockReading:
        """Move forward by `seconds`, never past `MAX_INSTANT`."""
        if not 0 <= seconds < math.inf:  # NaN fails both comparisons
            raise ClockError(f"the clock moves forward by a finite number of seconds, not {seconds}")
        with self._changing():
            target = check_instant(self._now_of(self._state) + timedelta(seconds=int(seconds)))
            self._state = ClockState(target, self._wall(), self._state.rate)
            return ClockReading(self._state.anchor, self._state.rate)
