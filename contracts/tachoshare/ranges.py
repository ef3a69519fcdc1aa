"""Date ranges of the TachoShare file routes: defaults, the 2-year limit, and the split at a generation change.

A range is half open, `[start, end)`: the reference says activities (or card downloads) "more recent or equal to"
the end date are not included. The server resolves a missing bound 90 days from the other one, and a request
without bounds to "the last 90 days"; the client resolves the same way *before* sending, so that it always knows
which days a file covers and can split a request it has to split.

Conventions (the reference does not say more):
- "the last 90 days" is the 90 days ending today inclusive, `[today - 89 days, today + 1 day)`;
- "more than 2 years" is more than `MAX_SPAN` = 730 days; the client never sends a longer range (the two
  calendar years from any date are at least 730 days, so a 730-day chunk is accepted under either reading).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_SPAN = timedelta(days=90)
MAX_SPAN = timedelta(days=730)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class DateRange:
    """The days `start` (included) to `end` (excluded)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"an empty or reversed range: [{self.start}, {self.end})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    def each_day(self) -> Iterator[date]:
        day = self.start
        while day < self.end:
            yield day
            day += ONE_DAY

    def split_at(self, day: date) -> tuple[DateRange, DateRange]:
        """`[start, day)` and `[day, end)`; `day` must lie strictly inside the range."""
        if not self.start < day < self.end:
            raise ValueError(f"{day} does not split [{self.start}, {self.end})")
        return DateRange(self.start, day), DateRange(day, self.end)

    def chunks(self, max_span: timedelta = MAX_SPAN) -> list[DateRange]:
        """Consecutive ranges of at most `max_span` that cover this one exactly, oldest first."""
        if max_span < ONE_DAY:
            raise ValueError("a chunk must hold at least one day")
        pieces: list[DateRange] = []
        start = self.start
        while start < self.end:
            end = min(start + max_span, self.end)
            pieces.append(DateRange(start, end))
            start = end
        return pieces

    @classmethod
    def through(cls, first: date, last: date) -> DateRange:
        """The days `first` to `last`, both included."""
        return cls(first, last + ONE_DAY)


def resolve_range(start: date | None, end: date | None, today: date) -> DateRange:
    """The range the server applies to the given bounds (see the module docstring for the conventions)."""
    if start is None and end is None:
        end = today + ONE_DAY
    if start is None:
        assert end is not None
        return DateRange(end - DEFAULT_SPAN, end)
    if end is None:
        return DateRange(start, start + DEFAULT_SPAN)
    return DateRange(start, end)
