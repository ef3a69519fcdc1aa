"""Epoch-second arithmetic of download schedules (`mockserver.tachoshare.downloads`): days, weeks and ignitions,
without making instants where a number does."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from mockserver.world.models import DrivingPattern

ONE_DAY = timedelta(days=1)
DAY_SECONDS = 86_400


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_of(seconds: int) -> date:
    """The UTC date of an epoch second (a date alone, without making the instant)."""
    return date.fromordinal(seconds // DAY_SECONDS + EPOCH_ORDINAL)


def first_ignition_on(driving: DrivingPattern, day: date) -> datetime:
    """`driving.ignition_at_or_after(start_of(day))`: the first ignition on a driving day at or after `day`."""
    weekdays = driving.weekdays
    for _ in range(7):
        if day.weekday() in weekdays:
            return datetime.combine(day, driving.ignition, tzinfo=UTC)
        day += ONE_DAY
    raise ValueError("a driving pattern needs at least one weekday")


WEEK_SECONDS = 7 * DAY_SECONDS
_OFFSETS: dict[tuple[int, frozenset[int]], tuple[int, ...]] = {}  # at most 7 per driving pattern: no bound needed


def offsets(first: int, weekdays: frozenset[int]) -> tuple[int, ...]:
    """The seconds from `first` to each driving day of its week (`first`'s own day included), ascending."""
    weekday = (first // DAY_SECONDS + 3) % 7  # 1970-01-01 was a Thursday (3)
    key = (weekday, weekdays)
    found = _OFFSETS.get(key)
    if found is None:
        found = _OFFSETS[key] = tuple(d * DAY_SECONDS for d in range(7) if (weekday + d) % 7 in weekdays)
    return found
