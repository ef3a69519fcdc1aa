"""Which of its events a vehicle unit keeps, and why: the storage rules of Annex IC requirement 117 (3.12.8
"Events data") and the EventFaultRecordPurpose each kept record carries (data dictionary 2.69).

A record's purpose says which rule kept it, so it depends on the event type, not on the record layout:
  - card conflict: "the 10 most recent events" ('00'H),
  - driving without an appropriate card: "the longest event for each of the 10 last days of occurrence" ('01'H)
    and "the 5 longest events over the last 365 days" ('02'H),
  - over speeding: "the most serious event for each of the 10 last days of occurrence (i.e. the one with the
    highest average speed)" ('04'H) and "the 5 most serious events over the last 365 days" ('05'H).
An event kept by two rules is stored twice, once per purpose. `similarEventsNumber` is the number of events of
that type on that day (data dictionary 2.151: 0 is not used, 255 means 255 or more).
Not simulated: the over-speeding event "having occurred after the last calibration" ('06'H) and on-going
events ('07'H); power supply interruptions keep the purpose and selection they always had (every one is kept as
'01'H), since Gen1 and Gen2 v1 files are frozen with them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import TypeVar

from mockserver.tachograph.vu_model import OverspeedEvent, VuEventOrFault


class Purpose(IntEnum):
    """EventFaultRecordPurpose (data dictionary 2.69)."""

    MOST_RECENT = 0x00  # one of the 10 most recent (or last) events or faults
    LONGEST_OF_DAY = 0x01  # the longest event for one of the last 10 days of occurrence
    LONGEST_OF_YEAR = 0x02  # one of the 5 longest events over the last 365 days
    LAST_OF_DAY = 0x03  # the last event for one of the last 10 days of occurrence
    MOST_SERIOUS_OF_DAY = 0x04  # the most serious event for one of the last 10 days of occurrence
    MOST_SERIOUS_OF_YEAR = 0x05  # one of the 5 most serious events over the last 365 days
    FIRST_AFTER_CALIBRATION = 0x06  # the first event or fault having occurred after the last calibration
    ONGOING = 0x07  # an active/on-going event or fault


MOST_RECENT_KEPT = 10
DAYS_KEPT = 10
OF_YEAR_KEPT = 5
YEAR = timedelta(days=365)

E = TypeVar("E", VuEventOrFault, OverspeedEvent)


def _per_day(events: Sequence[E]) -> dict[date, list[E]]:
    days: dict[date, list[E]] = {}
    for event in events:
        days.setdefault(event.begin.date(), []).append(event)
    return days


def _with_similar(events: Sequence[E]) -> list[E]:
    """Each event with the number of events of its type that day."""
    days = _per_day(events)
    return [replace(e, similar_events=min(len(days[e.begin.date()]), 255)) for e in events]


def most_recent(events: Sequence[E]) -> list[E]:
    """The 10 most recent events of one type ('00'H), oldest first."""
    ordered = sorted(events, key=lambda e: e.begin)
    return [replace(e, purpose=int(Purpose.MOST_RECENT)) for e in _with_similar(ordered)[-MOST_RECENT_KEPT:]]


def by_day_and_year(
    events: Sequence[E], weight: Callable[[E], int], day: Purpose, year: Purpose, until: datetime
) -> list[E]:
    """The heaviest event (by `weight`: duration, average speed) of each of the 10 last days of occurrence with
    purpose `day`, then the 5 heaviest of the 365 days before `until` with purpose `year`, in time order (an
    event kept by both rules twice, the day's record first)."""
    if not events:
        return []
    ordered = _with_similar(sorted(events, key=lambda e: e.begin))
    days = _per_day(ordered)
    daily: list[E] = [replace(max(days[d], key=weight), purpose=int(day)) for d in sorted(days)][-DAYS_KEPT:]
    cutoff = until - YEAR
    recent = [e for e in ordered if e.begin > cutoff]
    heaviest = sorted(recent, key=weight, reverse=True)[:OF_YEAR_KEPT]  # stable: the earlier of equals first
    yearly: list[E] = [replace(e, purpose=int(year)) for e in heaviest]
    return sorted(daily + yearly, key=lambda e: (e.begin, e.purpose))


def duration(event: VuEventOrFault | OverspeedEvent) -> int:
    """Seconds from the event's begin to its end."""
    return int((event.end - event.begin).total_seconds())


def seriousness(event: OverspeedEvent) -> int:
    """Annex IC 117: the most serious over-speeding event is the one with the highest average speed."""
    return event.average_speed
