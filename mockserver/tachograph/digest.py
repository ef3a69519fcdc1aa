"""The short report `fleetmock ddd inspect` prints by default: files, days, drivers and totals, not every day.

A driver ZIP holds one file per download, each with all the card's days at that moment, so the same day appears in
many members: totals count each day once, from the newest member that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

from mockserver.tachograph.inspect import DaySummary, FileSummary


def _hours(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


def _distinct_days(summaries: Sequence[FileSummary]) -> dict[str, DaySummary]:
    days: dict[str, DaySummary] = {}
    for summary in summaries:  # later members are newer downloads: they win
        days.update((d.day, d) for d in summary.days)
    return dict(sorted(days.items()))


def _people(summaries: Sequence[FileSummary]) -> list[str]:
    found: dict[str, str] = {}
    for summary in summaries:
        if "cardNumber" in summary.identity:
            found[summary.identity["cardNumber"]] = summary.identity.get("holder", "")
        if "vin" in summary.identity:
            found[summary.identity["vin"]] = summary.identity.get("plate", "")
    return [f"{key} ({label})" if label else key for key, label in found.items()]


def digest(summaries: Sequence[FileSummary]) -> str:
    """Files (one line each), the span of days, drivers or vehicles, and activity totals over distinct days."""
    lines = [f"{len(summaries)} file(s):"]
    lines += [f"  {s.name}: {s.kind}, {s.generation}, {s.size} bytes, {len(s.days)} days" for s in summaries]
    days = _distinct_days(summaries)
    span = f" ({next(iter(days))} to {next(reversed(days))})" if days else ""
    lines.append(f"days: {len(days)}{span}")
    lines.append("who: " + (", ".join(_people(summaries)) or "nobody"))
    totals: dict[str, int] = {}
    for day in days.values():
        for activity, minutes in day.minutes.items():
            totals[activity] = totals.get(activity, 0) + minutes
    changes = sum(d.changes for d in days.values())
    lines.append(f"totals: {changes} activity changes; " + ", ".join(f"{k} {_hours(v)}" for k, v in totals.items()))
    lines.append("(--full prints every day, --json everything as JSON)")
    return "\n".join(lines)
