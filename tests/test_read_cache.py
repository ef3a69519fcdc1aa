"""The middleware's read cache: a hit is byte-identical to the API's answer and never outlives a change."""

from __future__ import annotations

from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.simulator import Simulator
from mockserver.world import World
from tests.conftest import bearer, make_sim, vehicle_by_key
from tests.reveal.reveal_support import atmosphere, token


def _client(world: World) -> tuple[TestClient, Simulator]:
    sim = make_sim(world)
    return TestClient(create_app(sim, strict=False)), sim


def test_cached_answers_equal_uncached_ones_through_a_sequence_of_changes(world: World) -> None:
    cached, cached_sim = _client(world)
    plain_sim = make_sim(world)
    plain = TestClient(create_app(plain_sim, strict=True))  # strict mode never answers from memory
    vin = vehicle_by_key(cached_sim, "ok-basic").vin

    def answers(client: TestClient) -> list[bytes]:
        headers = bearer(client)
        out = []
        for path in ("/tachoshare/vehicles", f"/tachoshare/vehicles/{vin}", "/tachoshare/drivers"):
            out += [client.get(path, headers=headers).content, client.get(path, headers=headers).content]
        client.post(f"/tachoshare/vehicles/{vin}/rdl", headers=headers)  # a state change
        out.append(client.get(f"/tachoshare/vehicles/{vin}", headers=headers).content)
        client.post("/_sim/clock/advance", json={"seconds": 86400})  # a clock change
        headers = bearer(client)
        out.append(client.get(f"/tachoshare/vehicles/{vin}", headers=headers).content)
        return out

    assert answers(cached) == answers(plain)


def test_a_hit_never_crosses_accounts_and_errors_are_not_kept(world: World) -> None:
    client, sim = _client(world)
    demo, acme = bearer(client), bearer(client, account="acme")
    first = client.get("/tachoshare/vehicles", headers=demo).json()["items"]
    other = client.get("/tachoshare/vehicles", headers=acme).json()["items"]
    assert {v["vin"] for v in first}.isdisjoint(v["vin"] for v in other)
    errors = [client.get("/tachoshare/vehicles", headers={"Authorization": "Bearer nope"}).json() for _ in range(2)]
    assert errors[0]["traceId"] != errors[1]["traceId"]
    before = client.get("/tachoshare/vehicles", headers=demo).json()["items"]
    vin = vehicle_by_key(sim, "ok-basic").vin  # accepts a manual RDL
    assert client.post(f"/tachoshare/vehicles/{vin}/rdl", headers=demo).status_code == 200
    after = {v["vin"]: v for v in client.get("/tachoshare/vehicles", headers=demo).json()["items"]}
    remaining = {v["vin"]: v["manualAttemptsRemaining"] for v in before}
    assert after[vin]["manualAttemptsRemaining"] == remaining[vin] - 1
    journal = client.get("/_sim/journal?path=/tachoshare/vehicles").json()["entries"]
    assert len(journal) == 6  # every request is journaled, cached or not


def test_a_hit_is_kept_per_origin_since_reveal_links_name_the_host(world: World) -> None:
    """Reveal's `_links` are made from the URL the request was sent to: the same read through another Host name is
    computed again, never answered with the first host's links."""
    client, _ = _client(world)
    headers = atmosphere(token(client))
    path = "/reveal/logbook/v1/driver/99/statuscurrent"
    for host in ("127.0.0.1:8080", "fleetmock.test:9000", "127.0.0.1:8080"):
        links = client.get(path, headers={**headers, "Host": host}).json()["_links"]
        assert links["current"]["href"] == f"http://{host}/reveal{path.removeprefix('/reveal')}"


def test_a_hit_is_journaled_with_the_query_bindings_warnings(world: World) -> None:
    """A hit never reaches the query binding: its journal entry still says which parameters were ignored, as the
    answer's Fleetmock-Warning header (kept with it) does."""
    client, sim = _client(world)
    headers = bearer(client)
    answers = [client.get("/tachoshare/vehicles?cacheBuster=1", headers=headers) for _ in range(2)]
    assert answers[0].content == answers[1].content
    assert answers[0].headers["fleetmock-warning"] == answers[1].headers["fleetmock-warning"]
    entries = [e for e in sim.journal.entries() if e.path == "/tachoshare/vehicles"]
    assert [e.warnings for e in entries] == [("unknown query parameter 'cacheBuster' ignored",)] * 2
