"""One advance of N days gives exactly what N advances of one day give, RDL requests included."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.world import World
from tests.conftest import bearer, make_sim


def _world_after(world: World, steps: list[int], rdl_indexes: list[int]) -> list[str]:
    sim = make_sim(world)
    client = TestClient(create_app(sim))
    vins = [v.vin for v in world.accounts[0].vehicles]
    for index in rdl_indexes:
        client.post(f"/tachoshare/vehicles/{vins[index]}/rdl", headers=bearer(client))
    for seconds in steps:
        client.post("/_sim/clock/advance", json={"seconds": seconds})
    headers = bearer(client)
    return [
        client.get(f"/tachoshare/{path}", headers=headers).text
        for path in ("vehicles", "drivers", "companyCards", "companyCardGroups")
    ]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.integers(2, 60), rdl=st.lists(st.integers(0, 20), max_size=4, unique=True))
def test_one_long_advance_equals_many_short_ones(world: World, days: int, rdl: list[int]) -> None:
    assert _world_after(world, [days * 86400], rdl) == _world_after(world, [86400] * days, rdl)


def test_sixty_days_at_once_or_day_by_day(world: World) -> None:
    assert _world_after(world, [60 * 86400], [1, 2]) == _world_after(world, [86400] * 60, [1, 2])
