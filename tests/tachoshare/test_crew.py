"""The crew's weekly pairings: the fast shuffle draws exactly what `random.Random.shuffle` draws, and every
driver is paired with at most one vehicle a week (and the reverse)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.simulator import Simulator
from mockserver.tachograph.dayplan import Draws, crew_plan
from mockserver.tachograph.types import Slot
from mockserver.tachoshare.crew import Crew
from mockserver.world import WorldError, parse_world
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
        assert co is not None and co.slot is Slot.CO_DRIVER and co.plan == crew_plan(shift.plan)
        assert crew.driver_shift(shift.driver, day) == shift
    assert crewed > 10


def test_co_drivers_must_be_drivers_of_the_account() -> None:
    with pytest.raises(WorldError, match="coDrivers names unknown drivers carl"):
        parse_world(CREW_WORLD.replace("coDrivers: [anna, ben]", "coDrivers: [anna, carl]"))
