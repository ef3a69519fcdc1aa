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
EVENT_KINDS = (*ATTEMPTS, "request", "planned", "generation", "status", "note")
"""scheduled / manual: an attempt that ran (ok or failed, with the reason); request: a manual download asked for;
planned: the next attempt the rules have placed (after now); generation: from then on, the unit or card is of
that tachograph generation; status: from then on, the subject is in that status (ok: it can do its job, False: it
cannot, None: not yet); note: a fact true from then on (e.g. a company card's first use in an RDL)."""
STATES = ("status",)
"""Kinds that hold until the next event of their kind: the one in force when a window starts is kept in it."""
DEFAULT_KINDS = (*ATTEMPTS, "request", "planned", "generation")
DEFAULT_PAST_DAYS = 90
DEFAULT_FUTURE_DAYS = 30
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    kind: str  # one of EVENT_KINDS
    ok: bool | None = None  # attempts and statuses
    detail: str | None = None  # a failure's reason, a planned attempt's trigger, a generation's or status's name
    related: str | None = None  # the other subject the event is about (a company card's attempt: the vehicle's VIN)


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
    lanes: tuple[str, ...] = DEFAULT_KINDS  # the kinds of event this kind of subject has, in drawing order

    @property
    def attempts(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind in ATTEMPTS)


# (the simulator, account name, subject key, now) -> every event of the subject, any order; None: no such subject
Source = Callable[[Any, str, str, datetime], "list[Event] | None"]
_SOURCES: dict[str, tuple[Source, tuple[str, ...]]] = {}


class UnknownSubject(LookupError):
    """No such kind, account or subject."""


def register(kind: str, source: Source, lanes: tuple[str, ...] = DEFAULT_KINDS) -> Source:
    """Make `kind` (e.g. "vehicle") answerable from `source`, whose events are of the kinds `lanes`; registering a
    kind twice replaces its source."""
    unknown = set(lanes) - set(EVENT_KINDS)
    if unknown:
        raise ValueError(f"unknown event kinds {sorted(unknown)}")
    _SOURCES[kind] = (source, lanes)
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
    registered = _SOURCES.get(kind)
    if registered is None:
        raise UnknownSubject(f"no timeline of kind {kind!r} (known: {', '.join(kinds()) or 'none'})")
    source, lanes = registered
    now = sim.clock.now()
    events = source(sim, account, key, now)
    if events is None:
        raise UnknownSubject(f"account {account!r} has no {kind} {key!r}")
    ordered = sorted(events, key=lambda e: e.at)
    in_force = {e.kind: e for e in ordered if e.kind in STATES and e.at < start}  # the last of each before start
    shown = [*in_force.values(), *(e for e in ordered if start <= e.at < end)]
    return SubjectTimeline(kind, key, account, now, start, end, tuple(sorted(shown, key=lambda e: e.at)), lanes)


def to_json(line: SubjectTimeline) -> dict[str, Any]:
    def event(e: Event) -> dict[str, Any]:
        body: dict[str, Any] = {"at": _iso(e.at), "kind": e.kind}
        if e.ok is not None:
            body["ok"] = e.ok
        if e.detail is not None:
            body["detail"] = e.detail
        if e.related is not None:
            body["related"] = e.related
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
