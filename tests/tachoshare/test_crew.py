"""The crew's weekly pairings: the fast shuffle draws exactly what `random.Random.shuffle` draws, and every
driver is paired with at most one vehicle a week (and the reverse)."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.simulator import Simulator
from mockserver.tachograph.dayplan import Draws
from mockserver.tachoshare.crew import Crew


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
