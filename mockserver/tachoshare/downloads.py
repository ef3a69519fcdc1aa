"""Remote-download timelines: when each vehicle unit or driver card was (and will be) downloaded.

A timeline is a pure function of the facts and the instant asked about: scheduled attempts every period after a
success, daily retries after a failure, none once the service has stopped. Timelines are extended lazily and
cached, since the clock only moves forward; the cache is derived data, never state.

Not simulated: attempts at the exact moment the ignition turns on (every attempt of a day happens at the unit's
fixed daily hour).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Attempt:
    at: datetime
    ok: bool
    reason: str | None = None  # why a failed attempt failed (an rdlHealthStatus result)


# Given an attempt instant: None for a success, else the failure reason.
Outcome = Callable[[datetime], str | None]
Active = Callable[[datetime], bool]


@dataclass
class Timeline:
    """Attempts of one unit or card, from `begin` on, extended on demand."""

    begin: datetime | None
    period_days: int
    outcome: Outcome
    active: Active
    attempts: list[Attempt] = field(default_factory=list)
    _next: datetime | None = None
    _done_until: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._next = self.begin

    def until(self, now: datetime) -> list[Attempt]:
        """All attempts at or before `now`, oldest first."""
        with self._lock:
            if self._done_until is None or now > self._done_until:
                self._extend(now)
                self._done_until = now
            if not self.attempts or self.attempts[-1].at <= now:
                return list(self.attempts)
            times = [a.at for a in self.attempts]
            return self.attempts[: bisect.bisect_right(times, now)]

    def _extend(self, now: datetime) -> None:
        while self._next is not None and self._next <= now:
            at = self._next
            if not self.active(at):
                self._next = None
                break
            reason = self.outcome(at)
            self.attempts.append(Attempt(at, reason is None, reason))
            step = timedelta(days=self.period_days) if reason is None else ONE_DAY
            self._next = at + step

    def next_attempt(self, now: datetime) -> datetime | None:
        self.until(now)
        with self._lock:
            return self._next


@dataclass(frozen=True)
class DownloadSummary:
    """What the API reports about downloads, at one instant."""

    attempts: tuple[Attempt, ...]
    successes: tuple[Attempt, ...]
    next_attempt: datetime | None

    @property
    def last_attempt(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def first_success(self) -> Attempt | None:
        return self.successes[0] if self.successes else None

    @property
    def last_success(self) -> Attempt | None:
        return self.successes[-1] if self.successes else None


def summarize(timeline: Timeline, now: datetime) -> DownloadSummary:
    attempts = tuple(timeline.until(now))
    successes = tuple(a for a in attempts if a.ok)
    return DownloadSummary(attempts, successes, timeline.next_attempt(now))


def at_time(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=UTC)
