"""Download timelines as the QA console draws them: what happened to one subject (a vehicle unit, a driver card)
along simulated time, and what is planned next.

The core names no API: an API registers, per kind of subject, a source (`register`) that lists a subject's events
from its own domain rules; the console's route asks the registry (`timeline`). A source reads the same derived
state the API's answers are made from, so the timeline and the API can never disagree.

Not simulated: anything the domain does not record (a download's duration, its size, the operator who asked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

ATTEMPTS = ("scheduled", "manual")
"""Event kinds that are download attempts (each with an outcome); the others are marks without one."""
EVENT_KINDS = (*ATTEMPTS, "request", "planned", "generation")
"""scheduled / manual: an attempt that ran (ok or failed, with the reason); request: a manual download asked for;
planned: the next attempt the rules have placed (after now); generation: from then on, the unit or card is of
that tachograph generation."""
DEFAULT_PAST_DAYS = 90
DEFAULT_FUTURE_DAYS = 30
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    kind: str  # one of EVENT_KINDS
    ok: bool | None = None  # attempts only
    detail: str | None = None  # a failure's reason, a planned attempt's trigger, a generation's name


@dataclass(frozen=True)
class SubjectTimeline:
    """The events of one subject from `start` (inclusive) to `end` (exclusive), oldest first."""

    kind: str
    key: str
    account: str
    now: datetime
    start: datetime
    end: datetime
    events: tuple[Event, ...]

    @property
    def attempts(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind in ATTEMPTS)


# (the simulator, account name, subject key, now) -> every event of the subject, any order; None: no such subject
Source = Callable[[Any, str, str, datetime], "list[Event] | None"]
_SOURCES: dict[str, Source] = {}


class UnknownSubject(LookupError):
    """No such kind, account or subject."""


def register(kind: str, source: Source) -> Source:
    """Make `kind` (e.g. "vehicle") answerable from `source`; registering a kind twice replaces its source."""
    _SOURCES[kind] = source
    return source


def kinds() -> tuple[str, ...]:
    return tuple(sorted(_SOURCES))


def window(now: datetime, first: date | None, last: date | None) -> tuple[datetime, datetime]:
    """The instants [start, end) of the days `first`..`last` (defaults around `now`). ValueError when the range is
    backwards or longer than MAX_SPAN_DAYS."""
    first = first or now.date() - timedelta(days=DEFAULT_PAST_DAYS)
    last = last or now.date() + timedelta(days=DEFAULT_FUTURE_DAYS)
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    if (last - first).days > MAX_SPAN_DAYS:
        raise ValueError(f"the range spans more than {MAX_SPAN_DAYS} days")
    start = datetime.combine(first, time(0), tzinfo=UTC)
    return start, datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)


def timeline(sim: Any, kind: str, account: str, key: str, start: datetime, end: datetime) -> SubjectTimeline:
    """The subject's events in [start, end) as its API's source lists them, in time order (equal instants keep the
    source's order). Raises UnknownSubject."""
    source = _SOURCES.get(kind)
    if source is None:
        raise UnknownSubject(f"no timeline of kind {kind!r} (known: {', '.join(kinds()) or 'none'})")
    now = sim.clock.now()
    events = source(sim, account, key, now)
    if events is None:
        raise UnknownSubject(f"account {account!r} has no {kind} {key!r}")
    shown = sorted((e for e in events if start <= e.at < end), key=lambda e: e.at)
    return SubjectTimeline(kind, key, account, now, start, end, tuple(shown))


def to_json(line: SubjectTimeline) -> dict[str, Any]:
    def event(e: Event) -> dict[str, Any]:
        body: dict[str, Any] = {"at": _iso(e.at), "kind": e.kind}
        if e.ok is not None:
            body["ok"] = e.ok
        if e.detail is not None:
            body["detail"] = e.detail
        return body

    return {
        "kind": line.kind,
        "key": line.key,
        "account": line.account,
        "now": _iso(line.now),
        "from": line.start.date().isoformat(),
        "to": (line.end - timedelta(days=1)).date().isoformat(),
        "events": [event(e) for e in line.events],
    }


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
