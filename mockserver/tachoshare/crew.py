"""Who drives which vehicle on which day: the world's `Rota` (`mockserver.tachograph.history.rota`). Worlds do
not declare it, so it is derived from the seed.

Each ISO week the account's drivers and vehicles are shuffled (seeded by the world seed, the account and the
week) and paired in order. A paired driver drives that vehicle on the days of the week that are both a working
day of the driver's day plan (`mockserver.tachograph.dayplan`, EU 561/2006 plausible) and one of the vehicle's
driving weekdays, while the vehicle unit and the driver's card exist. A driver is therefore in at most one
vehicle a day, and a vehicle has at most one driver: the vehicle files and the card files tell the same days.

Two-driver crews: a Gen2v2 vehicle whose world entry lists `coDrivers` carries, on a day it is driven, the first
listed driver who drives nowhere that day, works that day by their own plan and rides in no earlier vehicle, in
slot 2 (`Shift.partner`). The two take turns at the wheel, swapping cards at every break (`crewday`): the listed
driver's own day is `crewday.member_plan(plan, lead=False)` of the vehicle's.

The story of an account starts at its epoch, a year and four weeks before anything was ever downloaded, so that
the oldest download already shows a card that has been in use for a year.
Not simulated: crews in Gen1 and Gen2v1 vehicles, and odometer continuity between ISO weeks: a vehicle's
odometer starts every ISO week `WEEK_KM` after the previous week's start (more than a week of driving can cover),
and adds the distance its drivers drive within the week. This keeps any day's odometer computable in O(1).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from mockserver.memo import Memo
from mockserver.tachograph.crewday import member_plan
from mockserver.tachograph.dayplan import Draws, cached_plan, derive_seed
from mockserver.tachograph.history.rota import CardInUse, CompanyFacts, Shift, VehicleUnit
from mockserver.tachograph.types import EquipmentType, FullCardNumber, Generation, HolderName, day_start
from mockserver.tachoshare.identity import driver_card, nation_number, period_of, tacho_generation
from mockserver.world.models import Account, Driver, GenerationPeriod, Vehicle

WEEK_KM = 4200
EPOCH_LEAD_DAYS = 365 + 28
MAX_CACHED_WEEKS = 1024

# Rough centres of the registration countries, so GNSS places look local. Others use the default.
_HOMES: dict[str, tuple[float, float]] = {
    "NL": (52.1, 5.3),
    "DE": (51.2, 10.4),
    "BE": (50.6, 4.5),
    "FR": (46.6, 2.4),
    "ES": (40.4, -3.7),
    "PL": (52.0, 19.4),
    "IT": (42.8, 12.5),
}


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
    """The pairings of one account's drivers and vehicles, week by week (bounded cache of weeks). Vehicles are
    named by VIN, drivers by card key."""

    midnight_reading = 0  # a VU's daily odometer reading is the one at the start of the day

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
        # Key: the week's Monday; the pairs are drawn from (seed, account, Monday) alone: a hit is exact.
        self._weeks: Memo[date, tuple[dict[int, int], dict[int, int]]] = Memo(MAX_CACHED_WEEKS, "crew weeks")
        # Key: (vehicle index, Monday); the sums read only that week's pairs and plans: a hit is exact.
        self._distances: Memo[tuple[int, date], tuple[int, ...]] = Memo(MAX_CACHED_WEEKS, "crew distances")
        # Key: (VIN, period start), one per generation period of the account's vehicles (bounded by the account);
        # a unit is made from the vehicle, its period and the account alone: a hit is exact.
        self._units: dict[tuple[str, date], VehicleUnit] = {}
        self._crewed = [i for i, v in enumerate(account.vehicles) if v.co_drivers]

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
            return pairs
        rng = random.Random(derive_seed(self.seed, self.account.name, "crew", monday.toordinal()))
        draws = Draws(rng)  # exactly rng.shuffle's draws, without its method calls per draw
        vehicles = draws.shuffled_range(len(self.account.vehicles))
        drivers = draws.shuffled_range(len(self.account.drivers))
        by_vehicle = dict(zip(vehicles, drivers, strict=False))
        return self._weeks.put(monday, (by_vehicle, {d: v for v, d in by_vehicle.items()}))

    def _shift(self, vehicle_index: int, driver_index: int, day: date) -> Shift | None:
        vehicle = self.account.vehicles[vehicle_index]
        driver = self.account.drivers[driver_index]
        if day < self.epoch or day.weekday() not in vehicle.driving.weekdays:
            return None
        if day < vehicle.generations[0].since or day < driver.generations[0].since:
            return None
        plan = cached_plan(self._driver_seeds[driver_index], day)
        return Shift(driver.card_key, vehicle.vin, plan) if plan.working else None

    def _main_shift(self, vehicle_index: int, day: date) -> Shift | None:
        driver_index = self._pairs(_monday(day))[0].get(vehicle_index)
        return None if driver_index is None else self._shift(vehicle_index, driver_index, day)

    def vehicle_shift(self, vin: str, day: date) -> Shift | None:
        """Who drove the vehicle on `day`, if anyone (and who rode beside them)."""
        index = self._vehicle_index[vin]
        if not self._crewed or not self.account.vehicles[index].co_drivers:
            return self._main_shift(index, day)
        return self._crews(day).get(index) or self._main_shift(index, day)

    def _crews(self, day: date) -> dict[int, Shift]:
        """The crewed shifts of `day` by vehicle index: the vehicles listing co-drivers, in the world's order."""
        taken: set[str] = set()
        crews: dict[int, Shift] = {}
        for index in self._crewed:
            vehicle = self.account.vehicles[index]
            main = self._main_shift(index, day)
            if main is None or self.unit(vehicle.vin, day).generation is not Generation.GEN2V2:
                continue
            for key in vehicle.co_drivers:
                if key != main.driver and key not in taken and self._free(key, day):
                    taken.add(key)
                    crews[index] = main._replace(partner=key, partner_plan=member_plan(main.plan, False))
                    break
        return crews

    def _free(self, key: str, day: date) -> bool:
        """The driver drives no vehicle on `day` but works by their own plan, with a card."""
        index = self._driver_index[key]
        driver = self.account.drivers[index]
        vehicle_index = self._pairs(_monday(day))[1].get(index)
        if vehicle_index is not None and self._shift(vehicle_index, index, day) is not None:
            return False
        if day < self.epoch or day < driver.generations[0].since:
            return False
        return cached_plan(self._driver_seeds[index], day).working

    def driver_shift(self, driver: str, day: date) -> Shift | None:
        """Which vehicle the driver (by card key) drove or rode in on `day`, if any."""
        index = self._driver_index[driver]
        vehicle_index = self._pairs(_monday(day))[1].get(index)
        own = None if vehicle_index is None else self._shift(vehicle_index, index, day)
        if not self._crewed:
            return own
        if own is not None:
            return self._crews(day).get(vehicle_index, own) if vehicle_index is not None else own
        for shift in self._crews(day).values():
            if shift.partner == driver:
                return shift.seen_by_partner()
        return None

    def odometer(self, vin: str, day: date) -> int:
        """The vehicle's odometer (km) at 00:00 of `day`."""
        monday = _monday(day)
        weeks = (monday - _monday(self.epoch)).days // 7
        index = self._vehicle_index[vin]
        start = max(0, self._odometer_base[index] + WEEK_KM * weeks)
        return start + self._week_distances(vin, index, monday)[(day - monday).days]

    def _week_distances(self, vin: str, index: int, monday: date) -> tuple[int, ...]:
        """Distance driven in the vehicle in its ISO week before each weekday (Monday's 0 to Sunday's): a card's
        vehicle records ask for the odometer of every working day, so each week is summed once."""
        key = (index, monday)
        sums = self._distances.get(key)
        if sums is None:
            running = [0]
            for offset in range(6):
                shift = self.vehicle_shift(vin, monday + timedelta(days=offset))
                running.append(running[-1] + (shift.plan.distance_km if shift is not None else 0))
            sums = self._distances.put(key, tuple(running))
        return sums

    def unit(self, vin: str, day: date) -> VehicleUnit:
        """The vehicle unit fitted in the vehicle on `day` (its generation period's)."""
        vehicle = self.account.vehicles[self._vehicle_index[vin]]
        period, _ = period_of(vehicle.generations, day)
        key = (vin, period.since)
        found = self._units.get(key)
        if found is None:
            found = self._units[key] = self._make_unit(vehicle, period)
        return found

    def _make_unit(self, vehicle: Vehicle, period: GenerationPeriod) -> VehicleUnit:
        account = self.account
        company = None
        if vehicle.locked_company_card is not None:
            card = FullCardNumber(
                EquipmentType.COMPANY_CARD, nation_number(account.country), vehicle.locked_company_card, 2
            )
            known = any(c.card_number == vehicle.locked_company_card for c in account.company_cards)
            name = account.company_name if known else "Unknown company"
            company = CompanyFacts(name, f"{name}, {account.country}", card, day_start(max(period.since, self.epoch)))
        latitude, longitude = _HOMES.get(vehicle.nation, (50.0, 8.0))
        return VehicleUnit(
            seed=derive_seed(self.seed, account.name, "vehicle", vehicle.vin),
            vin=vehicle.vin,
            nation=nation_number(vehicle.nation),
            plate=vehicle.license_plate,
            generation=tacho_generation(period.generation),
            in_service_since=period.since,
            company=company,
            latitude=latitude,
            longitude=longitude,
            older_faults=account.older_vu_faults,
            card_events=account.card_events,
        )

    def card_in_use(self, driver: str, day: date) -> CardInUse:
        """The card the driver (by card key) used on `day`."""
        person = self.account.drivers[self._driver_index[driver]]
        card = driver_card(person, day)
        return CardInUse(HolderName(person.surname, person.first_names), card.full_number, card.expiry)
