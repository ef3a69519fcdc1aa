"""Remote-download timelines: when each vehicle unit or driver card was (and will be) downloaded.

A timeline is a pure function of the facts, the manual requests and the instant asked about: a scheduled attempt
at the first ignition on or after (last success + period), a retry at the next ignition after a failed scheduled
attempt, a manual request executed at the first ignition after it was made, nothing once the service has stopped.
Timelines are extended lazily and cached, since the clock only moves forward; the cache is derived data, never
state, so "advance 60 days once" and "advance one day sixty times" give the same attempts.

Steady runs: where the rules promise that outcome and service stay the same until a known instant (`Steady`) and
the schedule repeats at a fixed step (every period when downloads succeed, every day while they fail on a daily
pattern), a whole run of attempts is appended in one C-level `array.extend` instead of one Python step per attempt:
a 10,000-driver world's first list no longer walks millions of daily attempts. The runs give exactly the attempts
of the step-by-step walk (a property test compares both).
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from mockserver.world.models import DrivingPattern

ONE_SECOND = timedelta(seconds=1)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    ok: bool
    reason: str | None = None  # why a failed attempt failed (an rdlHealthStatus result)
    manual: bool = False


# Given an attempt instant: None for a success, else the failure reason.
Outcome = Callable[[datetime], str | None]
Active = Callable[[datetime], bool]
# Given an attempt instant: the instant until which (exclusive) outcome and activity stay what they are at it; None
# for "forever". Returning the instant itself (or earlier) promises nothing, so every attempt is walked.
Steady = Callable[[datetime], datetime | None]
DAY_SECONDS = 86_400


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _day_of(seconds: int) -> date:
    """The UTC date of an epoch second (a date alone, without making the instant)."""
    return date.fromordinal(seconds // DAY_SECONDS + EPOCH_ORDINAL)


def _first_ignition_on(driving: DrivingPattern, day: date) -> datetime:
    """`driving.ignition_at_or_after(start_of(day))`: the first ignition on a driving day at or after `day`."""
    weekdays = driving.weekdays
    for _ in range(7):
        if day.weekday() in weekdays:
            return datetime.combine(day, driving.ignition, tzinfo=UTC)
        day += ONE_DAY
    raise ValueError("a driving pattern needs at least one weekday")


@dataclass(slots=True)
class Timeline:
    """Attempts of one unit or card, from `begin` on, extended on demand.

    Attempts are kept compactly (epoch seconds, flags and a reason index) because a daily-downloaded card has
    hundreds a year and a large world thousands of cards; `Attempt` objects are made only when asked for.
    """

    begin: datetime | None
    period_days: int
    outcome: Outcome
    active: Active
    driving: DrivingPattern
    manual: list[datetime] = field(default_factory=list)  # request instants, sorted
    steady: Steady | None = None  # None: no steady runs, every attempt is walked
    _at: array[int] = field(default_factory=lambda: array("q"))
    _flags: bytearray = field(default_factory=bytearray)  # bit 0: ok, bit 1: manual
    _reason: bytearray = field(default_factory=bytearray)  # index into _reasons (0: none)
    _reasons: list[str | None] = field(default_factory=lambda: [None])
    _ok_index: array[int] = field(default_factory=lambda: array("l"))  # positions of the successes
    _next: datetime | None = None
    _manual_done: int = 0  # requests executed (or dropped because the service stopped)
    _done_until: datetime | None = None
    _summary: tuple[tuple[int, datetime | None, datetime | None], DownloadSummary] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._next = self.begin
        self.manual.sort()

    def _execution(self, request: datetime) -> datetime:
        return self.driving.ignition_at_or_after(request + ONE_SECOND)

    def attempt(self, index: int) -> Attempt:
        flags = self._flags[index]
        return Attempt(_instant(self._at[index]), bool(flags & 1), self._reasons[self._reason[index]], bool(flags & 2))

    def _count(self, now: datetime) -> int:
        self._advance(now)
        stamp = int(now.timestamp())
        if not self._at or self._at[-1] <= stamp:
            return len(self._at)
        return bisect.bisect_right(self._at, stamp)

    def until(self, now: datetime) -> list[Attempt]:
        """All attempts at or before `now`, oldest first."""
        with self._lock:
            return [self.attempt(i) for i in range(self._count(now))]

    def _advance(self, now: datetime) -> None:
        if self._done_until is None or now > self._done_until:
            self._extend(now)
            self._done_until = now

    def _record(self, at: datetime, reason: str | None, manual: bool) -> None:
        if reason is None:
            self._ok_index.append(len(self._at))
            self._reason.append(0)
            self._flags.append(3 if manual else 1)
        else:
            if reason not in self._reasons:
                self._reasons.append(reason)
            self._reason.append(self._reasons.index(reason))
            self._flags.append(2 if manual else 0)
        self._at.append(int(at.timestamp()))

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
            self._record(at, reason, by_hand and not scheduled)
            if reason is None:
                self._next = _first_ignition_on(driving, at.date() + period)
            elif scheduled:
                self._next = driving.ignition_at_or_after(at + ONE_SECOND)
            if scheduled and self._next is not None:
                self._run(at, reason, now, manual_at)

    def _stamps(self, reason: str | None, first: int, last: int) -> list[int] | range | None:
        """The scheduled attempts in [first, last] that follow one with this outcome, when they repeat steadily:
        every period after a success (the same weekday again when the period is whole weeks), every driving day
        while attempts fail (a failed attempt is retried at the next ignition). None: walk them one by one."""
        week = 7 * DAY_SECONDS
        if reason is None:
            if len(self.driving.weekdays) == 7 or self.period_days % 7 == 0:
                return range(first, last + 1, self.period_days * DAY_SECONDS)
            return None
        weekday = (first // DAY_SECONDS + 3) % 7  # 1970-01-01 was a Thursday (3)
        offsets = [d * DAY_SECONDS for d in range(7) if (weekday + d) % 7 in self.driving.weekdays]
        # week after week, the offsets in ascending order: each offset's stamps fill every n-th place (C loops)
        weeks, n = len(range(first, last + 1, week)), len(offsets)
        stamps = [0] * (weeks * n)
        for k, offset in enumerate(offsets):
            stamps[k::n] = range(first + offset, first + offset + weeks * week, week)
        while stamps and stamps[-1] > last:  # the last week's days after `last`
            stamps.pop()
        return stamps

    def _run(self, at: datetime, reason: str | None, now: datetime, manual_at: datetime | None) -> None:
        """Append the steady run of scheduled attempts from `_next` on that repeat `at`'s outcome, in one go."""
        if self.steady is None or self._next is None:
            return
        until = self.steady(at)
        first = int(self._next.timestamp())
        last = int(now.timestamp())
        if until is not None:
            last = min(last, int(until.timestamp()) - 1)
        if manual_at is not None:
            last = min(last, int(manual_at.timestamp()) - 1)
        stamps = self._stamps(reason, first, last) if last >= first else None
        if not stamps:
            return
        count, base = len(stamps), len(self._at)
        self._at.extend(stamps)
        if reason is None:
            self._flags.extend(b"\x01" * count)
            self._reason.extend(bytes(count))  # index 0: no reason
            self._ok_index.extend(range(base, base + count))
            self._next = _first_ignition_on(self.driving, _day_of(stamps[-1]) + timedelta(days=self.period_days))
        else:
            self._flags.extend(bytes(count))
            self._reason.extend(bytes([self._reasons.index(reason)]) * count)
            self._next = self.driving.ignition_at_or_after(_instant(stamps[-1]) + ONE_SECOND)

    def request(self, at: datetime) -> None:
        """Record a manual request made at `at` (never before what the timeline already computed)."""
        with self._lock:
            if self._done_until is not None and at < self._done_until:
                raise ValueError("a manual request cannot be placed in the computed past")
            self.manual.append(at)

    def _pending(self, now: datetime) -> datetime | None:
        if self._manual_done < len(self.manual) and self.manual[self._manual_done] <= now:
            return self._execution(self.manual[self._manual_done])
        return None

    def pending(self, now: datetime) -> datetime | None:
        """The execution instant of a manual request made by `now` that has not run yet."""
        with self._lock:
            self._advance(now)
            return self._pending(now)

    def next_attempt(self, now: datetime) -> datetime | None:
        with self._lock:
            self._advance(now)
            return self._next

    def summary(self, now: datetime) -> DownloadSummary:
        """The downloads as seen at `now`; the same object again while nothing changed."""
        with self._lock:
            count = self._count(now)
            key = (count, self._pending(now), self._next)
            if self._summary is not None and self._summary[0] == key:
                return self._summary[1]
            oks = self._ok_index
            shown = len(oks) if not oks or oks[-1] < count else bisect.bisect_left(oks, count)  # successes by now
            summary = DownloadSummary(
                last_attempt=self.attempt(count - 1) if count else None,
                first_success=self.attempt(oks[0]) if shown else None,
                last_success=self.attempt(oks[shown - 1]) if shown else None,
                next_attempt=self._next,
                pending_manual=key[1],
                _timeline=self,
                _count=count,
            )
            self._summary = (key, summary)
            return summary


@dataclass(frozen=True)
class DownloadSummary:
    """What the API reports about downloads, at one instant; the full lists are made only when asked for."""

    last_attempt: Attempt | None
    first_success: Attempt | None
    last_success: Attempt | None
    next_attempt: datetime | None
    pending_manual: datetime | None
    _timeline: Timeline = field(repr=False, compare=False)
    _count: int = 0

    @property
    def attempts(self) -> tuple[Attempt, ...]:
        return tuple(self._timeline.attempt(i) for i in range(self._count))

    def last_success_until(self, moment: datetime) -> Attempt | None:
        """The last success at or before `moment` (among this summary's attempts), found by bisection."""
        timeline = self._timeline
        stamp = int(moment.timestamp())
        oks = timeline._ok_index
        end = bisect.bisect_left(oks, self._count)
        found = bisect.bisect_right(oks, stamp, hi=end, key=lambda i: timeline._at[i])
        return timeline.attempt(oks[found - 1]) if found else None

    @property
    def successes(self) -> tuple[Attempt, ...]:
        timeline = self._timeline
        oks = timeline._ok_index[: bisect.bisect_left(timeline._ok_index, self._count)]
        return tuple(timeline.attempt(i) for i in oks)


def summarize(timeline: Timeline, now: datetime) -> DownloadSummary:
    return timeline.summary(now)
