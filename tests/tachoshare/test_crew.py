"""The crew's weekly pairings: the fast shuffle draws exactly what `random.Random.shuffle` draws, and every
driver is paired with at most one vehicle a week (and the reverse)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.clock import SimClock
from mockserver.resources import fixtures_dir
from mockserver.simulator import Simulator
from mockserver.tachograph.crewday import crew_turns, member_plan
from mockserver.tachograph.dayplan import Draws
from mockserver.tachograph.inspect import summarize
from mockserver.tachograph.types import Slot
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
from mockserver.tachoshare.crew import Crew
from mockserver.world import WorldError, load_world, parse_world
from mockserver.world.build import build_world


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**64 - 1), st.integers(0, 300))
def test_draws_shuffle_as_random_shuffle_does(seed: int, count: int) -> None:
    expected = list(range(count))
    reference = random.Random(seed)
    reference.shuffle(expected)
    rng = random.Random(seed)
    assert Draws(rng).shuffled_range(count) == expected
    assert rng.getstate() == reference.getstate()  # the same draws: what follows is unchanged too


def test_a_week_pairs_each_driver_with_one_vehicle_at_most(sim: Simulator) -> None:
    account = sim.world.account("demo")
    assert account is not None
    crew = Crew(sim.world.seed, account, sim.world.start.date())
    monday = sim.world.start.date() - timedelta(days=sim.world.start.weekday())
    for week in range(8):
        by_vehicle, by_driver = crew._pairs(monday + timedelta(weeks=week))
        assert len(set(by_vehicle.values())) == len(by_vehicle)
        assert by_driver == {d: v for v, d in by_vehicle.items()}
        assert len(by_vehicle) == min(len(account.vehicles), len(account.drivers))


CREW_WORLD = """
seed: 7
start: "2026-11-02T08:00:00Z"
clients: [{clientId: c, secret: s, name: C}]
accounts:
  - name: crews
    country: DE
    users: [{username: u, password: p, displayName: U}]
    vehicles:
      - {key: crewed, firstDownload: -100d, coDrivers: [anna, ben], generations: [{since: -900d, generation: gen2v2}]}
    drivers:
      - {key: anna, firstDownload: -100d, generations: [{since: -900d, generation: gen2v2}]}
      - {key: ben, firstDownload: -100d, generations: [{since: -900d, generation: gen2v2}]}
"""


def test_a_world_vehicle_with_co_drivers_carries_the_free_one_in_slot_2() -> None:
    world = build_world(parse_world(CREW_WORLD))
    account = world.account("crews")
    assert account is not None
    crew = Crew(world.seed, account, world.start.date())
    vin = account.vehicles[0].vin
    keys = {d.card_key for d in account.drivers}
    crewed = 0
    for offset in range(1, 60):
        day = world.start.date() - timedelta(days=offset)
        shift = crew.vehicle_shift(vin, day)
        if shift is None:
            continue
        assert shift.slot is Slot.DRIVER
        if shift.partner is None:
            continue
        crewed += 1
        assert {shift.driver, shift.partner} == keys
        co = crew.driver_shift(shift.partner, day)
        assert co is not None and co.slot is Slot.CO_DRIVER and co.plan == member_plan(shift.plan, False)
        assert crew.driver_shift(shift.driver, day) == shift
    assert crewed > 10


def test_co_drivers_must_be_drivers_of_the_account() -> None:
    with pytest.raises(WorldError, match="coDrivers names unknown drivers carl"):
        parse_world(CREW_WORLD.replace("coDrivers: [anna, ben]", "coDrivers: [anna, carl]"))


def test_the_mobility_package_worlds_crew_takes_turns_in_the_served_files() -> None:
    """`fixtures/mobility-package.yaml` through the TachoShare archive: on the crewed vehicle's days with a turn,
    both crew members drive, and the VU file's minutes per card (`ddd inspect --json` `cardMinutes`) are the
    minutes each driver's own card file shows for that day."""
    world = load_world(fixtures_dir() / "mobility-package.yaml")
    sim = Simulator(world, SimClock(world.start, rate=0))
    account, archive, now = world.accounts[0], TachographArchive(), sim.clock.now()
    vehicle = next(v for v in account.vehicles if v.co_drivers)
    span = files.DateRange(now.date() - timedelta(days=60), now.date())
    downloads = sim.tachoshare.vehicle_downloads(account, vehicle, now)
    answer = archive.vehicle_file(world, account, vehicle, downloads, span, files.VEHICLE_FORMATS["DDD"])
    assert answer is not None
    [vu] = summarize(answer.data, "vu.ddd")
    card_days: dict[tuple[str, str], dict[str, int]] = {}
    for driver in account.drivers:
        found = archive.driver_files(
            world, account, driver, sim.tachoshare.driver_downloads(account, driver, now), span,
            files.DRIVER_FORMATS["DDD"],
        )  # fmt: skip
        if found is None:
            continue
        for summary in summarize(found.data, "cards.zip"):  # later members are newer downloads
            for day in summary.days:
                card_days[(summary.identity["cardNumber"], day.day)] = day.minutes
    crew = Crew(world.seed, account, world.start.date())
    turned = 0
    for day in vu.days:
        shift = crew.vehicle_shift(vehicle.vin, date.fromisoformat(day.day))
        if shift is None or shift.partner is None or not crew_turns(shift.plan):
            continue
        per_card = day.records["cardMinutes"]
        assert isinstance(per_card, dict) and len(per_card) == 2
        assert all(minutes["driving"] > 0 for minutes in per_card.values())  # both took the wheel
        for number, minutes in per_card.items():
            if (number, day.day) in card_days:
                assert card_days[(number, day.day)] == minutes
                turned += 1
    assert turned > 5
