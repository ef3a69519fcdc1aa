"""A driver's duty-status log, normalised once and indexed for fast look-ups at any instant.

Times are kept as integer microseconds since the Unix epoch, so the engine's arithmetic is exact and cheap.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from mockserver.reveal.hos.models import EPOCH, DutyClass, DutyEvent

MICROS_PER_SECOND = 1_000_000
_ONE_MICROSECOND = timedelta(microseconds=1)

# Start of the unbounded off-duty period assumed before the first event (hos-rules.md 2.1).
BEFORE_LOG = -(1 << 62)


def to_micros(at: datetime) -> int:
    if at.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return (at - EPOCH) // _ONE_MICROSECOND


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def micros_to_timedelta(micros: int) -> timedelta:
    return timedelta(microseconds=micros)


def hours(count: float) -> int:
    """`count` hours in microseconds."""
    return int(count * 3600 * MICROS_PER_SECOND)


Segment = tuple[int, int, DutyClass]
"""(start, end, class) in microseconds; `start` is BEFORE_LOG for the assumed rest before the log."""


class DutyLog:
    """Sorted, de-duplicated duty events of one driver; append-only.

    Normalisation (hos-rules.md 2.1 and 2.9): events are sorted by time; of several events at the same
    instant the last one given wins; a status lasts until the next event, so gaps extend the previous status.
    """

    __slots__ = ("_classes", "_events", "_times")

    def __init__(self) -> None:
        self._times: list[int] = []
        self._classes: list[DutyClass] = []
        self._events: list[DutyEvent] = []

    @classmethod
    def from_events(cls, events: Iterable[DutyEvent]) -> DutyLog:
        log = cls()
        for event in sorted(events, key=lambda e: e.at):  # stable: equal instants keep their given order
            log.append(event)
        return log

    def append(self, event: DutyEvent) -> None:
        """Add an event at or after the last one; one at the same instant replaces it."""
        micros = to_micros(event.at)
        if self._times and micros < self._times[-1]:
            raise ValueError(f"event at {event.at.isoformat()} is before the end of the log")
        if self._times and micros == self._times[-1]:
            self._classes[-1] = event.duty_class
            self._events[-1] = event
            return
        self._times.append(micros)
        self._classes.append(event.duty_class)
        self._events.append(event)

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[DutyEvent]:
        return iter(self._events)

    @property
    def events(self) -> Sequence[DutyEvent]:
        return tuple(self._events)

    def index_at(self, micros: int) -> int:
        """Index of the event in effect at `micros` (the last one at or before it), or -1 if none."""
        return bisect_right(self._times, micros) - 1

    def event_at(self, at: datetime) -> DutyEvent | None:
        index = self.index_at(to_micros(at))
        return self._events[index] if index >= 0 else None

    def event(self, index: int) -> DutyEvent:
        return self._events[index]

    def time_of(self, index: int) -> int:
        return self._times[index]

    def segments_backward(self, until: int) -> Iterator[Segment]:
        """Status periods clipped at `until`, latest first, ending with the assumed rest before the log.

        Events after `until` are ignored; the period in progress at `until` ends there (it may be empty when
        an event falls exactly on `until`).
        """
        times = self._times
        classes = self._classes
        end = until
        for index in range(bisect_right(times, until) - 1, -1, -1):
            start = times[index]
            yield start, end, classes[index]
            end = start
        yield BEFORE_LOG, end, DutyClass.OFF
