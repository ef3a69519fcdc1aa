"""Reveal's status history (as `GET .../statushistory` answers it) turned into one day of the ELD grid.

Only public answers are used: each record's `TimeRemainingSinceLastStatus` says the driving and on-duty (window)
minutes left when the status began, so a driving period is a violation from the minute the smaller runs out.
Not simulated: break and cycle violations (the history carries no such minutes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from mockserver.charts import HosDay, HosSegment, HosViolation


def _instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _violation(record: Mapping[str, Any], begin: int, end: int) -> HosViolation | None:
    left = record.get("TimeRemainingSinceLastStatus") or {}
    candidates = [
        (left.get("DailyDrivingMinutes"), "11-hour driving"),
        (left.get("DailyOnDutyMinutes"), "14-hour window"),
    ]
    known = [(int(m), rule) for m, rule in candidates if isinstance(m, int)]
    if not known:
        return None
    minutes, rule = min(known, key=lambda pair: pair[0])
    return HosViolation(begin + max(minutes, 0), end, rule) if begin + max(minutes, 0) < end else None


def eld_day(
    day: date, history: Sequence[Mapping[str, Any]], until: datetime | None, clocks: Mapping[str, int | None]
) -> HosDay:
    """The grid of `day` from the records (oldest first); the last status lasts until `until` or the day's end.
    Raises ValueError for a timestamp that is not ISO 8601."""
    start = datetime.combine(day, time(0), tzinfo=UTC)
    stop = min(start + timedelta(days=1), until or start + timedelta(days=1))
    records = sorted(history, key=lambda r: _instant(str(r["StatusDateTimeUTC"])))
    segments: list[HosSegment] = []
    violations: list[HosViolation] = []
    for index, record in enumerate(records):
        at = _instant(str(record["StatusDateTimeUTC"]))
        following = _instant(str(records[index + 1]["StatusDateTimeUTC"])) if index + 1 < len(records) else stop
        begin, finish = max(at, start), min(following, stop)
        if finish <= begin:
            continue
        first, last = int((begin - start).total_seconds() // 60), int((finish - start).total_seconds() // 60)
        segments.append(HosSegment(first, last, str(record["Status"]), record.get("SubStatus") or None))
        flagged = _violation(record, int((at - start).total_seconds() // 60), last)
        if record["Status"] == "OnDutyDriving" and flagged is not None:
            violations.append(HosViolation(max(flagged.start, first), flagged.end, flagged.rule))
    label = "now" if clocks else ""
    return HosDay(day, tuple(segments), tuple(violations), dict(clocks), label)
