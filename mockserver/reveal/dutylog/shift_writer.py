"""Writes one shift of a generated log: inspections, driving legs, stops, breaks, sleeper splits, the daily
rest.

Every driving leg is capped by what the hours-of-service clocks leave at its start (`HosClocks.
driving_available`), so a generated log is compliant by construction, except for a deliberate violation the
profile asks for, which is marked on its period.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from mockserver.reveal.dutylog.profiles import DriverProfile, Span
from mockserver.reveal.dutylog.records import PlannedPeriod
from mockserver.reveal.hos import (
    DutyEvent,
    DutyLog,
    DutyStatus,
    HosClocks,
    HosOptions,
    SubStatus,
    compute_clocks,
)

MIN_LEG = 15  # minutes; shorter legs are not worth starting
BREAK = Span(30, 40)
LONG_SPLIT = Span(7 * 60, 8 * 60)
SHORT_SPLIT = Span(2 * 60, 3 * 60)
WORK_STOPS = (
    SubStatus.ON_DUTY_NOT_DRIVING_LOADING,
    SubStatus.ON_DUTY_NOT_DRIVING_UNLOADING,
    SubStatus.ON_DUTY_NOT_DRIVING_FUELING,
)
REMARKS: dict[SubStatus, str] = {
    SubStatus.ON_DUTY_NOT_DRIVING_FUELING: "Fuel stop",
    SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE: "Yard move",
    SubStatus.OFF_DUTY_PERSONAL_USE: "Personal conveyance",
}


def draw(rng: random.Random, span: Span) -> int:
    return rng.randint(span.low, span.high)


def _minutes(value: timedelta) -> int:
    return value // timedelta(minutes=1)


def _binding_limit(clocks: HosClocks) -> str:
    """The name of the clock that runs out first, for labelling a deliberate violation."""
    limits = [
        (clocks.drive_left, "driving limit"),
        (clocks.window_left, "duty window"),
        (clocks.cycle_left, "cycle limit"),
    ]
    if clocks.break_left is not None:
        limits.append((clocks.break_left, "30-minute break"))
    return min(limits, key=lambda item: item[0])[1]


ELD_ONLY = frozenset({SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE, SubStatus.OFF_DUTY_PERSONAL_USE})
UNLABELLED_SHARE = 0.2  # rests a driver logs without choosing a sub-status ("No Sub Status")
_UNLABELLED_CANDIDATES = frozenset(
    {
        SubStatus.OFF_DUTY_30_MIN_BREAK,
        SubStatus.OFF_DUTY_DAILY_RESET,
        SubStatus.SLEEPER_BERTH_30_MIN_BREAK,
        SubStatus.SLEEPER_BERTH_DAILY_RESET,
    }
)


class SubStatusLabels:
    """The sub-status a driver actually picks in the LogBook app, from a random source of its own (so the plan of
    the shift, and with it the hours of service, never depends on it).

    Off duty and sleeper berth rests are sometimes logged with "No Sub Status" (null); a driver without an ELD
    cannot pick the "(ELD Only)" ones: a yard move is then plain on duty not driving, personal use plain off duty
    (both count the same for the hours of service)."""

    def __init__(self, rng: random.Random, *, eld: bool) -> None:
        self._rng = rng
        self._eld = eld

    def label(self, status: DutyStatus, sub_status: SubStatus | None) -> SubStatus | None:
        if sub_status in ELD_ONLY and not self._eld:
            return None
        if sub_status in _UNLABELLED_CANDIDATES and self._rng.random() < UNLABELLED_SHARE:
            return None
        return sub_status


class ShiftWriter:
    """Appends the periods of one shift, starting at `start`, through `append` (which also feeds `log`)."""

    def __init__(
        self,
        *,
        profile: DriverProfile,
        rng: random.Random,
        log: DutyLog,
        options: HosOptions,
        start: datetime,
        vehicle_number: str | None,
        append: Callable[[PlannedPeriod], None],
        labels: SubStatusLabels | None = None,
    ) -> None:
        self._profile = profile
        self._labels = labels
        self._rng = rng
        self._log = log
        self._options = options
        self._now = start
        self._vehicle = vehicle_number
        self._append = append
        self._violation_pending = rng.random() < profile.violation_chance
        self._trailers = (f"TR{rng.randint(10000, 99999)}",) if profile.has_trailer else ()
        self._references = tuple(str(rng.randint(10**7, 10**8 - 1)) for _ in range(rng.randint(1, 3)))

    # Primitives: one period each.

    def _add(
        self,
        status: DutyStatus,
        sub_status: SubStatus | None,
        minutes: int,
        *,
        km: float = 0.0,
        vehicle: bool = True,
        remark: str | None = None,
        violation: str | None = None,
    ) -> None:
        if minutes <= 0:
            return
        self._begin(status, sub_status, km=km, vehicle=vehicle, remark=remark, violation=violation)
        self._now += timedelta(minutes=minutes)

    def _begin(
        self,
        status: DutyStatus,
        sub_status: SubStatus | None,
        *,
        km: float = 0.0,
        vehicle: bool = True,
        remark: str | None = None,
        violation: str | None = None,
    ) -> None:
        """Start a period now; its end is the start of whatever comes next."""
        if self._labels is not None:
            sub_status = self._labels.label(status, sub_status)
        at_work = status in (DutyStatus.ON_DUTY_DRIVING, DutyStatus.ON_DUTY_NOT_DRIVING)
        self._append(
            PlannedPeriod(
                event=DutyEvent(self._now, status, sub_status),
                distance_km=round(km, 1),
                vehicle_number=self._vehicle if vehicle else None,
                trailer_numbers=self._trailers if at_work else (),
                shipping_references=self._references if at_work else (),
                remark=remark if remark is not None else (REMARKS.get(sub_status) if sub_status else None),
                violation=violation,
            )
        )

    def _clocks(self) -> HosClocks:
        return compute_clocks(self._log, self._now, self._options)

    def _drive(self, minutes: int, violation: str | None = None) -> None:
        speed = self._rng.uniform(self._profile.speed_kmh.low, self._profile.speed_kmh.high)
        self._add(DutyStatus.ON_DUTY_DRIVING, None, minutes, km=speed * minutes / 60, violation=violation)

    def _on_duty(self, sub_status: SubStatus, minutes: int, remark: str | None = None) -> None:
        """On-duty work, kept inside the duty window so that a shift ends on time (short haul needs it)."""
        minutes = min(minutes, _minutes(self._clocks().window_left))
        self._add(DutyStatus.ON_DUTY_NOT_DRIVING, sub_status, minutes, remark=remark)

    def _rest_status(self) -> DutyStatus:
        return DutyStatus.SLEEPER_BERTH if self._profile.sleeper else DutyStatus.OFF_DUTY

    def _thirty_minute_break(self) -> None:
        if self._rest_status() is DutyStatus.SLEEPER_BERTH and self._rng.random() < 0.3:
            self._add(DutyStatus.SLEEPER_BERTH, SubStatus.SLEEPER_BERTH_30_MIN_BREAK, draw(self._rng, BREAK))
        else:
            self._add(DutyStatus.OFF_DUTY, SubStatus.OFF_DUTY_30_MIN_BREAK, draw(self._rng, BREAK))

    # The shift.

    def write_shift(self) -> None:
        rng = self._rng
        profile = self._profile
        self._on_duty(SubStatus.ON_DUTY_NOT_DRIVING_INSPECTION, rng.randint(10, 20), "Pre-trip inspection")
        if rng.random() < profile.yard_move_chance:
            minutes = rng.randint(5, 15)
            self._add(
                DutyStatus.ON_DUTY_NOT_DRIVING,
                SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE,
                minutes,
                km=rng.uniform(0.2, 1.5),
            )
        target = draw(rng, profile.target_driving)
        if profile.sleeper and rng.random() < profile.split_chance:
            self._split_shift(target)
        else:
            self._drive_part(target)
        if self._violation_pending:
            self._drive_past_the_clocks()
        self._on_duty(SubStatus.ON_DUTY_NOT_DRIVING_INSPECTION, rng.randint(10, 15), "Post-trip inspection")
        self._daily_rest()

    def _split_shift(self, target: int) -> None:
        """Driving split by a 7-8 h sleeper-berth period and a 2-3 h rest (§ 395.1(g)(1)(ii)), in either
        order."""
        rng = self._rng
        first = rng.randint(target // 3, target // 2)
        long_first = rng.random() < 0.7
        self._drive_part(first)
        if long_first:
            self._sleeper_split(LONG_SPLIT, DutyStatus.SLEEPER_BERTH)
            self._drive_part(rng.randint(3 * 60, 6 * 60))
            self._sleeper_split(
                SHORT_SPLIT, self._rest_status() if rng.random() < 0.5 else DutyStatus.OFF_DUTY
            )
        else:
            self._sleeper_split(SHORT_SPLIT, DutyStatus.OFF_DUTY)
            self._drive_part(rng.randint(2 * 60, 4 * 60))
            self._sleeper_split(LONG_SPLIT, DutyStatus.SLEEPER_BERTH)
        self._drive_part(rng.randint(2 * 60, 5 * 60))

    def _sleeper_split(self, span: Span, status: DutyStatus) -> None:
        sub_status = (
            SubStatus.SLEEPER_BERTH_SPLIT_BREAK
            if status is DutyStatus.SLEEPER_BERTH
            else SubStatus.OFF_DUTY_SPLIT_BREAK
        )
        self._add(status, sub_status, draw(self._rng, span), remark="Sleeper-berth split")

    def _drive_part(self, target: int) -> None:
        """Driving legs with stops between them until `target` minutes are driven or the clocks run out."""
        rng = self._rng
        driven = 0
        while driven < target:
            clocks = self._clocks()
            available = _minutes(clocks.driving_available)
            if available < MIN_LEG and self._break_is_binding(clocks):
                self._thirty_minute_break()
                continue
            if available < MIN_LEG:
                return
            leg = min(draw(rng, self._profile.leg), available, target - driven)
            if leg < MIN_LEG:
                return
            self._drive(leg)
            driven += leg
            if driven < target:
                self._stop()

    def _drive_past_the_clocks(self) -> None:
        """The deliberate violation: one more leg that runs 10 to 45 minutes past the first clock to
        expire."""
        clocks = self._clocks()
        overrun = self._rng.randint(10, 45)
        self._drive(_minutes(clocks.driving_available) + overrun, violation=_binding_limit(clocks))
        self._violation_pending = False

    def _break_is_binding(self, clocks: HosClocks) -> bool:
        """True when only the 30-minute break keeps the driver from driving a while longer."""
        if clocks.break_left is None or clocks.break_left >= timedelta(minutes=MIN_LEG):
            return False
        others = min(clocks.drive_left, clocks.window_left, clocks.cycle_left)
        return others >= timedelta(minutes=MIN_LEG + BREAK.high)

    def _stop(self) -> None:
        rng = self._rng
        clocks = self._clocks()
        due = clocks.break_left is not None and clocks.break_left < timedelta(minutes=self._profile.leg.low)
        if due or rng.random() < 0.25:
            self._thirty_minute_break()
        else:
            sub_status = rng.choice(WORK_STOPS)
            self._on_duty(sub_status, draw(rng, self._profile.stop))

    def _daily_rest(self) -> None:
        """The rest after a shift; the next shift's start (and so its length) is chosen by the generator."""
        rng = self._rng
        status = self._rest_status()
        sub_status = (
            SubStatus.SLEEPER_BERTH_DAILY_RESET
            if status is DutyStatus.SLEEPER_BERTH
            else SubStatus.OFF_DUTY_DAILY_RESET
        )
        in_vehicle = status is DutyStatus.SLEEPER_BERTH
        if rng.random() < self._profile.personal_use_chance:
            self._add(DutyStatus.OFF_DUTY, SubStatus.OFF_DUTY_DAILY_RESET, rng.randint(20, 90), vehicle=False)
            self._add(
                DutyStatus.OFF_DUTY,
                SubStatus.OFF_DUTY_PERSONAL_USE,
                rng.randint(15, 45),
                km=rng.uniform(3, 25),
            )
        self._begin(status, sub_status, vehicle=in_vehicle)
