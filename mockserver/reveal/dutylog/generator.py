"""A seeded, plausible duty-status log for a US driver, extendable as the simulated clock moves.

The log is written shift by shift. Shift `n` draws from its own random source, seeded from (driver seed, `n`),
and from the log before it, never from how far the log is asked for: the events up to T never change when the
log is later asked up to T' > T. The hours-of-service engine is the planner's oracle: a driving leg never
exceeds the driving time the clocks leave, except the rare deliberate violations a profile asks for, which are
marked.

Not simulated: adverse driving conditions, team driving, multi-day trips' geography (distances follow from
time and a speed drawn per leg), and edits of the log after the fact."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from mockserver.reveal.dutylog.profiles import DriverProfile, profile_named
from mockserver.reveal.dutylog.records import LogEntry, PlannedPeriod
from mockserver.reveal.dutylog.shift_writer import ShiftWriter, SubStatusLabels, draw
from mockserver.reveal.hos import DutyEvent, DutyLog, DutyStatus, HosOptions, SubStatus, compute_clocks
from mockserver.reveal.hos.log import micros_to_timedelta
from mockserver.reveal.hos.rules import rule_set_for

DEFAULT_HOME_UTC_OFFSET = timedelta(hours=-6)  # US Central Standard Time


class DutyLogGenerator:
    """The duty log of one driver from `start` on, generated lazily and cached.

    `seed` is an integer drawn from the world's random source; `home_utc_offset` places the home terminal,
    whose local midnight is the day start of the driver's 7/8-day cycle (`hos_options.day_start`)."""

    def __init__(
        self,
        seed: int,
        profile: DriverProfile | str,
        cycle_days: int,
        start: datetime,
        *,
        vehicles: tuple[str, ...] = (),
        home_utc_offset: timedelta = DEFAULT_HOME_UTC_OFFSET,
        eld: bool = True,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self.seed = seed
        self.profile = profile if isinstance(profile, DriverProfile) else profile_named(profile)
        self.home_utc_offset = home_utc_offset
        self.eld = eld
        self.hos_options = HosOptions(
            cycle_days=cycle_days,
            short_haul=self.profile.short_haul,
            carrier=self.profile.carrier,
            day_start=(-home_utc_offset) % timedelta(days=1),
        )
        self._vehicles = vehicles
        self._home_vehicle = random.Random(f"{seed}:vehicle").choice(vehicles) if vehicles else None
        self._log = DutyLog()
        self._periods: list[PlannedPeriod] = []
        self._shifts_written = 0
        first = start.astimezone(UTC).replace(second=0, microsecond=0)
        self._append(
            PlannedPeriod(
                event=DutyEvent(first, DutyStatus.OFF_DUTY, SubStatus.OFF_DUTY_DAILY_RESET),
                distance_km=0.0,
                vehicle_number=None,
                trailer_numbers=(),
                shipping_references=(),
                remark=None,
                violation=None,
            )
        )

    @property
    def start(self) -> datetime:
        return self._periods[0].event.at

    def entries_until(self, end: datetime) -> list[LogEntry]:
        """Every period that starts at or before `end`, oldest first."""
        while self._periods[-1].event.at <= end:
            self._write_next_shift()
        periods = self._periods
        return [
            periods[index].ending_at(periods[index + 1].event.at)
            for index in range(len(periods) - 1)
            if periods[index].event.at <= end
        ]

    def duty_log_until(self, end: datetime) -> DutyLog:
        """The events up to `end` as a log for the hours-of-service engine."""
        return DutyLog.from_events(entry.event for entry in self.entries_until(end))

    def engine_log_through(self, at: datetime) -> DutyLog:
        """The generator's own log, written past `at`, for engine queries at instants up to `at` without
        copying. It also holds the planned periods after `at`: the engine ignores them; never list them."""
        self.entries_until(at)
        return self._log

    def _append(self, period: PlannedPeriod) -> None:
        self._periods.append(period)
        self._log.append(period.event)

    def _write_next_shift(self) -> None:
        index = self._shifts_written
        rng = random.Random(f"{self.seed}:shift:{index}")
        rest_start = self._periods[-1].event.at
        shift_start = self._next_shift_start(rng, rest_start)
        vehicle = self._home_vehicle
        if self._vehicles and rng.random() < 0.1:
            vehicle = rng.choice(self._vehicles)
        writer = ShiftWriter(
            profile=self.profile,
            rng=rng,
            log=self._log,
            options=self.hos_options,
            start=shift_start,
            vehicle_number=vehicle,
            append=self._append,
            labels=SubStatusLabels(random.Random(f"{self.seed}:labels:{index}"), eld=self.eld),
        )
        writer.write_shift()
        self._shifts_written += 1

    def _earliest_start(self, rng: random.Random, rest_start: datetime, rest_micros: int) -> datetime:
        return (
            rest_start
            + micros_to_timedelta(rest_micros)
            + timedelta(minutes=draw(rng, self.profile.daily_rest_extra))
        )

    def _next_shift_start(self, rng: random.Random, rest_start: datetime) -> datetime:
        """The first start after a full daily rest; later if the cycle needs a restart or days off."""
        rules = rule_set_for(self.hos_options)
        minute_of_day = draw(rng, self.profile.shift_start_local) if self.profile.shift_start_local else None
        candidate = self._aligned(
            self._earliest_start(rng, rest_start, rules.daily_reset_rest), minute_of_day
        )
        for _ in range(10):
            clocks = compute_clocks(self._log, candidate, self.hos_options)
            if clocks.cycle_left >= timedelta(minutes=self.profile.restart_below):
                return candidate
            if rules.restart_rest is not None:
                candidate = self._aligned(
                    self._earliest_start(rng, rest_start, rules.restart_rest), minute_of_day
                )
            else:
                candidate = self._aligned(candidate + timedelta(days=1), minute_of_day)
        return candidate

    def _aligned(self, earliest: datetime, minute_of_day: int | None) -> datetime:
        """The first work-day start at `minute_of_day` local time from `earliest` on (None: `earliest`)."""
        earliest = earliest.replace(second=0, microsecond=0)
        if minute_of_day is None:
            return earliest
        local = earliest + self.home_utc_offset
        day = datetime.combine(local.date(), time(0), tzinfo=UTC)
        while True:
            candidate = day + timedelta(minutes=minute_of_day)
            if candidate >= local and candidate.weekday() in self.profile.work_days:
                return candidate - self.home_utc_offset
            day += timedelta(days=1)


def generate_duty_log(
    seed: int,
    profile: DriverProfile | str,
    cycle_days: int,
    start: datetime,
    end: datetime,
    *,
    vehicles: tuple[str, ...] = (),
    home_utc_offset: timedelta = DEFAULT_HOME_UTC_OFFSET,
) -> list[LogEntry]:
    """The periods of a driver's log that start within [start, end]."""
    generator = DutyLogGenerator(
        seed, profile, cycle_days, start, vehicles=vehicles, home_utc_offset=home_utc_offset
    )
    return generator.entries_until(end)


__all__ = ["DutyLogGenerator", "generate_duty_log"]
