"""POST /vehicles/{vin}/rdl: refusals, the queued attempt at the next ignition, the monthly quota."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.simulator import Simulator
from mockserver.tachoshare.rules import Refusal
from tests.conftest import bearer, vehicle_by_key

REFUSING = {
    "no-rdl-service": Refusal.NOT_ENABLED,
    "expired-service": Refusal.NOT_ENABLED,
    "no-device": Refusal.NO_DEVICE,
    "disconnected": Refusal.NO_DEVICE,
    "out-of-attempts": Refusal.NO_ATTEMPTS,
    "rdl-waiting": Refusal.IN_PROGRESS,
    "scheduled-today": Refusal.SCHEDULED_TODAY,
    "up-to-date": Refusal.UP_TO_DATE,
}


def _vehicle_json(client: TestClient, vin: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.get(f"/tachoshare/vehicles/{vin}", headers=headers or bearer(client))
    assert response.status_code == 200, response.text
    item: dict[str, Any] = response.json()["items"][0]
    return item


@pytest.mark.parametrize("key", sorted(REFUSING))
def test_each_refusal_condition_is_a_409_that_names_it_and_changes_nothing(
    key: str, client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    vin = vehicle_by_key(sim, key).vin
    before = (sim.store.snapshot(), _vehicle_json(client, vin, auth))
    response = client.post(f"/tachoshare/vehicles/{vin}/rdl", headers=auth)
    assert response.status_code == 409
    assert response.json()["description"] == REFUSING[key].value
    assert (sim.store.snapshot(), _vehicle_json(client, vin, auth)) == before


def test_an_accepted_rdl_uses_one_attempt_and_runs_at_the_next_ignition(
    client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    vehicle = vehicle_by_key(sim, "ok-basic")
    before = _vehicle_json(client, vehicle.vin)
    response = client.post(f"/tachoshare/vehicles/{vehicle.vin}/rdl", headers=auth)
    assert response.status_code == 200, response.text
    after = response.json()
    assert "items" not in after and after["vin"] == vehicle.vin
    assert after["manualAttemptsRemaining"] == before["manualAttemptsRemaining"] - 1
    assert after["lastRdlAttempt"] == "2026-11-02T08:00:00Z"
    assert after["lastActivityDate"] == before["lastActivityDate"]  # nothing downloaded yet
    again = client.post(f"/tachoshare/vehicles/{vehicle.vin}/rdl", headers=auth)
    assert again.status_code == 409 and again.json()["description"] == Refusal.IN_PROGRESS.value

    ignition = vehicle.driving.ignition_at_or_after(sim.clock.now() + timedelta(seconds=1))
    sim.clock.set(ignition)
    ran = _vehicle_json(client, vehicle.vin)
    assert ran["lastRdlAttempt"] == ignition.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ran["lastActivityDate"] == (ignition.date() - timedelta(days=1)).isoformat()
    assert ran["rdlHealthStatus"] == {"result": "SUCCESS", "level": "INFO"}
    assert ran["nextScheduledDate"] == (ignition.date() + timedelta(days=28)).isoformat()
    up_to_date = client.post(f"/tachoshare/vehicles/{vehicle.vin}/rdl", headers=bearer(client))
    assert up_to_date.status_code == 409 and up_to_date.json()["description"] == Refusal.UP_TO_DATE.value


def test_a_faulty_vehicle_accepts_the_request_but_the_attempt_fails(
    client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    vehicle = vehicle_by_key(sim, "outside-compliance")
    before = _vehicle_json(client, vehicle.vin)
    assert client.post(f"/tachoshare/vehicles/{vehicle.vin}/rdl", headers=auth).status_code == 200
    sim.clock.set(vehicle.driving.ignition_at_or_after(sim.clock.now() + timedelta(seconds=1)))
    after = _vehicle_json(client, vehicle.vin)
    assert after["rdlHealthStatus"] == {"result": "TACHOGRAPH_NOT_RESPONDING", "level": "ALERT"}
    assert after["lastActivityDate"] == before["lastActivityDate"]
    assert after["rdlStatus"] == "OUTSIDE_LEGAL_COMPLIANCE"


def test_the_quota_refills_on_the_first_of_the_month(client: TestClient, sim: Simulator) -> None:
    vehicle = vehicle_by_key(sim, "ok-basic")
    used = 0
    for _ in range(12):  # request, let it run, request again the next day...
        response = client.post(f"/tachoshare/vehicles/{vehicle.vin}/rdl", headers=bearer(client))
        if response.status_code == 409:
            break
        used += 1
        sim.clock.advance(86400)
    remaining = _vehicle_json(client, vehicle.vin)["manualAttemptsRemaining"]
    assert remaining == vehicle.manual_quota - used
    assert sim.clock.now().month == 11
    sim.clock.set(sim.clock.now().replace(month=12, day=1, hour=0, minute=0))
    assert _vehicle_json(client, vehicle.vin)["manualAttemptsRemaining"] == vehicle.manual_quota


def test_rdl_errors_for_bad_input(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    assert client.post("/tachoshare/vehicles/BAD/rdl", headers=auth).status_code == 404  # any string is a VIN
    assert client.post("/tachoshare/vehicles/1M8GDM9AXKP042788/rdl", headers=auth).status_code == 404
    assert client.post("/tachoshare/vehicles/1M8GDM9AXKP042788/rdl").status_code == 401
    vin = vehicle_by_key(sim, "ok-basic").vin
    assert client.post(f"/tachoshare/vehicles/{vin}/rdl", headers=bearer(client, scopes=[])).status_code == 403
    hidden = client.post(f"/tachoshare/vehicles/{vin}/rdl", headers=bearer(client, user="dispatcher-north"))
    assert hidden.status_code == 404  # ok-basic stands in the South depot
    assert client.post(f"/tachoshare/vehicles/{vin}/rdl", headers={**auth, "Accept": "text/csv"}).status_code == 406
    assert sim.store.snapshot()["sections"]["tachoshare"] == {"rdlRequests": [], "exhausted": []}
