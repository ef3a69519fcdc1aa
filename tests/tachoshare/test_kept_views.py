"""Kept views (issue 13): as the clock moves and RDLs are requested, the lists a service hands out from its kept views
are exactly the lists a service with no memory makes at the same instant and state."""

from __future__ import annotations

from contextlib import suppress

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.errors import ApiError
from mockserver.principal import Principal
from mockserver.simulator import Simulator
from mockserver.tachoshare import views
from mockserver.tachoshare.service import TachoShareService
from mockserver.world import World
from tests.conftest import make_sim

steps = st.lists(st.tuples(st.integers(0, 3 * 86400), st.integers(-1, 40)), min_size=1, max_size=6)


def _lists(service: TachoShareService, principal: Principal) -> tuple[bytes, bytes]:
    return (
        views.encoded_items(service.vehicles(principal), views.vehicle_json),
        views.encoded_items(service.drivers(principal), views.driver_json),
    )


def _fresh(sim: Simulator) -> TachoShareService:
    return TachoShareService(sim.account, sim.clock.now, sim.store)


@settings(max_examples=12, deadline=None)
@given(moves=steps)
def test_kept_views_equal_views_made_afresh(world: World, moves: list[tuple[int, int]]) -> None:
    sim = make_sim(world)
    account = sim.default_account
    principal = Principal(account.name, account.users[0].username, "c", frozenset({"tachoshare"}))
    for seconds, vehicle in moves:
        sim.clock.advance(seconds)
        if vehicle >= 0:
            with suppress(ApiError):  # a refusal changes nothing
                sim.tachoshare.request_rdl(principal, account.vehicles[vehicle % len(account.vehicles)].vin)
        assert _lists(sim.tachoshare, principal) == _lists(_fresh(sim), principal)
