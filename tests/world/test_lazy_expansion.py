"""Lazy expansion (issue 13): a generated fleet's drivers are made when first read, and are the same facts the eager
build makes, whatever the order (and the threads) they are read in.

Each driver is made from its own derived seeds only, so reading driver 7 before driver 3 cannot change either; the
frozen digests below were taken from the eager build before drivers became lazy, so the facts (and every answer
and file made from them) keep their bytes.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.resources import default_world_path
from mockserver.world import parse_world
from mockserver.world.build import build_world
from mockserver.world.models import Driver, LazyEntities

SPEC = parse_world(default_world_path().read_text())
WRITTEN = len(SPEC.accounts[0].drivers)


@st.composite
def worlds_and_orders(draw: st.DrawFn) -> tuple[int, int, int, list[int]]:
    seed = draw(st.integers(min_value=0, max_value=2**63))
    vehicles = draw(st.integers(min_value=0, max_value=12))
    drivers = draw(st.integers(min_value=0, max_value=40))
    count = max(drivers, 0)
    return seed, vehicles, drivers, draw(st.permutations(range(count)))


@settings(max_examples=40, deadline=None)
@given(case=worlds_and_orders())
def test_lazy_drivers_read_in_any_order_are_the_eager_drivers(case: tuple[int, int, int, list[int]]) -> None:
    seed, vehicles, drivers, order = case
    eager = build_world(SPEC, seed=seed, vehicles=vehicles, drivers=drivers, lazy=False).accounts[0]
    lazy = build_world(SPEC, seed=seed, vehicles=vehicles, drivers=drivers).accounts[0]
    assert isinstance(eager.drivers, tuple)
    assert isinstance(lazy.drivers, LazyEntities)
    read = {index: lazy.drivers[index] for index in order}
    assert [read[index] for index in range(len(order))] == list(eager.drivers)
    assert lazy == eager  # the whole account: vehicles, drivers, cards, users
    for driver in eager.drivers:
        assert lazy.driver(driver.card_key) == driver


def test_a_lazy_world_makes_only_the_drivers_read() -> None:
    world = build_world(SPEC, seed=3, vehicles=20, drivers=500)
    drivers = world.accounts[0].drivers
    assert isinstance(drivers, LazyEntities)
    assert len(drivers) == 500
    assert drivers.made() == WRITTEN  # the written drivers (vehicles name them as co-drivers), no generated one
    last = drivers[-1]
    assert drivers.made() == WRITTEN + 1
    assert drivers[499] is last  # made once, then kept
    assert drivers[WRITTEN : WRITTEN + 3] == tuple(drivers[i] for i in range(WRITTEN, WRITTEN + 3))


def test_generated_facts_keep_the_bytes_of_the_eager_build() -> None:
    """Digests of `repr` of every vehicle and driver, taken from the eager build before issue 13's lazy drivers."""
    frozen = {
        (7, 40, 300): "365f29283207f679c923a7082862e772cab2c87b2be7a5fa50c2349d7118383b",
        (12345, 5, 120): "1fa4594522bb6ba52900265a54de686f8e11661fcca0d1f416e4cf36f7228d73",
    }
    for (seed, vehicles, drivers), digest in frozen.items():
        account = build_world(SPEC, seed=seed, vehicles=vehicles, drivers=drivers).accounts[0]
        order = sorted(range(len(account.drivers)), key=lambda i: hashlib.sha256(str(i).encode()).digest())
        for index in order:  # read out of order first
            account.drivers[index]
        text = repr((tuple(account.vehicles), tuple(account.drivers)))
        assert hashlib.sha256(text.encode()).hexdigest() == digest


@contextmanager
def _switching_often() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def test_drivers_made_by_several_threads_at_once_are_the_eager_drivers() -> None:
    """Faker's instances are shared per locale by every world and account: without the lock around a make,
    two worlds' drivers made at once interleave their draws and mix names."""
    seeds = (11, 12, 13, 14)
    eager = [build_world(SPEC, seed=seed, drivers=300, lazy=False).accounts[0].drivers for seed in seeds]
    lazy = [build_world(SPEC, seed=seed, drivers=300).accounts[0].drivers for seed in seeds]
    start = threading.Barrier(len(seeds))

    def read(drivers: LazyEntities[Driver]) -> None:
        start.wait()
        for index in range(len(drivers)):
            drivers[index]

    with _switching_often():
        threads = [threading.Thread(target=read, args=(drivers,)) for drivers in lazy]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [list(drivers) for drivers in lazy] == [list(drivers) for drivers in eager]


def test_plates_and_company_names_drawn_while_drivers_are_made_are_the_ones_drawn_alone() -> None:
    """A world built (a tenant account, a reset) while another thread makes lazy drivers draws its plates and company
    names from the same shared Faker instances: the lock is held for those draws too."""
    seeds = (21, 22, 23)

    def facts(seed: int) -> list[tuple[str, ...]]:
        world = build_world(SPEC, seed=seed, vehicles=400, drivers=0)
        return [
            (account.company_name, *(vehicle.license_plate for vehicle in account.vehicles))
            for account in world.accounts
        ]

    alone = [facts(seed) for seed in seeds]
    making = [build_world(SPEC, seed=seed, drivers=2000).accounts[0].drivers for seed in seeds]
    built: list[list[tuple[str, ...]]] = []
    start = threading.Barrier(2 * len(seeds))

    def read(drivers: LazyEntities[Driver]) -> None:
        start.wait()
        for index in range(len(drivers)):
            drivers[index]

    def build(seed: int) -> None:
        start.wait()
        built.append(facts(seed))

    with _switching_often():
        threads = [threading.Thread(target=read, args=(drivers,)) for drivers in making]
        threads += [threading.Thread(target=build, args=(seed,)) for seed in seeds]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(built) == sorted(alone)
