"""The middleware is an ordered chain of links (issue 16, item 2): a concern is removed by leaving its link out, and
a link of one's own is added by putting it in the list."""

from __future__ import annotations

from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.chain import DEFAULT_CHAIN, Answer, Call, Setup, journal, ratelimit, refuse
from mockserver.clock import SimClock
from mockserver.errors import ApiError
from mockserver.ratelimit import parse_limits
from mockserver.simulator import Simulator
from mockserver.world import World


def _limited_sim(world: World) -> Simulator:
    sim = Simulator(world, SimClock(world.start, rate=0))
    with sim.store.write():
        sim.rate_limits.rules[:] = parse_limits([{"api": "tachoshare", "per": "token", "rate": 0.001, "burst": 1}], "")
    return sim


def _two_reads(sim: Simulator, chain: list) -> list[int]:
    token = sim.oauth.issue_token().access_token
    with TestClient(create_app(sim, chain=chain)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        return [client.get("/tachoshare/vehicles", headers=headers).status_code for _ in range(2)]


def test_the_default_chain_limits_journals_and_leaving_links_out_removes_those_concerns(world: World) -> None:
    sim = _limited_sim(world)
    assert _two_reads(sim, list(DEFAULT_CHAIN)) == [200, 429]
    assert [e.status for e in sim.journal.entries()] == [200, 429]

    sim = _limited_sim(world)
    without = [link for link in DEFAULT_CHAIN if link not in (ratelimit.RateLimit, journal.JournalLink)]
    assert _two_reads(sim, without) == [200, 200]  # no rate limit
    assert sim.journal.entries() == []  # no journal


class Teapot:
    """A link of one's own: refuses requests that carry `X-Teapot`, in the API's own error shape."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup

    def enter(self, call: Call) -> Answer | None:
        if not any(key == b"x-teapot" for key, _ in call.scope["headers"]):
            return None
        call.refusal = ApiError("I'm a teapot", status=418)
        return refuse


def test_a_link_of_ones_own_goes_where_it_is_put(world: World) -> None:
    sim = Simulator(world, SimClock(world.start, rate=0))
    chain = list(DEFAULT_CHAIN)
    chain.insert(chain.index(ratelimit.RateLimit), Teapot)
    with TestClient(create_app(sim, chain=chain)) as client:
        refused = client.get("/tachoshare/vehicles", headers={"X-Teapot": "1"})
        assert refused.status_code == 418
        assert refused.json()["description"] == "I'm a teapot"  # TachoShare's error shape, with its trace id
        assert refused.json()["traceId"] == sim.journal.entries()[-1].trace_id  # journaled: it sits after journal
