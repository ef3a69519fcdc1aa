from __future__ import annotations

from starlette.testclient import TestClient

from mockserver.simulator import Simulator
from tests.conftest import bearer


def test_health_and_landing_page(client: TestClient) -> None:
    health = client.get("/_sim/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for text in ("demo-partner", "demo-secret", "DEMOAPPID", "/tachoshare/ui/", "fleetmanager"):
        assert text in page.text


def test_swagger_ui_and_spec_per_api(client: TestClient) -> None:
    for prefix in ("/tachoshare", "/_sim"):
        assert client.get(f"{prefix}/ui/").status_code == 200
        assert client.get(f"{prefix}/openapi.json").json()["openapi"].startswith("3.")


def test_clock_get_put_advance(client: TestClient, sim: Simulator) -> None:
    assert client.get("/_sim/clock").json() == {"now": "2026-11-02T08:00:00Z", "rate": 0}
    moved = client.put("/_sim/clock", json={"now": "2026-12-01T00:00:00Z"})
    assert moved.json() == {"now": "2026-12-01T00:00:00Z", "rate": 0}
    assert client.post("/_sim/clock/advance", json={"seconds": 3600}).json()["now"] == "2026-12-01T01:00:00Z"
    past = client.put("/_sim/clock", json={"now": "2026-11-30T00:00:00Z", "rate": 5})
    assert past.status_code == 400 and "never goes backwards" in past.json()["description"]
    assert client.get("/_sim/clock").json() == {"now": "2026-12-01T01:00:00Z", "rate": 0}
    assert client.put("/_sim/clock", json={"now": "not a date"}).status_code == 400
    assert client.put("/_sim/clock", json={"rate": -1}).status_code == 400
    assert client.post("/_sim/clock/advance", json={"seconds": -5}).status_code == 400
    assert client.put("/_sim/clock", json={"rate": 60}).json()["rate"] == 60


def test_statuses_move_when_the_clock_moves(client: TestClient) -> None:
    def statuses() -> dict[str, str]:  # a fresh token each time: a 60-day jump outlives any access token
        items = client.get("/tachoshare/vehicles", headers=bearer(client)).json()["items"]
        return {v["vin"]: v["rdlStatus"] for v in items}

    before = statuses()
    client.post("/_sim/clock/advance", json={"seconds": 60 * 86400})
    after = statuses()
    moved = {vin for vin in before if before[vin] != after[vin]}
    assert any(before[v] == "DELAYED" and after[v] == "OUTSIDE_LEGAL_COMPLIANCE" for v in moved)
    assert any(before[v] == "OK" for v in moved)  # the lock card that expires next month stops downloads


def test_reset_restores_the_start(client: TestClient, sim: Simulator) -> None:
    client.post("/_sim/clock/advance", json={"seconds": 86400})
    bearer(client)
    assert sim.store.snapshot()["sections"]["oauth"]["refreshTokens"]
    reset = client.post("/_sim/reset")
    assert reset.json()["now"] == "2026-11-02T08:00:00Z"
    assert sim.store.snapshot()["sections"]["oauth"]["refreshTokens"] == {}


def test_tokens_for_ci(client: TestClient) -> None:
    token = client.post("/_sim/tokens", json={"account": "acme", "scopes": ["tachoshare"]}).json()
    assert set(token) >= {"access_token", "refresh_token", "expires_in", "token_type", "scope"}
    assert token["token_type"] == "bearer" and token["expires_in"] > 3600
    assert client.post("/_sim/tokens").status_code == 200  # no body at all
    unknown = client.post("/_sim/tokens", json={"account": "nobody"})
    assert unknown.status_code == 400 and "nobody" in unknown.json()["description"]
    assert client.post("/_sim/tokens", json={"user": "ghost"}).status_code == 400
    assert client.post("/_sim/tokens", json={"scopes": "tachoshare"}).status_code == 400


def test_world_summary_lists_identifiers_and_credentials(client: TestClient, sim: Simulator) -> None:
    world = client.get("/_sim/world").json()
    names = [a["name"] for a in world["accounts"]]
    assert names == ["demo", "acme"]
    demo = world["accounts"][0]
    assert demo["users"][0] == {
        "username": "fleetmanager",
        "password": "demo",
        "displayName": "Fleet Manager",
        "depots": None,
        "companyCards": True,
    }
    assert {v["vin"] for v in demo["vehicles"]} == {v.vin for v in sim.world.accounts[0].vehicles}
    assert all(d["countryCode"].startswith("0x") for d in demo["drivers"])
    assert world["clients"][0] == {
        "clientId": "demo-partner",
        "secret": "demo-secret",
        "name": "Demo Partner App",
    }
