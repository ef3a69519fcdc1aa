"""Remote-download timelines: when each vehicle unit or driver card was (and will be) downloaded.

A timeline is a pure function of the facts, the manual requests and the instant asked about: a scheduled attempt
at the first ignition on or after (last success + period), a retry at the next ignition after a failed scheduled
attempt, a manual request executed at the first ignition after it was made, nothing once the service has stopped.
Timelines are extended lazily and cached, since the clock only moves forward; the cache is derived data, never
state, so "advance 60 days once" and "advance one day sixty times" give the same attempts.

Steady runs: where the rules promise that outcome and service stay the same until a known instant (`Steady`) and
the schedule repeats at a fixed step (every period when downloads succeed, every day while they fail on a daily
pattern), a whole run of attempts is appended in one step instead of one Python step per attempt: a 10,000-driver
world's first list no longer walks millions of daily attempts. The runs give exactly the attempts of the
step-by-step walk (a property test compares both).

Attempts are known by their shape (a run's first stamp, bound, count and last stamp, found by arithmetic) until
something reads them one by one (the files, the console's timeline, an earlier instant): a summary at the end of
the timeline, all a list's view needs, is made from the shapes, so a large world's first list writes no attempt
into the arrays (issue 13: about half of a vehicle's view was writing them).
"""

from __future__ import annotations

import bisect
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mockserver.tachoshare.stamps import DAY_SECONDS, WEEK_SECONDS, start_of
from mockserver.tachoshare.stamps import day_of as _day_of
from mockserver.tachoshare.stamps import first_ignition_on as _first_ignition_on
from mockserver.tachoshare.stamps import instant as _instant
from mockserver.tachoshare.stamps import offsets as _offsets
from mockserver.world.models import DrivingPattern

ONE_SECOND = timedelta(seconds=1)
__all__ = ["Attempt", "DownloadSummary", "Timeline", "start_of", "summarize"]


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


_NO_STAMPS, _NO_INDEX, _NO_BYTES = array("q"), array("l"), bytearray()
# (reason, first stamp, bound (None: one walked attempt), count, last stamp, manual)
_Pending = tuple[str | None, int, int | None, int, int, bool]


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
    # the written attempts: shared empty ones (never written to) until the first is written, since most timelines
    # of a large world's list never are (issue 13: four objects fewer per vehicle to make and to collect)
    _at: array[int] = field(init=False)
    _flags: bytearray = field(init=False)  # bit 0: ok, bit 1: manual
    _reason: bytearray = field(init=False)  # index into _reasons (0: none)
    _reasons: tuple[str | None, ...] = (None,)
    _ok_index: array[int] = field(init=False)  # positions of the successes
    _next: datetime | None = None
    _manual_done: int = 0  # requests executed (or dropped because the service stopped)
    _done_until: datetime | None = None
    _summary: tuple[tuple[int, datetime | None, datetime | None], DownloadSummary] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # attempts known, not yet written into the arrays (they follow the arrays' attempts): walked ones (bound None)
    # and steady runs known by their shape; a summary at the end of the timeline reads them as they are
    _runs: list[_Pending] = field(default_factory=list)
    _size: int = 0  # attempts in the arrays and the runs

    def __post_init__(self) -> None:
        self._at, self._flags, self._reason, self._ok_index = _NO_STAMPS, _NO_BYTES, _NO_BYTES, _NO_INDEX
        self._next = self.begin
        self.manual.sort()

    def _execution(self, request: datetime) -> datetime:
        return self.driving.ignition_at_or_after(request + ONE_SECOND)

    def attempt(self, index: int) -> Attempt:
        if self._runs and not 0 <= index < len(self._at):
            self._write_runs()
        flags = self._flags[index]
        return Attempt(_instant(self._at[index]), bool(flags & 1), self._reasons[self._reason[index]], bool(flags & 2))

    def _count(self, now: datetime) -> int:
        self._advance(now)
        stamp = int(now.timestamp())
        last = self._runs[-1][4] if self._runs else (self._at[-1] if self._at else None)
        if last is None or last <= stamp:
            return self._size
        self._write_runs()
        return bisect.bisect_right(self._at, stamp)

    def _write_runs(self) -> None:
        """Write the runs known by their shape into the arrays (the lists, the files and earlier instants read them)."""
        if self._at is _NO_STAMPS:
            self._at, self._flags, self._reason, self._ok_index = array("q"), bytearray(), bytearray(), array("l")
        for reason, first, bound, count, _last, manual in self._runs:
            if bound is None:
                self._write(first, reason, manual)
                continue
            stamps = self._stamps(reason, first, bound)
            assert stamps is not None and len(stamps) == count
            base = len(self._at)
            self._at.extend(stamps)
            if reason is None:
                self._flags.extend(b"\x01" * count)
                self._reason.extend(bytes(count))  # index 0: no reason
                self._ok_index.extend(range(base, base + count))
            else:
                self._flags.extend(bytes(count))
                self._reason.extend(bytes([self._reasons.index(reason)]) * count)
        self._runs.clear()

    def settled(self) -> Timeline:
        """This timeline with every attempt in its arrays, for readers of the arrays (`DownloadSummary`)."""
        with self._lock:
            if self._runs:
                self._write_runs()
        return self

    def until(self, now: datetime) -> list[Attempt]:
        """All attempts at or before `now`, oldest first."""
        with self._lock:
            return [self.attempt(i) for i in range(self._count(now))]

    def _advance(self, now: datetime) -> None:
        if self._done_until is None or now > self._done_until:
            self._extend(now)
            self._done_until = now

    def _write(self, stamp: int, reason: str | None, manual: bool) -> None:
        if reason is None:
            self._ok_index.append(len(self._at))
            self._reason.append(0)
            self._flags.append(3 if manual else 1)
        else:
            self._reason.append(self._reasons.index(reason))
            self._flags.append(2 if manual else 0)
        self._at.append(stamp)

    def _extend(self, now: datetime) -> None:
        manual, driving, period = self.manual, self.driving, timedelta(days=self.period_days)
        now_stamp = int(now.timestamp())
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
            if reason not in self._reasons:
                self._reasons = (*self._reasons, reason)
            stamp = int(at.timestamp())
            self._runs.append((reason, stamp, None, 1, stamp, by_hand and not scheduled))  # a walked attempt
            self._size += 1
            if reason is None:
                self._next = _first_ignition_on(driving, at.date() + period)
            elif scheduled:
                self._next = driving.ignition_at_or_after(at + ONE_SECOND)
            if scheduled and self._next is not None:
                self._run(at, reason, now_stamp, manual_at, period)

    def _stamps(self, reason: str | None, first: int, last: int) -> list[int] | range | None:
        """The scheduled attempts in [first, last] that follow one with this outcome, when they repeat steadily:
        every period after a success (the same weekday again when the period is whole weeks), every driving day
        while attempts fail (a failed attempt is retried at the next ignition). None: walk them one by one."""
        if reason is None:
            if len(self.driving.weekdays) == 7 or self.period_days % 7 == 0:
                return range(first, last + 1, self.period_days * DAY_SECONDS)
            return None
        offsets = _offsets(first, self.driving.weekdays)
        # week after week, the offsets in ascending order: each offset's stamps fill every n-th place (C loops)
        weeks, n = len(range(first, last + 1, WEEK_SECONDS)), len(offsets)
        stamps = [0] * (weeks * n)
        for k, offset in enumerate(offsets):
            stamps[k::n] = range(first + offset, first + offset + weeks * WEEK_SECONDS, WEEK_SECONDS)
        while stamps and stamps[-1] > last:  # the last week's days after `last`
            stamps.pop()
        return stamps

    def _run(
        self, at: datetime, reason: str | None, now_stamp: int, manual_at: datetime | None, period: timedelta
    ) -> None:
        """Append the steady run of scheduled attempts from `_next` on that repeat `at`'s outcome, in one go."""
        if self.steady is None or self._next is None:
            return
        until = self.steady(at)
        first = int(self._next.timestamp())
        last = now_stamp
        if until is not None:
            last = min(last, int(until.timestamp()) - 1)
        if manual_at is not None:
            last = min(last, int(manual_at.timestamp()) - 1)
        shape = self._shape(reason, first, last)
        if shape is None:
            return
        count, final = shape
        self._runs.append((reason, first, last, count, final, False))  # written into the arrays when they are read
        self._size += count
        if reason is None:
            self._next = _first_ignition_on(self.driving, _day_of(final) + period)
        else:
            self._next = self.driving.ignition_at_or_after(_instant(final) + ONE_SECOND)

    def _shape(self, reason: str | None, first: int, last: int) -> tuple[int, int] | None:
        """(count, last stamp) of `_stamps(reason, first, last)`, by arithmetic; None when it has none."""
        if last < first:
            return None
        if reason is None:
            if self.period_days % 7 == 0 or len(self.driving.weekdays) == 7:
                step = self.period_days * DAY_SECONDS
                count = (last - first) // step + 1
                return count, first + (count - 1) * step
            return None
        offsets = _offsets(first, self.driving.weekdays)
        weeks = (last - first) // WEEK_SECONDS + 1
        final_week = first + (weeks - 1) * WEEK_SECONDS
        tail = bisect.bisect_right(offsets, last - final_week)  # the last week's days up to `last`
        count = (weeks - 1) * len(offsets) + tail
        if count == 0:
            return None
        final = final_week + offsets[tail - 1] if tail else final_week - WEEK_SECONDS + offsets[-1]
        return count, final

    def _attempt_at(self, index: int) -> Attempt:
        """`attempt(index)`; the last attempt of a run not yet written is made from the run's shape."""
        if self._runs and index == self._size - 1:
            reason, _first, _bound, _count, final, manual = self._runs[-1]
            return Attempt(_instant(final), reason is None, reason, manual)
        return self.attempt(index)

    def _successes(self, count: int, last: Attempt | None) -> tuple[Attempt | None, Attempt | None]:
        """The first and last successes among the first `count` attempts, whose last is `last` (the last success
        when it succeeded)."""
        done = last is not None and last.ok
        if self._runs and count == self._size:  # every attempt: the runs' successes follow the arrays'
            oks = [run for run in self._runs if run[0] is None]  # a success run's first stamp is its `first`
            first = self.attempt(self._ok_index[0]) if self._ok_index else None
            if oks:  # (`done`: the last run succeeded)
                first = first or Attempt(_instant(oks[0][1]), True, None, oks[0][5])
                return first, last if done else Attempt(_instant(oks[-1][4]), True, None, oks[-1][5])
            return first, self.attempt(self._ok_index[-1]) if self._ok_index else None
        if self._runs:
            self._write_runs()
        oks_index = self._ok_index
        shown = len(oks_index) if not oks_index or oks_index[-1] < count else bisect.bisect_left(oks_index, count)
        if not shown:
            return None, None
        return self.attempt(oks_index[0]), last if done else self.attempt(oks_index[shown - 1])

    def last_success_until(self, count: int, stamp: int) -> Attempt | None:
        """The last success at or before `stamp` among the first `count` attempts. Read from the runs' shapes while
        they are every attempt (a success run is one every period), so an exporting driver's view writes none of
        its hundreds of daily attempts into the arrays (issue 13: a large world's first driver list)."""
        with self._lock:
            if self._runs and count == self._size:
                for reason, first, _bound, _count, final, manual in reversed(self._runs):
                    if reason is None and first <= stamp:
                        step = self.period_days * DAY_SECONDS
                        at = final if final <= stamp else first + (stamp - first) // step * step
                        return Attempt(_instant(at), True, None, manual)
                end = len(self._ok_index)  # none in the runs: the arrays' attempts precede them all
            else:
                if self._runs:
                    self._write_runs()
                end = bisect.bisect_left(self._ok_index, count)
            oks, stamps = self._ok_index, self._at
            found = bisect.bisect_right(oks, stamp, hi=end, key=lambda i: stamps[i])
            return self.attempt(oks[found - 1]) if found else None

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
            last_attempt = self._attempt_at(count - 1) if count else None
            first_ok, last_ok = self._successes(count, last_attempt)
            summary = DownloadSummary(
                last_attempt=last_attempt,
                first_success=first_ok,
                last_success=last_ok,
                next_attempt=self._next,
                pending_manual=key[1],
                _timeline=self,
                _count=count,
            )
            self._summary = (key, summary)
            return summary


@dataclass(frozen=True, slots=True)
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
        timeline = self._timeline.settled()
        return tuple(timeline.attempt(i) for i in range(self._count))

    def last_success_until(self, moment: datetime) -> Attempt | None:
        """The last success at or before `moment` (among this summary's attempts), found by bisection."""
        return self._timeline.last_success_until(self._count, int(moment.timestamp()))

    @property
    def successes(self) -> tuple[Attempt, ...]:
        timeline = self._timeline.settled()
        oks = timeline._ok_index[: bisect.bisect_left(timeline._ok_index, self._count)]
        return tuple(timeline.attempt(i) for i in oks)


def summarize(timeline: Timeline, now: datetime) -> DownloadSummary:
    return timeline.summary(now)
