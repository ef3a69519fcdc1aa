"""GET /vehicles, /vehicles/{vin}, /drivers, /companyCards, /companyCardGroups over HTTP (in-process)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.simulator import Simulator
from tests.conftest import bearer

OPTIONAL_VEHICLE_FIELDS = {
    "licensePlate",
    "lastActivityDate",
    "firstAvailableActivityDate",
    "nextScheduledDate",
    "lastRdlAttempt",
    "rdlHealthStatus",
    "lockedCompanyCardNumber",
    "lastActivityExportedDate",
    "tachographModel",
}


def _items(client: TestClient, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(f"/tachoshare{path}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    items = response.json()["items"]
    assert isinstance(items, list)
    return items


def test_optional_fields_are_absent_never_null(client: TestClient, auth: dict[str, str]) -> None:
    for path in ("/vehicles", "/drivers", "/companyCards", "/companyCardGroups"):
        for item in _items(client, path, auth):
            assert None not in item.values(), (path, item)
    vehicles = _items(client, "/vehicles", auth)
    without_data = [v for v in vehicles if v["rdlStatus"] == "NEVER_DOWNLOADED"]
    assert without_data and all("licensePlate" not in v and "lastActivityDate" not in v for v in without_data)
    stopped = [v for v in vehicles if v["rdlStatus"] in ("DISCONNECTED", "EXPIRED")]
    assert len(stopped) == 2 and all("nextScheduledDate" not in v for v in stopped)
    for field in OPTIONAL_VEHICLE_FIELDS:
        assert any(field in v for v in vehicles) and any(field not in v for v in vehicles), field


def test_single_vehicle_is_wrapped_like_the_list(client: TestClient, auth: dict[str, str]) -> None:
    vehicles = _items(client, "/vehicles", auth)
    for vehicle in vehicles[:5]:
        assert _items(client, f"/vehicles/{vehicle['vin']}", auth) == [vehicle]


def test_restricted_user_sees_only_its_depot_and_no_company_cards(
    client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    restricted = bearer(client, user="dispatcher-north")
    account = sim.world.account("demo")
    assert account is not None
    north = {v.vin for v in account.vehicles if v.depot == "North"}
    seen = {v["vin"] for v in _items(client, "/vehicles", restricted)}
    assert seen == north and len(seen) < len(_items(client, "/vehicles", auth))
    hidden = next(v.vin for v in account.vehicles if v.depot != "North")
    assert client.get(f"/tachoshare/vehicles/{hidden}", headers=restricted).status_code == 404
    assert _items(client, "/companyCards", restricted) == []
    assert _items(client, "/companyCardGroups", restricted) == []
    north_drivers = {d.card_key for d in account.drivers if d.depot == "North"}
    assert {d["cardNumber"] for d in _items(client, "/drivers", restricted)} == north_drivers


def test_accounts_are_isolated(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    acme = bearer(client, account="acme")
    demo_vins = {v["vin"] for v in _items(client, "/vehicles", auth)}
    acme_vins = {v["vin"] for v in _items(client, "/vehicles", acme)}
    assert demo_vins and acme_vins and not demo_vins & acme_vins
    some_demo_vin = sorted(demo_vins)[0]
    assert client.get(f"/tachoshare/vehicles/{some_demo_vin}", headers=acme).status_code == 404
    acme_cards = {c["cardNumber"] for c in _items(client, "/companyCards", acme)}
    assert not acme_cards & {c["cardNumber"] for c in _items(client, "/companyCards", auth)}


def test_groups_count_the_vehicles_their_cards_lock(client: TestClient, auth: dict[str, str]) -> None:
    vehicles = _items(client, "/vehicles", auth)
    cards = _items(client, "/companyCards", auth)
    for group in _items(client, "/companyCardGroups", auth):
        locked = sum(1 for v in vehicles if v.get("lockedCompanyCardNumber", "")[:13] == group["name"])
        valid = [
            c
            for c in cards
            if c["cardNumber"][:13] == group["name"] and c["status"] in ("OK", "NEAR_EXPIRATION", "PENDING_INSERTION")
        ]
        usable = [c for c in valid if c["status"] != "PENDING_INSERTION"]
        assert group.get("vehiclesLockedCount") == (locked if valid else None)
        assert ("occupationPct" in group) == bool(usable)


def test_dates_follow_the_documented_formats(client: TestClient, auth: dict[str, str]) -> None:
    text = client.get("/tachoshare/vehicles", headers=auth).text
    for vehicle in json.loads(text)["items"]:
        if "lastRdlAttempt" in vehicle:
            assert vehicle["lastRdlAttempt"].endswith("Z") and len(vehicle["lastRdlAttempt"]) == 20
        for key in ("lastActivityDate", "nextScheduledDate", "firstAvailableActivityDate"):
            if key in vehicle:
                assert len(vehicle[key]) == 10


@pytest.mark.parametrize("path", ["/vehicles", "/drivers", "/companyCards", "/companyCardGroups"])
def test_accept_that_excludes_json_is_406(client: TestClient, auth: dict[str, str], path: str) -> None:
    response = client.get(f"/tachoshare{path}", headers={**auth, "Accept": "application/xml"})
    assert response.status_code == 406
    assert set(response.json()) == {"description", "url", "traceId"}
    for accept in ("application/json", "*/*", "application/*", "text/html, application/json;q=0.5"):
        assert client.get(f"/tachoshare{path}", headers={**auth, "Accept": accept}).status_code == 200
    assert client.get(f"/tachoshare{path}", headers={**auth, "Accept": "application/json;q=0"}).status_code == 406
