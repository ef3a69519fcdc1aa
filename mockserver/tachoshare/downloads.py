"""Remote-download timelines: when each vehicle unit or driver card was (and will be) downloaded.

A timeline is a pure function of the facts, the manual requests and the instant asked about: a scheduled attempt
at the first ignition on or after (last success + period), a retry at the next ignition after a failed scheduled
attempt, a manual request executed at the first ignition after it was made, nothing once the service has stopped.
Timelines are extended lazily and cached, since the clock only moves forward; the cache is derived data, never
state, so "advance 60 days once" and "advance one day sixty times" give the same attempts.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from mockserver.world.models import DrivingPattern

ONE_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class Attempt:
    at: datetime
    ok: bool
    reason: str | None = None  # why a failed attempt failed (an rdlHealthStatus result)
    manual: bool = False


# Given an attempt instant: None for a success, else the failure reason.
Outcome = Callable[[datetime], str | None]
Active = Callable[[datetime], bool]


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


@dataclass
class Timeline:
    """Attempts of one unit or card, from `begin` on, extended on demand."""

    begin: datetime | None
    period_days: int
    outcome: Outcome
    active: Active
    driving: DrivingPattern
    manual: list[datetime] = field(default_factory=list)  # request instants, sorted
    attempts: list[Attempt] = field(default_factory=list)
    _next: datetime | None = None
    _manual_done: int = 0  # requests executed (or dropped because the service stopped)
    _done_until: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._next = self.begin
        self.manual.sort()

    def _execution(self, request: datetime) -> datetime:
        return self.driving.ignition_at_or_after(request + ONE_SECOND)

    def until(self, now: datetime) -> list[Attempt]:
        """All attempts at or before `now`, oldest first."""
        with self._lock:
            self._advance(now)
            if not self.attempts or self.attempts[-1].at <= now:
                return list(self.attempts)
            times = [a.at for a in self.attempts]
            return self.attempts[: bisect.bisect_right(times, now)]

    def _advance(self, now: datetime) -> None:
        if self._done_until is None or now > self._done_until:
            self._extend(now)
            self._done_until = now

    def _extend(self, now: datetime) -> None:
        manual, driving, period = self.manual, self.driving, timedelta(days=self.period_days)
        manual_at = self._execution(manual[self._manual_done]) if self._manual_done < len(manual) else None
        while True:
            scheduled_at = self._next
            if scheduled_at is None:
                at = manual_at
            elif manual_at is None or scheduled_at <= manual_at:
                at = scheduled_at
            else:
                at = manual_at
            if at is None or at > now:
                return
            if not self.active(at):
                self._next = None
                self._manual_done = len(manual)
                return
            by_hand = manual_at == at
            scheduled = scheduled_at == at
            if by_hand:
                while self._manual_done < len(manual) and self._execution(manual[self._manual_done]) == at:
                    self._manual_done += 1
                manual_at = self._execution(manual[self._manual_done]) if self._manual_done < len(manual) else None
            reason = self.outcome(at)
            self.attempts.append(Attempt(at, reason is None, reason, by_hand and not scheduled))
            if reason is None:
                self._next = driving.ignition_at_or_after(start_of(at.date() + period))
            elif scheduled:
                self._next = driving.ignition_at_or_after(at + ONE_SECOND)

    def request(self, at: datetime) -> None:
        """Record a manual request made at `at` (never before what the timeline already computed)."""
        with self._lock:
            if self._done_until is not None and at < self._done_until:
                raise ValueError("a manual request cannot be placed in the computed past")
            self.manual.append(at)

    def pending(self, now: datetime) -> datetime | None:
        """The execution instant of a manual request made by `now` that has not run yet."""
        with self._lock:
            self._advance(now)
            if self._manual_done < len(self.manual) and self.manual[self._manual_done] <= now:
                return self._execution(self.manual[self._manual_done])
            return None

    def next_attempt(self, now: datetime) -> datetime | None:
        with self._lock:
            self._advance(now)
            return self._next


@dataclass(frozen=True)
class DownloadSummary:
    """What the API reports about downloads, at one instant."""

    attempts: tuple[Attempt, ...]
    successes: tuple[Attempt, ...]
    next_attempt: datetime | None
    pending_manual: datetime | None = None

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
    return DownloadSummary(attempts, successes, timeline.next_attempt(now), timeline.pending(now))
