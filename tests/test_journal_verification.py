"""Request verification (issue 18): `POST /_sim/journal/count` and `/find` with a match object, near misses that
say what differs, fault rules with their match counts, and `Control.verify` failing with a readable diff."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mockserver.control.handle import Control
from tests.conftest import LiveServer, bearer


def _traffic(client: TestClient) -> None:
    client.delete("/_sim/journal")
    demo, acme = bearer(client), bearer(client, account="acme")
    client.post("/_sim/faults", json={"match": {"api": "tachoshare", "path": "/drivers"}, "times": 1,
                                      "respond": {"status": 503}})
    client.get("/tachoshare/vehicles", headers=demo)
    client.get("/tachoshare/vehicles/BAD?x=1", headers=demo)
    client.get("/tachoshare/vehicles", headers=acme)
    client.get("/tachoshare/drivers", headers=acme)
    client.get("/tachoshare/drivers", headers=acme)


@pytest.mark.parametrize(
    ("match", "count"),
    [
        ({}, 8),  # 2 tokens, the fault, 5 API requests
        ({"api": "tachoshare"}, 5),
        ({"api": "tachoshare", "method": "get", "path": "/tachoshare/vehicles*"}, 3),
        ({"path": "/tachoshare/vehicles/*", "status": 400, "query": "x=*"}, 1),
        ({"account": "acme", "status": 200}, 2),
        ({"operationId": "listDrivers", "fault": True}, 1),
        ({"fault": "fault-1"}, 1),
        ({"api": "tachoshare", "fault": False}, 4),
        ({"api": "reveal"}, 0),
    ],
)
def test_count_and_find_agree_on_every_field(client: TestClient, match: dict[str, object], count: int) -> None:
    _traffic(client)
    counted = client.post("/_sim/journal/count", json={"match": match})
    found = client.post("/_sim/journal/find", json={"match": match})
    assert counted.status_code == 200 and counted.json() == {"count": count}
    assert len(found.json()["entries"]) == count and "nearMisses" not in found.json()


def test_near_misses_say_what_differs_fewest_first(client: TestClient) -> None:
    _traffic(client)
    match = {"api": "tachoshare", "path": "/tachoshare/drivers", "status": 200, "account": "demo"}
    found = client.post("/_sim/journal/find", json={"match": match, "nearMisses": 2}).json()
    assert found["entries"] == []
    first, second = found["nearMisses"]
    assert first["entry"]["account"] == "acme" and first["entry"]["status"] == 200  # one field off, the newest
    assert first["mismatches"] == ["account: 'acme', wanted 'demo'"]
    assert second["entry"]["account"] == "demo"  # one field off too, older
    assert second["mismatches"] == ["path: '/tachoshare/vehicles', wanted '/tachoshare/drivers'"]


@pytest.mark.parametrize(
    ("body", "says"),
    [({"match": {"status": "ok"}}, "status"), ({"match": {"colour": "red"}}, "colour"), ({"match": []}, "match"),
     ({"match": {}, "nearMisses": -1}, "nearMisses")],
)
def test_a_bad_match_is_a_400_that_changes_nothing(client: TestClient, body: object, says: str) -> None:
    _traffic(client)
    before = client.get("/_sim/journal").json()["entries"]
    for route in ("/_sim/journal/count", "/_sim/journal/find"):
        response = client.post(route, json=body)
        assert response.status_code == 400 and says in response.json()["description"]
    after = client.get("/_sim/journal").json()["entries"]
    assert [e["seq"] for e in after if e["path"].startswith("/tachoshare")] == [
        e["seq"] for e in before if e["path"].startswith("/tachoshare")
    ]


def test_fault_rules_list_their_match_counts(client: TestClient) -> None:
    _traffic(client)
    listed = client.get("/_sim/faults").json()
    assert listed["matches"] == {"fault-1": 2}  # matched twice, fired once (times: 1)


@pytest.mark.live
def test_control_verify_passes_or_fails_with_the_nearest_misses(live: LiveServer) -> None:
    control = Control(live.base_url)
    token = control.token()
    control.session.get(f"{live.base_url}/tachoshare/vehicles", headers={"Authorization": f"Bearer {token}"})
    assert len(control.verify(api="tachoshare", path="/tachoshare/vehicles", status=200)) == 1
    assert control.count(api="tachoshare") == 1 and control.find(method="POST")[0]["path"] == "/_sim/tokens"
    control.verify(0, api="reveal")
    with pytest.raises(AssertionError) as failed:
        control.verify(2, api="tachoshare", path="/tachoshare/vehicles", status=503)
    report = str(failed.value)
    assert report.startswith("expected exactly 2 request(s) matching")
    assert "found 0" in report and "GET /tachoshare/vehicles 200 account=demo" in report
    assert "status: 200, wanted 503" in report
