"""Hypothesis properties over HTTP: visibility and determinism."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.simulator import Simulator
from mockserver.world import World
from tests.conftest import bearer, make_sim

PRINCIPALS = [("demo", "fleetmanager"), ("demo", "dispatcher-north"), ("acme", "acme-admin")]
SUPPRESS = [HealthCheck.function_scoped_fixture]


@settings(max_examples=15, deadline=None, suppress_health_check=SUPPRESS)
@given(principal=st.sampled_from(PRINCIPALS), other=st.sampled_from(PRINCIPALS), days=st.integers(0, 400))
def test_a_token_never_sees_another_accounts_or_a_hidden_object(
    client: TestClient, sim: Simulator, principal: tuple[str, str], other: tuple[str, str], days: int
) -> None:
    sim.reset()
    sim.clock.advance(days * 86400)
    account_name, username = principal
    headers = bearer(client, account=account_name, user=username)
    account = sim.world.account(account_name)
    assert account is not None
    user = account.user(username)
    assert user is not None
    visible = {v.vin for v in account.vehicles if user.visibility.sees_depot(v.depot)}
    listed = {v["vin"] for v in client.get("/tachoshare/vehicles", headers=headers).json()["items"]}
    assert listed == visible
    other_account = sim.world.account(other[0])
    assert other_account is not None
    for vehicle in other_account.vehicles[:6]:
        status = client.get(f"/tachoshare/vehicles/{vehicle.vin}", headers=headers).status_code
        assert status == (200 if vehicle.vin in visible else 404)
    cards = client.get("/tachoshare/companyCards", headers=headers).json()["items"]
    own = {c.card_number for c in account.company_cards} if user.visibility.company_cards else set()
    assert {c["cardNumber"] for c in cards} == own


REQUESTS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "/tachoshare/vehicles",
                "/tachoshare/drivers",
                "/tachoshare/companyCards",
                "/tachoshare/companyCardGroups",
                "/tachoshare/vehicles/1M8GDM9AXKP042788",
                "/tachoshare/vehicles/bad",
                "/_sim/world",
                "/_sim/clock",
            ]
        ),
        st.integers(min_value=1, max_value=90 * 86400),
    ),
    min_size=1,
    max_size=8,
)


def _run(world: World, requests: list[str | int]) -> list[bytes]:
    sim = make_sim(world)
    out = []
    with TestClient(create_app(sim)) as client:
        headers = bearer(client)
        out.append(headers["Authorization"].encode())
        for request in requests:
            if isinstance(request, int):
                out.append(client.post("/_sim/clock/advance", json={"seconds": request}).content)
            else:
                response = client.get(request, headers=headers)
                out.append(f"{response.status_code}".encode() + response.content)
    return out


@settings(max_examples=8, deadline=None, suppress_health_check=SUPPRESS)
@given(requests=REQUESTS)
def test_same_seed_world_clock_and_requests_give_the_same_bytes(world: World, requests: list[str | int]) -> None:
    assert _run(world, requests) == _run(world, requests)
