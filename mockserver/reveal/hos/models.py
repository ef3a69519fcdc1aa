"""Domain objects of the hours-of-service engine: duty statuses, sub-statuses, events, options and clocks.

Status and sub-status names are Reveal's (`OnDutyDriving`, `OffDuty30MinBreak`, ...). A sub-status never
changes how a period counts (hos-rules.md 2.1): personal use stays off duty and a yard move stays on duty
not driving.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


class DutyClass(enum.IntEnum):
    """How a period counts for the rules: OFF and SB are rest, ON and D are work, only D is driving."""

    OFF = 0
    SB = 1
    ON = 2
    D = 3


class DutyStatus(enum.StrEnum):
    """Reveal's four duty statuses (§ 395.8(b))."""

    OFF_DUTY = "OffDuty"
    SLEEPER_BERTH = "SleeperBerth"
    ON_DUTY_DRIVING = "OnDutyDriving"
    ON_DUTY_NOT_DRIVING = "OnDutyNotDriving"

    @property
    def duty_class(self) -> DutyClass:
        return _CLASS_OF_STATUS[self]


_CLASS_OF_STATUS: dict[DutyStatus, DutyClass] = {
    DutyStatus.OFF_DUTY: DutyClass.OFF,
    DutyStatus.SLEEPER_BERTH: DutyClass.SB,
    DutyStatus.ON_DUTY_DRIVING: DutyClass.D,
    DutyStatus.ON_DUTY_NOT_DRIVING: DutyClass.ON,
}


class SubStatus(enum.StrEnum):
    """Reveal's sub-statuses, spelled as the status name followed by the sub-status (api-context.md)."""

    ON_DUTY_NOT_DRIVING_UNLOADING = "OnDutyNotDrivingUnloading"
    ON_DUTY_NOT_DRIVING_LOADING = "OnDutyNotDrivingLoading"
    ON_DUTY_NOT_DRIVING_INSPECTION = "OnDutyNotDrivingInspection"
    ON_DUTY_NOT_DRIVING_FUELING = "OnDutyNotDrivingFueling"
    ON_DUTY_NOT_DRIVING_YARD_MOVE = "OnDutyNotDrivingYardMove"
    OFF_DUTY_SPLIT_BREAK = "OffDutySplitBreak"
    OFF_DUTY_30_MIN_BREAK = "OffDuty30MinBreak"
    OFF_DUTY_DAILY_RESET = "OffDutyDailyReset"
    OFF_DUTY_PERSONAL_USE = "OffDutyPersonalUse"
    SLEEPER_BERTH_SPLIT_BREAK = "SleeperBerthSplitBreak"
    SLEEPER_BERTH_30_MIN_BREAK = "SleeperBerth30MinBreak"
    SLEEPER_BERTH_DAILY_RESET = "SleeperBerthDailyReset"

    @property
    def status(self) -> DutyStatus:
        """The duty status this sub-status belongs to."""
        for status in DutyStatus:
            if self.value.startswith(status.value):
                return status
        raise AssertionError(f"sub-status {self.value} has no parent status")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class DutyEvent:
    """A change of duty status at `at` (timezone-aware); the status lasts until the next event."""

    at: datetime
    status: DutyStatus
    sub_status: SubStatus | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("DutyEvent.at must be timezone-aware")
        if self.sub_status is not None and self.sub_status.status is not self.status:
            raise ValueError(
                f"sub-status {self.sub_status.value} does not belong to status {self.status.value}"
            )

    @property
    def duty_class(self) -> DutyClass:
        return self.status.duty_class


class CarrierType(enum.StrEnum):
    PROPERTY = "property"
    PASSENGER = "passenger"


@dataclass(frozen=True, slots=True)
class HosOptions:
    """What the rules need beyond the log.

    `day_start` is the home terminal's day start as an offset from 00:00 UTC (hos-rules.md 2.1, **Convention**
    default 00:00 UTC); the 7/8-day cycle is made of whole such days. `adverse` applies to the current shift.
    Not simulated: a per-shift history of adverse conditions (the flag extends whichever shift is current) and
    "only as much as needed" (the full 2 hours are granted).
    """

    cycle_days: int = 8
    adverse: bool = False
    short_haul: bool = False
    carrier: CarrierType = CarrierType.PROPERTY
    day_start: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.cycle_days not in (7, 8):
            raise ValueError("cycle_days must be 7 or 8")
        if not timedelta(0) <= self.day_start < timedelta(days=1):
            raise ValueError("day_start must be within one day")


def _whole_minutes(value: timedelta) -> int:
    """Whole minutes, rounded down (**Convention**: a clock never shows a minute the driver does not have)."""
    return value // timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class ClockMinutes:
    """The four clocks in whole minutes, as `fleetmock hos clocks` prints them."""

    drive_left: int
    window_left: int
    break_left: int | None
    cycle_left: int

    def to_json(self) -> dict[str, int | None]:
        return {
            "driveLeft": self.drive_left,
            "windowLeft": self.window_left,
            "breakLeft": self.break_left,
            "cycleLeft": self.cycle_left,
        }


@dataclass(frozen=True, slots=True)
class HosClocks:
    """Time left at one instant; never negative.

    `window_left` is the 14-hour (16 adverse) elapsed window for property carriers and the 15-hour (17)
    on-duty allowance for passenger carriers. `break_left` is driving left before a 30-minute break is due, or
    None where the break rule does not apply (passenger carriers, short haul).
    """

    drive_left: timedelta
    window_left: timedelta
    break_left: timedelta | None
    cycle_left: timedelta

    @property
    def driving_left_for_today(self) -> timedelta:
        """Reveal's `DrivingLeftForToday` (api-context.md): the smaller of the driving and window clocks."""
        return min(self.drive_left, self.window_left)

    @property
    def driving_available(self) -> timedelta:
        """How long the driver may drive from now without breaking any limit, the 30-minute break included."""
        limits = [self.drive_left, self.window_left, self.cycle_left]
        if self.break_left is not None:
            limits.append(self.break_left)
        return min(limits)

    def minutes(self) -> ClockMinutes:
        return ClockMinutes(
            drive_left=_whole_minutes(self.drive_left),
            window_left=_whole_minutes(self.window_left),
            break_left=None if self.break_left is None else _whole_minutes(self.break_left),
            cycle_left=_whole_minutes(self.cycle_left),
        )


@dataclass(frozen=True, slots=True)
class ShiftUsage:
    """Driving and on-duty (ON + D) time since the last daily reset (Reveal's `TimeUsedSinceLastReset`)."""

    driving: timedelta
    on_duty: timedelta


@dataclass(frozen=True, slots=True)
class HosSnapshot:
    """Everything the LogBook API needs about a driver at `at`.

    `last_event` is the status in effect at `at` (None for an empty log) and `clocks_at_last_status` the
    clocks at the moment it began (Reveal's `TimeRemainingSinceLastStatus` / `HoursRemainingSinceLastStatus`).
    """

    at: datetime
    clocks: HosClocks
    usage_since_reset: ShiftUsage
    last_event: DutyEvent | None
    clocks_at_last_status: HosClocks


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
