"""The request journal: every request, oldest first, filterable, clearable; the fault that fired is named."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from tests.conftest import bearer


def test_entries_record_who_what_and_when(client: TestClient) -> None:
    client.delete("/_sim/journal")
    headers = bearer(client, account="acme")
    client.get("/tachoshare/vehicles", headers=headers)
    client.get("/tachoshare/vehicles/BAD?x=1", headers=headers)
    client.post("/_sim/clock/advance", json={"seconds": 60})
    entries = client.get("/_sim/journal").json()["entries"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/_sim/tokens", 200),
        ("GET", "/tachoshare/vehicles", 200),
        ("GET", "/tachoshare/vehicles/BAD", 400),
        ("POST", "/_sim/clock/advance", 200),
    ]
    api_entry = entries[1]
    assert api_entry["account"] == "acme" and api_entry["query"] == "" and api_entry["api"] == "tachoshare"
    assert entries[2]["query"] == "x=1"
    assert api_entry["operationId"] == "listVehicles" and api_entry["fault"] is None
    assert api_entry["simulatedTime"] == "2026-11-02T08:00:00Z" and api_entry["durationMs"] >= 0
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)


def test_error_bodies_carry_the_journal_trace_id(client: TestClient) -> None:
    client.delete("/_sim/journal")
    response = client.get("/tachoshare/vehicles")
    entry = client.get("/_sim/journal?status=401").json()["entries"][-1]
    assert response.json()["traceId"] == entry["traceId"]


def test_filters_and_clear(client: TestClient) -> None:
    client.delete("/_sim/journal")
    headers = bearer(client)
    for _ in range(3):
        client.get("/tachoshare/drivers", headers=headers)
    client.get("/tachoshare/companyCards")
    only_401 = client.get("/_sim/journal?status=401").json()["entries"]
    assert [e["path"] for e in only_401] == ["/tachoshare/companyCards"]
    drivers = client.get("/_sim/journal", params={"path": "/tachoshare/dri*", "limit": 2}).json()["entries"]
    assert len(drivers) == 2 and all(e["path"] == "/tachoshare/drivers" for e in drivers)
    last = drivers[-1]["seq"]
    assert [e["path"] for e in client.get(f"/_sim/journal?since={last}").json()["entries"]] == [
        "/tachoshare/companyCards"
    ]
    assert client.get("/_sim/journal?api=tachoshare&account=demo").json()["entries"][0]["account"] == "demo"
    assert client.delete("/_sim/journal").json()["cleared"] == 5
    assert client.get("/_sim/journal").json()["entries"] == []


def test_entries_carry_the_bodies_cut_at_the_limit(client: TestClient) -> None:
    from mockserver.journal import BODY_LIMIT

    client.delete("/_sim/journal")
    long_name = "t" + "é" * BODY_LIMIT  # two bytes a character: the cut falls inside one
    client.post("/_sim/tenants", json={"name": long_name})
    client.post("/_sim/clock/advance", json={"seconds": 60})
    bad, advance = client.get("/_sim/journal").json()["entries"][:2]
    assert bad["requestBody"].startswith('{"name":"t') and bad["requestBody"].endswith(" bytes in all>")
    assert len(bad["requestBody"].encode()) < BODY_LIMIT + 40
    assert json.loads(advance["requestBody"]) == {"seconds": 60}
    assert json.loads(advance["responseBody"])["now"]


def test_a_binary_body_is_named_not_kept(client: TestClient, auth: dict[str, str]) -> None:
    vin = client.get("/tachoshare/vehicles", headers=auth).json()["items"][0]["vin"]
    client.delete("/_sim/journal")
    params = {"activityDate-from": "2026-10-30", "activityDate-to": "2026-10-31"}
    binary = {**auth, "Accept": "application/octet-stream"}
    client.get(f"/tachoshare/vehicles/{vin}/files", params=params, headers=binary)
    [entry] = client.get("/_sim/journal").json()["entries"]
    assert entry["requestBody"] is None
    assert entry["responseBody"].endswith(" bytes of binary data>")
