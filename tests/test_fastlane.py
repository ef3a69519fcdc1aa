"""The fast lane (issue 13): the plain hot reads skip Connexion's stack, and every answer is byte for byte the one
Connexion alone gives (errors included, since those go to Connexion).

Two simulators of the same world take the same requests in the same order: one served with the fast lane, one by
Connexion alone (the fast lane removed from the same app). Tokens and trace ids follow from the seed and the request
sequence, so even error bodies compare equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from mockserver.app import create_app
from mockserver.chain import DEFAULT_CHAIN, Chain
from mockserver.chain.exchange import Exchange
from mockserver.chain.readcache import ReadCache
from mockserver.fastlane import FastLane
from mockserver.queryparams import QueryBinding
from mockserver.world import World
from tests.conftest import make_sim
from tests.reveal.reveal_support import atmosphere, token


class Counting:
    """Connexion, counting the requests that reach it."""

    def __init__(self, app: Any) -> None:
        self.app, self.calls = app, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
def pair(world: World) -> Iterator[tuple[TestClient, TestClient, Counting]]:
    no_cache = [link for link in DEFAULT_CHAIN if link is not ReadCache]  # every request computed, not remembered
    fast_app, plain_app = create_app(make_sim(world), chain=no_cache), create_app(make_sim(world), chain=no_cache)
    fast_outer, plain_outer = fast_app.app, plain_app.app  # the guard wraps the request chain
    assert isinstance(fast_outer, Chain) and isinstance(plain_outer, Chain)
    fast_exchange = next(link for link in fast_outer.links if isinstance(link, Exchange))
    plain_exchange = next(link for link in plain_outer.links if isinstance(link, Exchange))
    binding = fast_exchange.app  # the real services' parameter binding sits in front of the lane (issue 17)
    assert isinstance(binding, QueryBinding)
    lane = binding.app
    assert isinstance(lane, FastLane)
    counting = Counting(lane.app)
    lane.app = counting
    plain_binding = plain_exchange.app
    assert isinstance(plain_binding, QueryBinding)
    plain_binding.app = plain_binding.app.app  # type: ignore[attr-defined]  # without the lane: Connexion alone
    with TestClient(fast_app) as fast, TestClient(plain_app) as plain:
        yield fast, plain, counting


def _same(fast: TestClient, plain: TestClient, path: str, headers: dict[str, str]) -> int:
    mine, theirs = fast.get(path, headers=headers), plain.get(path, headers=headers)
    assert (mine.status_code, mine.content) == (theirs.status_code, theirs.content), path
    for name in ("content-type", "www-authenticate", "allow"):
        assert mine.headers.get(name) == theirs.headers.get(name), (path, name)
    return mine.status_code


def _bearer(client: TestClient, **body: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.post('/_sim/tokens', json=body).json()['access_token']}"}


def test_plain_reads_skip_connexion_and_answer_what_it_answers(pair: tuple[TestClient, TestClient, Counting]) -> None:
    fast, plain, counting = pair
    headers = _bearer(fast)
    assert headers == _bearer(plain)
    vins = [v["vin"] for v in plain.get("/tachoshare/vehicles", headers=headers).json()["items"]]
    reveal = atmosphere(token(fast))
    assert reveal == atmosphere(token(plain))
    before = counting.calls
    paths = ["/tachoshare/vehicles", "/tachoshare/drivers", "/tachoshare/companyCards", "/tachoshare/companyCardGroups"]
    for path in [*paths, *(f"/tachoshare/vehicles/{vin}" for vin in vins)]:
        assert _same(fast, plain, path, headers) == 200
    for number in ("99", "101", "c_3379569"):
        for what in ("statuscurrent", "remainingtime"):
            assert _same(fast, plain, f"/reveal/logbook/v1/driver/{number}/{what}", reveal) == 200
    assert counting.calls == before  # not one of them went through Connexion


def test_everything_else_goes_to_connexion_unchanged(pair: tuple[TestClient, TestClient, Counting]) -> None:
    fast, plain, counting = pair
    headers = _bearer(fast)
    assert headers == _bearer(plain)
    reveal = atmosphere(token(fast))
    assert reveal == atmosphere(token(plain))
    narrow = _bearer(fast, scopes=["openid"])
    assert narrow == _bearer(plain, scopes=["openid"])
    cases: list[tuple[str, dict[str, str], int]] = [
        ("/tachoshare/vehicles", {}, 401),  # no credential
        ("/tachoshare/vehicles", {"Authorization": "Bearer not-a-token"}, 401),
        ("/tachoshare/vehicles", {"Authorization": "Basic abc"}, 401),
        ("/tachoshare/vehicles", narrow, 403),  # the scope is missing
        ("/tachoshare/vehicles", {**headers, "Accept": "text/xml"}, 406),  # the handler refuses: Connexion formats
        ("/tachoshare/drivers/DF000012345670/files?countryCode=0x0D", headers, 404),  # with a query: Connexion
        ("/tachoshare/vehicles/NOT-A-VIN", headers, 404),  # any string is a VIN (issue 17)
        ("/tachoshare/vehicles/WDB9634041L738190", headers, 404),  # valid but unknown
        ("/tachoshare/vehicles/", headers, 200),  # a trailing slash: left to Connexion
        ("/reveal/logbook/v1/driver/106/statuscurrent", reveal, 400),  # outside the data plan
        ("/reveal/logbook/v1/driver/nobody/statuscurrent", reveal, 404),
        ("/reveal/logbook/v1/driver/99/statuscurrent", {"Authorization": "Atmosphere nonsense"}, 401),
    ]
    for path, extra, status in cases:
        before = counting.calls
        assert _same(fast, plain, path, extra) == status, path
        assert counting.calls > before, path  # Connexion answered it


def test_accept_headers_on_the_lane_answer_what_connexion_answers(
    pair: tuple[TestClient, TestClient, Counting],
) -> None:
    """The handlers read Accept from the scope and keep `negotiate`'s verdicts (issue 13): the same answers, asked
    twice each (the second from the kept verdict), as Connexion's request object gave."""
    fast, plain, _ = pair
    headers = _bearer(fast)
    assert headers == _bearer(plain)
    vin = fast.get("/tachoshare/vehicles", headers=headers).json()["items"][0]["vin"]
    assert vin == plain.get("/tachoshare/vehicles", headers=headers).json()["items"][0]["vin"]  # trace ids in step
    accepts = {
        "application/json": 200,
        "*/*": 200,
        "application/*;q=0.5, text/html": 200,
        "text/html, application/json;q=0.1": 200,
        "text/xml": 406,
        "application/json;q=0": 406,
    }
    for _ in range(2):
        for accept, status in accepts.items():
            for path in (f"/tachoshare/vehicles/{vin}", "/tachoshare/drivers", "/tachoshare/vehicles"):
                assert _same(fast, plain, path, {**headers, "Accept": accept}) == status, (path, accept)


def test_a_token_expires_on_the_lane_as_through_connexion(pair: tuple[TestClient, TestClient, Counting]) -> None:
    """Principals are kept by (token, instant, state) (issue 13): a token read a moment ago is refused once the
    clock passes its expiry (4 hours), on the lane as through Connexion."""
    fast, plain, _ = pair
    headers = _bearer(fast)
    assert headers == _bearer(plain)
    vin = fast.get("/tachoshare/vehicles", headers=headers).json()["items"][0]["vin"]
    assert vin == plain.get("/tachoshare/vehicles", headers=headers).json()["items"][0]["vin"]  # trace ids in step
    paths = (f"/tachoshare/vehicles/{vin}", "/tachoshare/drivers")
    for path in paths:
        assert _same(fast, plain, path, headers) == 200
    for client in (fast, plain):
        assert client.post("/_sim/clock/advance", json={"seconds": 4 * 3600 - 1}).status_code == 200
    for path in paths:
        assert _same(fast, plain, path, headers) == 200
    for client in (fast, plain):
        assert client.post("/_sim/clock/advance", json={"seconds": 1}).status_code == 200
    for path in paths:
        assert _same(fast, plain, path, headers) == 401


def test_a_fresh_token_is_verified_once_per_request(world: World) -> None:
    """The route link (rate limits, faults) and the lane's security check both need the caller: the token is looked
    up once per request, the second ask answered from `Simulator.principal`'s memo (issue 13)."""
    sim = make_sim(world)
    service = sim.services["oauth"]
    lookups: list[str] = []
    real = service.principal

    def counting(token: str) -> Any:
        lookups.append(token)
        return real(token)

    service.principal = counting
    no_cache = [link for link in DEFAULT_CHAIN if link is not ReadCache]
    with TestClient(create_app(sim, chain=no_cache)) as client:
        vin = world.accounts[0].vehicles[0].vin
        for _ in range(3):
            headers = _bearer(client)  # a new token each time: nothing of it known before
            before = len(lookups)
            assert client.get(f"/tachoshare/vehicles/{vin}", headers=headers).status_code == 200
            assert len(lookups) - before == 1
