"""Tenants: isolated accounts with their own credentials, created and used in parallel without seeing each other."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from starlette.testclient import TestClient

from tests.conftest import LiveServer, bearer


def test_a_tenant_has_its_own_world_and_credentials(client: TestClient) -> None:
    created = client.post("/_sim/tenants", json={"name": "job-a", "seed": 1})
    assert created.status_code == 201
    tenant = created.json()
    assert tenant["oauthClient"]["clientId"] == "job-a-client"
    assert all(u["username"].startswith("job-a.") for u in tenant["users"])
    assert tenant["reveal"]["username"].startswith("job-a.")
    mine = {
        v["vin"] for v in client.get("/tachoshare/vehicles", headers=bearer(client, account="job-a")).json()["items"]
    }
    demo = {v["vin"] for v in client.get("/tachoshare/vehicles", headers=bearer(client)).json()["items"]}
    assert mine and not mine & demo
    other = client.post("/_sim/tenants", json={"name": "job-b", "seed": 2}).json()
    theirs = {
        v["vin"] for v in client.get("/tachoshare/vehicles", headers=bearer(client, account="job-b")).json()["items"]
    }
    assert not mine & theirs and other["oauthClient"]["secret"] != tenant["oauthClient"]["secret"]
    assert [t["name"] for t in client.get("/_sim/tenants").json()["tenants"]] == ["job-a", "job-b"]


def test_same_seed_same_tenant_world(client: TestClient) -> None:
    first = client.post("/_sim/tenants", json={"name": "seeded", "seed": 99}).json()
    vins = client.get("/tachoshare/vehicles", headers=bearer(client, account="seeded")).text
    client.delete("/_sim/tenants/seeded")
    assert client.post("/_sim/tenants", json={"name": "seeded", "seed": 99}).json() == first
    assert client.get("/tachoshare/vehicles", headers=bearer(client, account="seeded")).text == vins


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "demo"}, 409, "name"),
        ({"name": "Bad Name"}, 400, "name"),
        ({}, 400, "name"),
        ({"name": "x", "seed": "s"}, 400, "seed"),
    ],
)
def test_bad_tenant_requests(client: TestClient, body: dict, status: int, field: str) -> None:
    before = client.get("/_sim/tenants").json()
    response = client.post("/_sim/tenants", json=body)
    assert response.status_code == status and field in response.json()["description"]
    assert client.get("/_sim/tenants").json() == before


def test_deleting_a_tenant_revokes_its_access(client: TestClient) -> None:
    client.post("/_sim/tenants", json={"name": "gone"})
    headers = bearer(client, account="gone")
    assert client.get("/tachoshare/drivers", headers=headers).status_code == 200
    assert client.delete("/_sim/tenants/gone").status_code == 204
    assert client.get("/tachoshare/drivers", headers=headers).status_code == 401
    assert client.delete("/_sim/tenants/gone").status_code == 404
    assert client.delete("/_sim/tenants/demo").status_code == 404


@pytest.mark.live
def test_tenants_stay_isolated_under_parallel_use(live: LiveServer) -> None:
    base = live.base_url

    def job(index: int) -> tuple[str, set[str], set[str]]:
        name = f"parallel-{index}"
        assert requests.post(f"{base}/_sim/tenants", json={"name": name, "seed": index}, timeout=30).status_code == 201
        headers = {"Authorization": f"Bearer {live.token(account=name)}"}
        vins = {
            v["vin"] for v in requests.get(f"{base}/tachoshare/vehicles", headers=headers, timeout=30).json()["items"]
        }
        vin = sorted(vins)[0]
        rdl = requests.post(f"{base}/tachoshare/vehicles/{vin}/rdl", headers=headers, timeout=30)
        assert rdl.status_code in (200, 409)
        cards = {
            c["cardNumber"]
            for c in requests.get(f"{base}/tachoshare/companyCards", headers=headers, timeout=30).json()["items"]
        }
        return name, vins, cards

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(job, range(6)))
    for i, (_, vins, cards) in enumerate(results):
        for _, other_vins, other_cards in results[i + 1 :]:
            assert not vins & other_vins and not cards & other_cards
    listed = {t["name"] for t in requests.get(f"{base}/_sim/tenants", timeout=10).json()["tenants"]}
    assert listed == {name for name, _, _ in results}
