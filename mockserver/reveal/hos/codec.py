"""Reading duty logs in the JSON format of hos-vectors-public.json: a list of `[timestampUtc, status]` or
`[timestampUtc, status, subStatus]`.

Lenient where it costs nothing: a timestamp without an offset is UTC, a sub-status may be given without its
status prefix (`PersonalUse` for `OffDutyPersonalUse`) or as null, and the ELD abbreviations OFF, SB, D and ON
are accepted for the status.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mockserver.reveal.hos.models import DutyEvent, DutyStatus, SubStatus

_STATUS_ALIASES: dict[str, DutyStatus] = {
    "OFF": DutyStatus.OFF_DUTY,
    "SB": DutyStatus.SLEEPER_BERTH,
    "D": DutyStatus.ON_DUTY_DRIVING,
    "ON": DutyStatus.ON_DUTY_NOT_DRIVING,
}


class LogFormatError(ValueError):
    """The log or a timestamp is not in the expected format; the message says where."""


def parse_utc(text: object) -> datetime:
    """An ISO 8601 instant; `Z`, an offset or no offset (UTC)."""
    if not isinstance(text, str):
        raise LogFormatError(f"expected an ISO 8601 timestamp string, got {text!r}")
    try:
        parsed = datetime.fromisoformat(text.strip())
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except ValueError:
        raise LogFormatError(f"not an ISO 8601 timestamp: {text!r}") from None
    except OverflowError:
        raise LogFormatError(f"timestamp out of range: {text!r}") from None


def parse_status(text: object) -> DutyStatus:
    if isinstance(text, str):
        if text in _STATUS_ALIASES:
            return _STATUS_ALIASES[text]
        try:
            return DutyStatus(text)
        except ValueError:
            pass
    known = ", ".join(status.value for status in DutyStatus)
    raise LogFormatError(f"unknown duty status {text!r} (expected one of {known})")


def parse_sub_status(text: object, status: DutyStatus) -> SubStatus | None:
    if text is None:
        return None
    if isinstance(text, str):
        for candidate in (text, status.value + text):
            try:
                sub_status = SubStatus(candidate)
            except ValueError:
                continue
            if sub_status.status is not status:
                raise LogFormatError(f"sub-status {text!r} does not belong to status {status.value}")
            return sub_status
    raise LogFormatError(f"unknown sub-status {text!r} for status {status.value}")


def parse_event(entry: object, position: int) -> DutyEvent:
    if not isinstance(entry, list | tuple) or len(entry) not in (2, 3):
        raise LogFormatError(
            f"event {position}: expected [timestampUtc, status] or [timestampUtc, status, subStatus],"
            f" got {entry!r}"
        )
    try:
        status = parse_status(entry[1])
        sub_status = parse_sub_status(entry[2], status) if len(entry) == 3 else None
        return DutyEvent(at=parse_utc(entry[0]), status=status, sub_status=sub_status)
    except LogFormatError as exc:
        raise LogFormatError(f"event {position}: {exc}") from None


def parse_log(data: object) -> list[DutyEvent]:
    """Events from decoded JSON, in the order given (the engine sorts them)."""
    if not isinstance(data, list):
        raise LogFormatError(f"a duty log is a JSON list of events, got {type(data).__name__}")
    return [parse_event(entry, position) for position, entry in enumerate(data)]


def format_utc(at: datetime) -> str:
    """The vector format's timestamp: `2024-06-03T06:00:00Z` (fractions of a second kept when present)."""
    text = at.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def dump_log(events: list[DutyEvent]) -> list[list[str]]:
    """The inverse of `parse_log`."""
    return [
        [format_utc(event.at), event.status.value]
        + ([event.sub_status.value] if event.sub_status is not None else [])
        for event in events
    ]
