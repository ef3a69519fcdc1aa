"""The console's ELD grid (`POST /_sim/console/charts/eld`), served by Reveal (`ApiPlugin.serves`): the statuses
`GET /reveal/logbook/v1/driver/{n}/statushistory` answered, put back into a duty log and run through the same HOS
engine that answers `remainingtime`, so the grid shows the four clocks at any instant and every violation where
it happens.

Reveal's `remainingtime` answers only for now; the console asks statushistory for the days before the instant (the
rules look back at most to the last daily reset and over the 7/8-day cycle) and this route computes the clocks at
the instant from them. At now they are what `remainingtime` says, and at the start of each status what that record's
`TimeRemainingSinceLastStatus` says (tests/console and tests/browser check both).
Not simulated: statuses older than the history the browser sends (the engine takes the driver as rested before
them, as it does before any log): a driver with no 10-hour rest in the 9 days before the instant is shown rested.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from starlette.responses import Response

from mockserver.charts import render_hos_day
from mockserver.errors import BadRequest
from mockserver.http import json_response
from mockserver.reveal.hos import CarrierType, DutyEvent, HosOptions, LogFormatError, duty_day, parse_utc
from mockserver.reveal.hos.codec import format_utc, parse_event
from mockserver.reveal.logbook import SCRIPTED_BY


def history_events(history: Sequence[Mapping[str, Any]]) -> list[DutyEvent]:
    """The duty events of statushistory records, oldest first, each instant once (consecutive windows repeat the
    status in effect where the next one starts). Raises LogFormatError naming the record that is not a status."""
    events: dict[datetime, DutyEvent] = {}
    for position, record in enumerate(history):
        entry = [record.get("StatusDateTimeUTC"), record.get("Status"), record.get("SubStatus")]
        try:
            event = parse_event(entry, position)
        except LogFormatError as exc:
            raise LogFormatError(f"history[{position}]: {str(exc).partition(': ')[2]}") from None
        events[event.at] = event
    return sorted(events.values(), key=lambda event: event.at)


def driver_options(driver: Mapping[str, Any], history: Sequence[Mapping[str, Any]]) -> HosOptions:
    """The rules of the driver as `GET /_sim/world` lists it (`revealDrivers`): cycle, carrier, short haul, and the
    home terminal's day start, which a scripted log (its records say so in `ModifiedBy`) has at 00:00 UTC, as the
    LogBook counts it."""
    scripted = any(record.get("ModifiedBy") == SCRIPTED_BY for record in history)
    offset = timedelta(hours=0 if scripted else float(driver.get("homeUtcOffsetHours", 0)))
    return HosOptions(
        cycle_days=int(driver.get("ruleCycle", 8)),
        short_haul=bool(driver.get("shortHaul", False)),
        carrier=CarrierType(driver.get("carrier", CarrierType.PROPERTY.value)),
        day_start=(-offset) % timedelta(days=1),
    )


def _instant(body: Mapping[str, Any], key: str) -> datetime | None:
    value = body.get(key)
    if value is None:
        return None
    try:
        return parse_utc(value)
    except LogFormatError as exc:
        raise BadRequest(f"A request parameter is missing or is not properly specified: {key}: {exc}") from None


async def chart_eld_day(body: dict[str, Any]) -> Response:
    """The grid of `day` up to `until` (now), the clocks at `at` (default: where the drawing stops), and every
    violation where it happens."""
    try:
        day = date.fromisoformat(str(body["day"]))
        events = history_events(body["history"])
        options = driver_options(body.get("driver") or {}, body["history"])
    except (ValueError, TypeError) as exc:
        raise BadRequest(f"A request parameter is missing or is not properly specified: {exc}") from None
    until, at = _instant(body, "until"), _instant(body, "at")
    grid = duty_day(events, day, options, at, until)
    violations = [{"rule": v.rule, "start": v.start, "end": v.end} for v in grid.violations]
    instant = at or grid_end(day, until)
    return json_response(
        {
            "day": day.isoformat(),
            "at": format_utc(instant),
            "svg": render_hos_day(grid),
            "segments": len(grid.segments),
            "violations": violations,
            "clocks": dict(grid.clocks),
        }
    )


def grid_end(day: date, until: datetime | None) -> datetime:
    """Where the drawing stops: the day's end, or `until` when sooner (duty_day's default instant)."""
    end = parse_utc(f"{(day + timedelta(days=1)).isoformat()}T00:00:00Z")
    return end if until is None else min(end, until)
