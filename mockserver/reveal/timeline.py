"""A driver's duty-status periods as the LogBook API sees them at a simulated instant: generated or scripted.

A generated timeline wraps the seeded `DutyLogGenerator` (six months before the world's start and onward, written
ahead of the clock); a scripted timeline serves a log QA put with the control plane. Both answer the same
questions: the period in effect at `now`, the periods of a window, and the engine log for queries up to `now`.
Nothing after `now` is ever listed: the generator plans periods ahead, and a scripted log may hold future events.

Generated timelines depend only on world facts, so they are shared (bounded cache) by every simulator of the
process: tests and benchmarks that build several simulators of one world generate each log once.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from mockserver.reveal.dutylog import DutyLogGenerator, LogEntry, profile_named
from mockserver.reveal.hos import DutyEvent, DutyLog, DutyStatus, HosOptions, SubStatus
from mockserver.reveal.models import RevealDriver
from mockserver.reveal.state import ScriptedLog

HISTORY_MONTHS = 6
LOG_LEAD = timedelta(days=14)  # generated history starts this long before the 6-month window (cycle context)
WRITE_AHEAD = timedelta(days=1)  # how far past `now` a generated log is extended at once
_CACHE_SIZE = 256

# Convention: a scripted log has no odometer; distances follow from these nominal speeds (km/h).
SCRIPTED_SPEEDS: dict[DutyStatus | SubStatus, float] = {
    DutyStatus.ON_DUTY_DRIVING: 80.0,
    SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE: 5.0,
    SubStatus.OFF_DUTY_PERSONAL_USE: 40.0,
}


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant `months` calendar months earlier (the day clamped to the month's length)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=moment.tzinfo)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def history_start(world_start: datetime) -> datetime:
    """Where every generated log begins: six months and a lead before the world's start."""
    return (months_before(world_start, HISTORY_MONTHS) - LOG_LEAD).astimezone(UTC).replace(second=0, microsecond=0)


class Period(Protocol):
    """One duty-status period and what Reveal shows with it (a generated `LogEntry` is one)."""

    @property
    def event(self) -> DutyEvent: ...

    @property
    def vehicle_number(self) -> str | None: ...

    @property
    def trailer_numbers(self) -> tuple[str, ...]: ...

    @property
    def shipping_references(self) -> tuple[str, ...]: ...

    @property
    def remark(self) -> str | None: ...

    def distance_until(self, at: datetime) -> float: ...


@dataclass(frozen=True, slots=True)
class Slice:
    """A period as seen at `now`: `end` is the next period's start, or None while it is still in progress."""

    period: Period
    end: datetime | None

    @property
    def start(self) -> datetime:
        return self.period.event.at


class Timeline(Protocol):
    scripted: bool

    @property
    def options(self) -> HosOptions: ...

    def current(self, now: datetime) -> Slice | None: ...

    def window(self, start: datetime, end: datetime, now: datetime) -> list[Slice]: ...

    def engine_log(self, now: datetime) -> DutyLog: ...


def _window_indices(starts: Sequence[datetime], start: datetime, end: datetime, now: datetime) -> range:
    """Indices of the periods in effect at `start` or beginning before `end`, begun by `now`."""
    first = max(bisect_right(starts, start) - 1, 0)
    last = min(bisect_left(starts, end), bisect_right(starts, now))
    return range(first, last)


def _slice_at(starts: Sequence[datetime], index: int, now: datetime, make: Callable[[int], Period]) -> Slice:
    following = starts[index + 1] if index + 1 < len(starts) else None
    return Slice(make(index), following if following is not None and following <= now else None)


class GeneratedTimeline:
    scripted = False

    def __init__(self, generator: DutyLogGenerator) -> None:
        self._generator = generator
        self._lock = threading.Lock()
        self._covered: tuple[datetime, list[LogEntry], list[datetime]] | None = None
        self._log: DutyLog | None = None  # the generator's own (growing) log; asking for it lists every period

    @property
    def options(self) -> HosOptions:
        return self._generator.hos_options

    def _entries(self, now: datetime) -> tuple[list[LogEntry], list[datetime]]:
        covered = self._covered
        if covered is None or covered[0] < now:
            with self._lock:
                covered = self._covered
                if covered is None or covered[0] < now:
                    target = now + WRITE_AHEAD
                    entries = self._generator.entries_until(target)
                    self._log = self._generator.engine_log_through(target)
                    covered = (target, entries, [entry.event.at for entry in entries])
                    self._covered = covered
        return covered[1], covered[2]

    def current(self, now: datetime) -> Slice | None:
        entries, starts = self._entries(now)
        index = bisect_right(starts, now) - 1
        return None if index < 0 else _slice_at(starts, index, now, entries.__getitem__)

    def window(self, start: datetime, end: datetime, now: datetime) -> list[Slice]:
        entries, starts = self._entries(now)
        return [_slice_at(starts, i, now, entries.__getitem__) for i in _window_indices(starts, start, end, now)]

    def engine_log(self, now: datetime) -> DutyLog:
        self._entries(now)
        assert self._log is not None
        return self._log


@dataclass(frozen=True, slots=True)
class ScriptedPeriod:
    """A period of a scripted log: the driver's assigned vehicle while with it, no trailers, no remark."""

    event: DutyEvent
    ends_at: datetime | None
    vehicle_number: str | None
    trailer_numbers: tuple[str, ...] = ()
    shipping_references: tuple[str, ...] = ()
    remark: str | None = None

    def distance_until(self, at: datetime) -> float:
        event = self.event
        speed = SCRIPTED_SPEEDS.get(event.status, 0.0)
        if event.sub_status is not None:
            speed = SCRIPTED_SPEEDS.get(event.sub_status, speed)
        end = at if self.ends_at is None else min(at, self.ends_at)
        elapsed = max(end - self.event.at, timedelta(0))
        return round(speed * elapsed / timedelta(hours=1), 1)


class ScriptedTimeline:
    """A log QA scripted for a driver. Its days start at 00:00 UTC, as `fleetmock hos clocks` counts them."""

    scripted = True

    def __init__(self, scripted: ScriptedLog, driver: RevealDriver) -> None:
        self._log = scripted.log
        self._events = scripted.log.events
        self._starts = [event.at for event in self._events]
        self._vehicle = driver.vehicle_number
        profile = profile_named(driver.profile)
        self._options = HosOptions(cycle_days=driver.rule_cycle, short_haul=profile.short_haul, carrier=profile.carrier)

    @property
    def options(self) -> HosOptions:
        return self._options

    def _period(self, index: int) -> Period:
        event = self._events[index]
        away = event.status is DutyStatus.OFF_DUTY and event.sub_status is not SubStatus.OFF_DUTY_PERSONAL_USE
        following = self._starts[index + 1] if index + 1 < len(self._starts) else None
        return ScriptedPeriod(event, following, None if away else self._vehicle)

    def current(self, now: datetime) -> Slice | None:
        index = bisect_right(self._starts, now) - 1
        return None if index < 0 else _slice_at(self._starts, index, now, self._period)

    def window(self, start: datetime, end: datetime, now: datetime) -> list[Slice]:
        indices = _window_indices(self._starts, start, end, now)
        return [_slice_at(self._starts, i, now, self._period) for i in indices]

    def engine_log(self, now: datetime) -> DutyLog:
        return self._log


_GeneratorKey = tuple[int, str, int, datetime, str | None, timedelta, bool]
_cache: dict[_GeneratorKey, GeneratedTimeline] = {}
_cache_lock = threading.Lock()


def generated_timeline(driver: RevealDriver, world_start: datetime) -> GeneratedTimeline:
    """The (shared) generated timeline of a driver of a world starting at `world_start`."""
    start = history_start(world_start)
    key = (
        driver.log_seed,
        driver.profile,
        driver.rule_cycle,
        start,
        driver.vehicle_number,
        driver.home_utc_offset,
        driver.eld,
    )
    with _cache_lock:
        timeline = _cache.get(key)
        if timeline is None:
            if len(_cache) >= _CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            vehicles = (driver.vehicle_number,) if driver.vehicle_number is not None else ()
            generator = DutyLogGenerator(
                driver.log_seed,
                driver.profile,
                driver.rule_cycle,
                start,
                vehicles=vehicles,
                home_utc_offset=driver.home_utc_offset,
                eld=driver.eld,
            )
            timeline = _cache[key] = GeneratedTimeline(generator)
        return timeline
