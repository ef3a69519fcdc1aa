"""Every named scenario applies and has the effect it describes; a bad scenario is refused and changes nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from mockserver import scenarios
from mockserver.errors import BadRequest
from mockserver.simulator import Simulator
from tests.conftest import bearer

REQUIRED = {"rate-limited", "flaky-network", "token-expiry", "generation-change", "out-of-attempts", "compliance-drift"}


def test_the_required_scenarios_exist_with_descriptions() -> None:
    found = scenarios.available()
    assert set(found) >= REQUIRED
    assert all(len(s.description) > 40 for s in found.values())


def test_rate_limited(client: TestClient) -> None:
    assert client.post("/_sim/scenarios/rate-limited").json() == {"name": "rate-limited", "applied": ["rateLimits"]}
    headers = bearer(client)
    statuses = [client.get("/tachoshare/drivers", headers=headers).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]


def test_flaky_network_installs_seeded_faults(client: TestClient, sim: Simulator) -> None:
    client.post("/_sim/scenarios/flaky-network")
    effects = {r.effect for r in sim.faults.rules}
    assert effects == {"drop", "truncate", "latency_ms", "trickle", "respond"}
    assert all(r.probability for r in sim.faults.rules)


def test_token_expiry_speeds_up_the_clock(client: TestClient, sim: Simulator) -> None:
    client.post("/_sim/scenarios/token-expiry")
    assert sim.clock.rate == 60
    assert any(r.respond and r.respond.status == 401 for r in sim.faults.rules)


def test_generation_change_retrofits_units(client: TestClient, sim: Simulator) -> None:
    today = sim.clock.now().date()
    before = {v.vin: v.generation_on(today) for v in sim.default_account.vehicles}
    client.post("/_sim/scenarios/generation-change")
    after = {v.vin: v.generation_on(today) for v in sim.default_account.vehicles}
    changed = [vin for vin in before if before[vin] != after[vin]]
    assert len(changed) == 3 and all(after[vin].value == "gen2v2" for vin in changed)
    snapshot = client.get("/_sim/state").json()
    client.post("/_sim/reset")
    assert {v.vin: v.generation_on(today) for v in sim.default_account.vehicles} == before
    client.put("/_sim/state", json=snapshot)  # the patches are state: a restore brings them back
    assert {v.vin: v.generation_on(today) for v in sim.default_account.vehicles} == after


def test_out_of_attempts(client: TestClient) -> None:
    client.post("/_sim/scenarios/out-of-attempts")
    vehicles = client.get("/tachoshare/vehicles", headers=bearer(client)).json()["items"]
    exhausted = [v for v in vehicles if v["manualAttemptsRemaining"] == 0]
    assert len(exhausted) >= 5
    response = client.post(f"/tachoshare/vehicles/{exhausted[0]['vin']}/rdl", headers=bearer(client))
    assert response.status_code == 409


def test_compliance_drift(client: TestClient, sim: Simulator) -> None:
    client.post("/_sim/scenarios/compliance-drift")
    assert sim.clock.rate == 3600
    sim.clock.set(rate=0)
    client.post("/_sim/clock/advance", json={"seconds": 100 * 86400})
    statuses = [v["rdlStatus"] for v in client.get("/tachoshare/vehicles", headers=bearer(client)).json()["items"]]
    assert statuses.count("OUTSIDE_LEGAL_COMPLIANCE") >= 8


def test_unknown_and_bad_scenarios(client: TestClient, sim: Simulator) -> None:
    assert client.post("/_sim/scenarios/nope").status_code == 404
    with pytest.raises(BadRequest, match=r"scenario bad: retrofit\.vehicles"):
        scenarios.parse_scenario("bad", {"retrofit": {"vehicles": 0}})
    with pytest.raises(BadRequest, match=r"scenario bad: faults\.0\.match\.api"):
        scenarios.parse_scenario("bad", {"faults": [{"match": {"api": "x"}, "drop": True}]})
    with pytest.raises(BadRequest, match="unknown step"):
        scenarios.parse_scenario("bad", {"earthquake": {}})
    assert sim.faults.rules == []


def test_cli_lists_the_scenarios() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mockserver", "scenario", "list"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for name in REQUIRED:
        assert name in result.stdout
