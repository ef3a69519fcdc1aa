"""What a generated duty-status period carries besides its status: the fields of Reveal's status record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.reveal.hos import DutyEvent


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One duty-status period of a generated log.

    `ends_at` is the planned start of the next period; it may lie after the instant the log was generated up
    to, so the API must not show it. `distance_km` covers the whole period up to `ends_at` (driving, yard
    moves and personal conveyance move the vehicle; other periods do not); use `distance_until` for a period
    in progress. `vehicle_number` is None while the driver is off duty away from the vehicle. `violation`
    names the limit a deliberately non-compliant driving period breaks (for QA and tests; the API does not
    show it)."""

    event: DutyEvent
    ends_at: datetime
    distance_km: float
    vehicle_number: str | None
    trailer_numbers: tuple[str, ...] = ()
    shipping_references: tuple[str, ...] = ()
    remark: str | None = None
    violation: str | None = None

    def distance_until(self, at: datetime) -> float:
        """Distance covered from the start of the period to `at`, pro rata within the period."""
        total = self.ends_at - self.event.at
        elapsed = min(max(at - self.event.at, total * 0), total)
        return round(self.distance_km * (elapsed / total), 1) if total else 0.0


@dataclass(frozen=True, slots=True)
class PlannedPeriod:
    """A period before its end is known: a LogEntry without `ends_at`."""

    event: DutyEvent
    distance_km: float
    vehicle_number: str | None
    trailer_numbers: tuple[str, ...]
    shipping_references: tuple[str, ...]
    remark: str | None
    violation: str | None

    def ending_at(self, ends_at: datetime) -> LogEntry:
        return LogEntry(
            event=self.event,
            ends_at=ends_at,
            distance_km=self.distance_km,
            vehicle_number=self.vehicle_number,
            trailer_numbers=self.trailer_numbers,
            shipping_references=self.shipping_references,
            remark=self.remark,
            violation=self.violation,
        )
