"""GET /_sim/state, mutate, PUT it back: the same answers, byte for byte; bad snapshots change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.simulator import Simulator
from tests.conftest import bearer, vehicle_by_key

PATHS = ("/tachoshare/vehicles", "/tachoshare/drivers", "/tachoshare/companyCards", "/tachoshare/companyCardGroups")


def _answers(client: TestClient, headers: dict[str, str]) -> list[bytes]:
    return [client.get(path, headers=headers).content for path in PATHS] + [
        client.get("/_sim/faults").content,
        client.get("/_sim/ratelimits").content,
        client.get("/_sim/clock").content,
    ]


def test_snapshot_mutate_restore_gives_identical_answers(
    client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    client.post("/_sim/clock/advance", json={"seconds": 3 * 86400})
    client.post(f"/tachoshare/vehicles/{vehicle_by_key(sim, 'ok-basic').vin}/rdl", headers=auth)
    client.post("/_sim/faults", json={"match": {"api": "reveal"}, "latencyMs": 1})
    snapshot = client.get("/_sim/state").json()
    auth = bearer(client)  # JWTs are stateless: valid again once the clock is back
    before = _answers(client, auth)

    client.post(f"/tachoshare/vehicles/{vehicle_by_key(sim, 'ok-plus').vin}/rdl", headers=auth)
    client.post("/_sim/clock/advance", json={"seconds": 40 * 86400})
    client.post("/_sim/faults", json={"match": {"api": "oauth"}, "drop": True})
    client.put("/_sim/ratelimits", json={"rules": [{"api": "reveal", "rate": 1, "burst": 1}]})
    assert _answers(client, auth) != before

    restored = client.put("/_sim/state", json=snapshot)
    assert restored.status_code == 200
    assert restored.json() == snapshot
    assert _answers(client, auth) == before
    assert {k: v for k, v in client.get("/_sim/state").json().items() if k != "sections"} == {
        k: v for k, v in snapshot.items() if k != "sections"
    }


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda s: s.update(version=2), "newer"),
        (lambda s: s["sections"].update(mystery={}), "unknown state sections"),
        (lambda s: s.update(clock={"now": "not a time", "rate": 0}), "clock"),
        (lambda s: s.update(clock={"now": "2026-11-02T08:00:00Z", "rate": -1}), "rate"),
        (lambda s: s["sections"]["faults"].update(rules=[{"drop": "yes"}]), "faults.rules.0.drop"),
        (lambda s: s.pop("sections"), "sections"),
    ],
)
def test_a_bad_snapshot_is_refused_and_changes_nothing(
    client: TestClient, auth: dict[str, str], mutation: Any, message: str
) -> None:
    client.post("/_sim/faults", json={"match": {"api": "reveal"}, "latencyMs": 1})
    snapshot = client.get("/_sim/state").json()
    before = _answers(client, auth)
    mutation(snapshot)
    response = client.put("/_sim/state", json=snapshot)
    assert response.status_code == 400
    assert message in response.json()["description"]
    assert _answers(client, auth) == before
