"""Who drives which vehicle on which day. Worlds do not declare it, so it is derived from the seed.

Each ISO week the account's drivers and vehicles are shuffled (seeded by the world seed, the account and the
week) and paired in order. A paired driver drives that vehicle on the days of the week that are both a working
day of the driver's day plan (`mockserver.tachograph.dayplan`, EU 561/2006 plausible) and one of the vehicle's
driving weekdays, while the vehicle unit and the driver's card exist. A driver is therefore in at most one
vehicle a day, and a vehicle has at most one driver: the vehicle files and the card files tell the same days.

The story of an account starts at its epoch, a year and four weeks before anything was ever downloaded, so that
the oldest download already shows a card that has been in use for a year.
Not simulated: crews (two drivers in one vehicle), and odometer continuity between ISO weeks: a vehicle's
odometer starts every ISO week `WEEK_KM` after the previous week's start (more than a week of driving can cover),
and adds the distance its drivers drive within the week. This keeps any day's odometer computable in O(1).
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from mockserver.tachograph.dayplan import Draws, DriverDayPlan, derive_seed
from mockserver.tachograph.simulate import cached_plan
from mockserver.world.models import Account, Driver, Vehicle

WEEK_KM = 4200
EPOCH_LEAD_DAYS = 365 + 28
MAX_CACHED_WEEKS = 1024


@dataclass(frozen=True)
class Shift:
    """One driver's working day in one vehicle."""

    driver: Driver
    vehicle: Vehicle
    plan: DriverDayPlan


def story_epoch(account: Account, world_start: date) -> date:
    """A fixed date (independent of the clock) from which the account's tachograph story is simulated."""
    candidates = [world_start]
    for vehicle in account.vehicles:
        candidates.append(vehicle.service_start)
        if vehicle.downloads.first is not None:
            candidates.append(vehicle.downloads.first.date())
    for driver in account.drivers:
        if driver.downloads.first is not None:
            candidates.append(driver.downloads.first.date())
    return min(candidates) - timedelta(days=EPOCH_LEAD_DAYS)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Crew:
    """The pairings of one account's drivers and vehicles, week by week (bounded cache of weeks)."""

    def __init__(self, seed: int, account: Account, world_start: date) -> None:
        self.seed = seed
        self.account = account
        self.epoch = story_epoch(account, world_start)
        self._vehicle_index = {v.vin: i for i, v in enumerate(account.vehicles)}
        self._driver_index = {d.card_key: i for i, d in enumerate(account.drivers)}
        self._driver_seeds = [derive_seed(seed, account.name, "driver", d.card_key) for d in account.drivers]
        self._odometer_base = [
            random.Random(derive_seed(seed, account.name, "odometer", v.vin)).randint(20_000, 600_000)
            for v in account.vehicles
        ]
        self._weeks: OrderedDict[date, tuple[dict[int, int], dict[int, int]]] = OrderedDict()
        self._distances: OrderedDict[tuple[int, date], tuple[int, ...]] = OrderedDict()

    def card_epoch(self, driver: Driver) -> date:
        """The first day a driver's card story is told from: `EPOCH_LEAD_DAYS` before the driver's own first
        download (the account's epoch when that is later, or when the driver was never downloaded).

        Card files count presence and place the activity ring from this day on, so a card file costs the days
        since then, not since the account's oldest download. No card download shows a day before it: the
        oldest record a card file holds (200 vehicles back) is less than a year old."""
        first = driver.downloads.first
        if first is None:
            return self.epoch
        return max(self.epoch, first.date() - timedelta(days=EPOCH_LEAD_DAYS))

    def driver_seed(self, driver: Driver) -> int:
        return self._driver_seeds[self._driver_index[driver.card_key]]

    def _pairs(self, monday: date) -> tuple[dict[int, int], dict[int, int]]:
        """(vehicle index -> driver index, driver index -> vehicle index) for the ISO week starting `monday`."""
        pairs = self._weeks.get(monday)
        if pairs is not None:
            self._weeks.move_to_end(monday)
            return pairs
        rng = random.Random(derive_seed(self.seed, self.account.name, "crew", monday.toordinal()))
        draws = Draws(rng)  # exactly rng.shuffle's draws, without its method calls per draw
        vehicles = draws.shuffled_range(len(self.account.vehicles))
        drivers = draws.shuffled_range(len(self.account.drivers))
        by_vehicle = dict(zip(vehicles, drivers, strict=False))
        pairs = (by_vehicle, {d: v for v, d in by_vehicle.items()})
        self._weeks[monday] = pairs
        if len(self._weeks) > MAX_CACHED_WEEKS:
            self._weeks.popitem(last=False)
        return pairs

    def _shift(self, vehicle_index: int, driver_index: int, day: date) -> Shift | None:
        vehicle = self.account.vehicles[vehicle_index]
        driver = self.account.drivers[driver_index]
        if day < self.epoch or day.weekday() not in vehicle.driving.weekdays:
            return None
        if day < vehicle.generations[0].since or day < driver.generations[0].since:
            return None
        plan = cached_plan(self._driver_seeds[driver_index], day)
        return Shift(driver, vehicle, plan) if plan.working else None

    def vehicle_shift(self, vehicle: Vehicle, day: date) -> Shift | None:
        """Who drove `vehicle` on `day`, if anyone."""
        index = self._vehicle_index[vehicle.vin]
        driver_index = self._pairs(_monday(day))[0].get(index)
        return None if driver_index is None else self._shift(index, driver_index, day)

    def driver_shift(self, driver: Driver, day: date) -> Shift | None:
        """Which vehicle `driver` drove on `day`, if any."""
        index = self._driver_index[driver.card_key]
        vehicle_index = self._pairs(_monday(day))[1].get(index)
        return None if vehicle_index is None else self._shift(vehicle_index, index, day)

    def odometer(self, vehicle: Vehicle, day: date) -> int:
        """The vehicle's odometer (km) at 00:00 of `day`."""
        monday = _monday(day)
        weeks = (monday - _monday(self.epoch)).days // 7
        index = self._vehicle_index[vehicle.vin]
        start = max(0, self._odometer_base[index] + WEEK_KM * weeks)
        return start + self._week_distances(vehicle, index, monday)[(day - monday).days]

    def _week_distances(self, vehicle: Vehicle, index: int, monday: date) -> tuple[int, ...]:
        """Distance driven in `vehicle` in its ISO week before each weekday (Monday's 0 to Sunday's): a card's
        vehicle records ask for the odometer of every working day, so each week is summed once."""
        key = (index, monday)
        sums = self._distances.get(key)
        if sums is None:
            running = [0]
            for offset in range(6):
                shift = self.vehicle_shift(vehicle, monday + timedelta(days=offset))
                running.append(running[-1] + (shift.plan.distance_km if shift is not None else 0))
            sums = self._distances[key] = tuple(running)
            if len(self._distances) > MAX_CACHED_WEEKS:
                self._distances.popitem(last=False)
        return sums
