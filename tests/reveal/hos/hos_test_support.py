"""Helpers for the hours-of-service tests: the public vectors, option mapping, a log builder, and a plain
forward reference of hos-rules.md section 2 to check the engine's backward walk against."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from mockserver.reveal.hos import (
    CarrierType,
    DutyClass,
    DutyEvent,
    DutyStatus,
    HosOptions,
    SubStatus,
    parse_log,
    parse_utc,
)

VECTORS_PATH = Path(__file__).parent / "data" / "hos-vectors-public.json"
BASE = datetime(2024, 6, 3, tzinfo=UTC)


@dataclass(frozen=True)
class Vector:
    id: str
    events: list[DutyEvent]
    raw_events: list[list[Any]]
    query: datetime
    query_text: str
    options: HosOptions
    raw_options: dict[str, Any]
    expected: dict[str, int | None]


def options_from_vector(raw: dict[str, Any]) -> HosOptions:
    return HosOptions(
        cycle_days=raw.get("ruleCycleDays", 8),
        adverse=raw.get("adverseDrivingConditions", False),
        short_haul=raw.get("shortHaulException", False),
        carrier=CarrierType(raw.get("carrierType", "property")),
    )


def load_vectors() -> list[Vector]:
    return [
        Vector(
            id=item["id"],
            events=parse_log(item["events"]),
            raw_events=item["events"],
            query=parse_utc(item["queryUtc"]),
            query_text=item["queryUtc"],
            options=options_from_vector(item.get("options", {})),
            raw_options=item.get("options", {}),
            expected=item["expectedMinutes"],
        )
        for item in json.loads(VECTORS_PATH.read_text())
    ]


def cli_flags(raw_options: dict[str, Any]) -> list[str]:
    flags = ["--cycle-days", str(raw_options.get("ruleCycleDays", 8))]
    if raw_options.get("adverseDrivingConditions"):
        flags.append("--adverse")
    if raw_options.get("shortHaulException"):
        flags.append("--short-haul")
    if raw_options.get("carrierType") == "passenger":
        flags.append("--passenger")
    return flags


OFF = DutyStatus.OFF_DUTY
SB = DutyStatus.SLEEPER_BERTH
D = DutyStatus.ON_DUTY_DRIVING
ON = DutyStatus.ON_DUTY_NOT_DRIVING


def timeline(
    *periods: tuple[DutyStatus, float] | tuple[DutyStatus, float, SubStatus], start: datetime = BASE
) -> list[DutyEvent]:
    """Events for consecutive periods given as (status, hours[, sub-status]); the last one stays open."""
    events: list[DutyEvent] = []
    at = start
    for period in periods:
        status, length = period[0], period[1]
        sub_status = period[2] if len(period) == 3 else None
        events.append(DutyEvent(at, status, sub_status))
        at += timedelta(hours=length)
    return events


# A plain forward reading of hos-rules.md section 2, independent of the engine's backward walk.

_H = 3600
_NEG_INF = -(10**15)


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    sb_run: int

    @property
    def dur(self) -> int:
        return self.end - self.start


def reference_clocks_seconds(
    events: list[DutyEvent], at: datetime, options: HosOptions
) -> dict[str, int | None]:
    """hos-rules.md 2.1-2.8 read literally, forward over the whole log, in seconds (not clamped to
    minutes)."""
    t = int(at.timestamp())
    by_time: dict[int, DutyClass] = {}
    for event in sorted(events, key=lambda e: e.at):
        by_time[int(event.at.timestamp())] = event.duty_class
    times = sorted(k for k in by_time if k <= t)
    segs = [(_NEG_INF, times[0] if times else t, DutyClass.OFF)]
    segs += [(s, times[i + 1] if i + 1 < len(times) else t, by_time[s]) for i, s in enumerate(times)]
    rest = {DutyClass.OFF, DutyClass.SB}

    blocks: list[_Block] = []
    i = 0
    while i < len(segs):
        if segs[i][2] in rest:
            j, run, best = i, 0, 0
            while j < len(segs) and segs[j][2] in rest:
                run = run + segs[j][1] - segs[j][0] if segs[j][2] == DutyClass.SB else 0
                best = max(best, run)
                j += 1
            blocks.append(_Block(segs[i][0], segs[j - 1][1], best))
            i = j
        else:
            i += 1

    passenger = options.carrier is CarrierType.PASSENGER
    extra = 2 * _H if options.adverse else 0
    drive_limit = (10 if passenger else 11) * _H + extra
    duty_limit = (15 if passenger else 14) * _H + extra
    reset_len = (8 if passenger else 10) * _H
    r = [b for b in blocks if b.dur >= reset_len][-1]
    point, excluded = r.end, 0
    if not passenger:
        q = [r] + [b for b in blocks if b.start >= r.end and b.dur >= 2 * _H]
        for j in range(len(q) - 1, 0, -1):
            if max(q[j - 1].sb_run, q[j].sb_run) >= 7 * _H and q[j - 1].dur + q[j].dur >= 10 * _H:
                point, excluded = q[j - 1].end, q[j].dur
                break

    def work(lo: int, driving_only: bool) -> int:
        return sum(
            max(0, e - max(s, lo))
            for s, e, c in segs
            if (c == DutyClass.D or (not driving_only and c == DutyClass.ON))
        )

    drive_used = work(point, True)
    duty_used = work(point, False) if passenger else t - point - excluded

    break_left: int | None = None
    if not passenger and not options.short_haul:
        runs: list[tuple[int, int]] = []
        for s, e, c in segs:
            if c != DutyClass.D and runs and runs[-1][1] == s:
                runs[-1] = (runs[-1][0], e)
            elif c != DutyClass.D:
                runs.append((s, e))
        last = [run for run in runs if run[1] - run[0] >= 30 * 60][-1]
        break_left = max(0, 8 * _H - work(last[1], True))

    day = 24 * _H
    offset = int(options.day_start.total_seconds())
    day0 = (t - offset) // day * day + offset
    lo = day0 - (options.cycle_days - 1) * day
    if not passenger:
        restarts = [b for b in blocks if b.dur >= 34 * _H]
        if restarts:
            lo = max(lo, restarts[-1].end)
    cycle_limit = (60 if options.cycle_days == 7 else 70) * _H
    return {
        "driveLeft": max(0, drive_limit - drive_used),
        "windowLeft": max(0, duty_limit - duty_used),
        "breakLeft": break_left,
        "cycleLeft": max(0, cycle_limit - work(lo, False)),
    }
