"""The LogBook service: a driver's current status, 24-hour history and remaining time, from the HOS engine.

Plain Python, free of HTTP: it raises the Reveal domain errors and returns frozen views that
`mockserver.reveal.views` turns into JSON or XML.

Conventions (reference/api-context.md), all evaluated at the simulated instant of the request:
- `TimeRemainingSinceLastStatus` / `HoursRemainingSinceLastStatus`: `DailyDrivingMinutes` = min(driving left,
  window left) and `DailyOnDutyMinutes` = window left, as they stood when the status began.
- `TimeUsedSinceLastReset`: driving and on-duty (on duty + driving) minutes since the last daily reset.
- `DrivingLeftForToday` = min(driving left, window left) and `CycleTimeLeft`, in hours; every clock is in whole
  minutes rounded down, so they agree with `fleetmock hos clocks` on the same log.
- A status-history record is the status as statuscurrent would have shown it at the period's end (or now, for
  the period in progress); the history lists the status in effect at `startDateTimeUtc` and every status that
  began in the 24 hours from it, up to now, oldest first.
- `UpdateDatetTimeUTC` (when Reveal received the status) trails the status by a seeded 0.5 to 90 seconds, never
  later than now. `ModifiedBy` is the driver (generated logs) or the control plane (scripted logs).

Not simulated: edits of past statuses by an administrator, unidentified driving, ELD malfunction and data
diagnostic events, and the LogBook settings behind the `logbooksettings` link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mockserver.memo import Memo
from mockserver.reveal.addresses import Address, stop_address
from mockserver.reveal.errors import DriverNotFound, OutsideDataPlan, RevealBadRequest
from mockserver.reveal.gateway import RevealPrincipal
from mockserver.reveal.hos import DutyEvent, DutyLog, DutyStatus, HosClocks, HosOptions, compute_clocks, hos_snapshot
from mockserver.reveal.models import RevealAccount, RevealDriver, RevealVehicle, reveal_of
from mockserver.reveal.state import RevealState
from mockserver.reveal.timeline import (
    HISTORY_MONTHS,
    ScriptedPeriod,
    ScriptedTimeline,
    Slice,
    Timeline,
    generated_timeline,
    months_before,
)
from mockserver.world.models import Account

HISTORY_SPAN = timedelta(hours=24)
SCRIPTED_BY = "fleetmock control plane (scripted log)"
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class DailyMinutes:
    driving: int
    on_duty: int


@dataclass(frozen=True, slots=True)
class DriverView:
    driver: RevealDriver
    vehicle: RevealVehicle | None  # None: no vehicle assigned (or none used, in a history record)


@dataclass(frozen=True, slots=True)
class StatusRecord:
    who: DriverView
    status: DutyStatus
    sub_status: str | None
    started: datetime
    duration_seconds: int
    received: datetime
    distance_km: float
    trailer_numbers: tuple[str, ...]
    shipping_references: tuple[str, ...]
    remark: str | None
    address: Address | None
    modified_by: str
    remaining_at_status: DailyMinutes
    used_since_reset: DailyMinutes


@dataclass(frozen=True, slots=True)
class RemainingTime:
    who: DriverView
    rule_cycle: int
    driving_left_today: int  # minutes
    cycle_left: int  # minutes
    last_status: DutyStatus
    last_status_at: datetime
    remaining_at_status: DailyMinutes


def _minutes(value: timedelta) -> int:
    return value // _MINUTE


def _remaining(clocks: HosClocks) -> DailyMinutes:
    return DailyMinutes(_minutes(clocks.driving_left_for_today), _minutes(clocks.window_left))


def received_at(log_seed: int, event: DutyEvent, now: datetime) -> datetime:
    """When Reveal received a status change: a seeded 0.5 to 90 s after it, capped at `now`."""
    digest = hashlib.sha256(f"{log_seed}:received:{event.at.isoformat()}".encode()).digest()
    delay = timedelta(milliseconds=500 + int.from_bytes(digest[:4], "big") % 89_500)
    return max(event.at, min(event.at + delay, now))


class LogbookService:
    def __init__(
        self,
        accounts: Callable[[str], Account | None],
        world_start: Callable[[], datetime],
        now: Callable[[], datetime],
        state: Callable[[], RevealState],
        generation: Callable[[], int] = lambda: 0,
    ) -> None:
        self._accounts = accounts
        self._world_start = world_start
        self._now = now
        self._state = state
        self._generation = generation
        # key: the route's arguments (and the instant) plus the state's generation; a hit is exact because an answer
        # is a function of those alone (the world is fixed, and every write moves the generation).
        self._answers: Memo[tuple[Any, ...], Any] = Memo(1024, "Reveal answers")

    def _memo(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """An answer kept while the instant and the state stay the same (clients poll these routes)."""
        return self._answers.get_or_compute((*key, self._generation()), build)

    # -- access ----------------------------------------------------------------------------------------------
    def reveal_account(self, name: str) -> RevealAccount | None:
        account = self._accounts(name)
        return None if account is None else reveal_of(account)

    def _driver(self, principal: RevealPrincipal, driver_number: str) -> tuple[RevealAccount, RevealDriver]:
        reveal = self.reveal_account(principal.account)
        driver = None if reveal is None else reveal.driver(driver_number)
        if reveal is None or driver is None:
            raise DriverNotFound(driver_number)
        if not driver.in_data_plan:
            raise OutsideDataPlan(f"DriverNumber {driver_number}")
        return reveal, driver

    def timeline(self, account: str, driver: RevealDriver) -> Timeline:
        scripted = self._state().scripted.get((account, driver.driver_number))
        if scripted is not None:
            return ScriptedTimeline(scripted, driver)
        return generated_timeline(driver, self._world_start())

    # -- operations ------------------------------------------------------------------------------------------
    def status_current(self, principal: RevealPrincipal, driver_number: str) -> StatusRecord:
        reveal, driver = self._driver(principal, driver_number)
        now = self._now()
        record: StatusRecord = self._memo(
            ("current", principal.account, driver_number, now),
            lambda: self._status_current(principal, reveal, driver, now),
        )
        return record

    def _status_current(
        self, principal: RevealPrincipal, reveal: RevealAccount, driver: RevealDriver, now: datetime
    ) -> StatusRecord:
        timeline = self.timeline(principal.account, driver)
        current = timeline.current(now) or _rested_since(now)
        log = timeline.engine_log(now)
        who = DriverView(driver, reveal.vehicle(driver.vehicle_number))
        return self._record(who, timeline, log, current, now)

    def status_history(self, principal: RevealPrincipal, driver_number: str, start: datetime) -> list[StatusRecord]:
        reveal, driver = self._driver(principal, driver_number)
        now = self._now()
        earliest = months_before(now, HISTORY_MONTHS)
        if not earliest <= start <= now:
            raise RevealBadRequest(
                f"startDateTimeUtc must be within the last {HISTORY_MONTHS} months: between"
                f" {earliest:%Y-%m-%dT%H:%M:%S} and {now:%Y-%m-%dT%H:%M:%S} UTC."
            )
        timeline = self.timeline(principal.account, driver)
        log = timeline.engine_log(now)
        records = []
        for part in timeline.window(start, start + HISTORY_SPAN, now):
            who = DriverView(driver, reveal.vehicle(part.period.vehicle_number))
            records.append(self._record(who, timeline, log, part, now))
        return records

    def remaining_time(self, principal: RevealPrincipal, driver_number: str) -> RemainingTime:
        reveal, driver = self._driver(principal, driver_number)
        now = self._now()
        remaining: RemainingTime = self._memo(
            ("remaining", principal.account, driver_number, now),
            lambda: self._remaining_time(principal, reveal, driver, now),
        )
        return remaining

    def _remaining_time(
        self, principal: RevealPrincipal, reveal: RevealAccount, driver: RevealDriver, now: datetime
    ) -> RemainingTime:
        timeline = self.timeline(principal.account, driver)
        snapshot = hos_snapshot(timeline.engine_log(now), now, timeline.options)
        last = timeline.current(now) or _rested_since(now)
        return RemainingTime(
            who=DriverView(driver, reveal.vehicle(driver.vehicle_number)),
            rule_cycle=driver.rule_cycle,
            driving_left_today=_minutes(snapshot.clocks.driving_left_for_today),
            cycle_left=_minutes(snapshot.clocks.cycle_left),
            last_status=last.period.event.status,
            last_status_at=last.start,
            remaining_at_status=_remaining(snapshot.clocks_at_last_status),
        )

    # -- records ---------------------------------------------------------------------------------------------
    def _record(self, who: DriverView, timeline: Timeline, log: DutyLog, part: Slice, now: datetime) -> StatusRecord:
        """The status of `part` as statuscurrent shows it at the period's end (or now, while in progress)."""
        period = part.period
        event = period.event
        driver = who.driver
        options: HosOptions = timeline.options
        until = part.end or now
        at_start = compute_clocks(log, event.at, options)
        used = hos_snapshot(log, until, options).usage_since_reset
        return StatusRecord(
            who=who,
            status=event.status,
            sub_status=None if event.sub_status is None else event.sub_status.value,
            started=event.at,
            duration_seconds=int((until - event.at).total_seconds()),
            received=received_at(driver.log_seed, event, now),
            distance_km=period.distance_until(until),
            trailer_numbers=period.trailer_numbers,
            shipping_references=period.shipping_references,
            remark=period.remark,
            address=None if timeline.scripted else stop_address(driver.log_seed, event),
            modified_by=SCRIPTED_BY if timeline.scripted else driver.name,
            remaining_at_status=_remaining(at_start),
            used_since_reset=DailyMinutes(_minutes(used.driving), _minutes(used.on_duty)),
        )


def _rested_since(now: datetime) -> Slice:
    """Before a scripted log's first event the driver is off duty (the engine assumes rest before a log)."""
    return Slice(ScriptedPeriod(DutyEvent(now, DutyStatus.OFF_DUTY), None, None), None)
