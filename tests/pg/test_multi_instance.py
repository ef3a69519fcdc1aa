"""Three real `fleetmock serve` instances on one PostgreSQL database answer as one simulator, exactly (issue 12)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import yaml

from mockserver.resources import default_world_path
from mockserver.world import load_world
from tests.pg.pgharness import Instance, PgServer, start_instances, stop_instances


@pytest.fixture(scope="module")
def trio(pg: PgServer) -> Iterator[list[Instance]]:
    instances = start_instances(pg.create_database(), 3)
    try:
        yield instances
    finally:
        stop_instances(instances)


@pytest.fixture
def bases(trio: list[Instance]) -> list[str]:
    assert requests.post(f"{trio[1].base}/_sim/reset", timeout=10).status_code == 200
    return [instance.base for instance in trio]


def _bearer(base: str) -> dict[str, str]:
    token = requests.post(f"{base}/_sim/tokens", json={}, timeout=10).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _vin(key: str) -> str:
    """A vehicle of the demo account by its key in fixtures/default.yaml."""
    keys = [v["key"] for v in yaml.safe_load(default_world_path().read_text())["accounts"][0]["vehicles"]]
    account = load_world(None).account("demo")
    assert account is not None
    return account.vehicles[keys.index(key)].vin


def _parallel(calls: list[tuple[str, str, dict[str, str]]]) -> list[int]:
    def one(call: tuple[str, str, dict[str, str]]) -> int:
        method, url, headers = call
        return requests.request(method, url, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


def test_forty_parallel_rdl_requests_over_three_instances_give_exactly_one_200(bases: list[str]) -> None:
    headers = _bearer(bases[0])
    vin = _vin("ok-basic")
    url = f"/tachoshare/vehicles/{vin}"
    before = requests.get(bases[2] + url, headers=headers, timeout=10).json()["items"][0]["manualAttemptsRemaining"]
    statuses = _parallel(
        [("POST", f"{base}{url}/rdl", headers) for base in itertools.islice(itertools.cycle(bases), 40)]
    )
    assert sorted(statuses) == [200] + [409] * 39
    for base in bases:
        after = requests.get(base + url, headers=headers, timeout=10).json()["items"][0]["manualAttemptsRemaining"]
        assert after == before - 1


def test_a_rule_with_times_3_fires_three_times_across_instances(bases: list[str]) -> None:
    rule = {"match": {"api": "tachoshare", "method": "GET", "path": "/vehicles"}, "times": 3,
            "respond": {"status": 503}}  # fmt: skip
    assert requests.post(f"{bases[0]}/_sim/faults", json=rule, timeout=10).status_code in (200, 201)
    headers = _bearer(bases[1])
    statuses = _parallel([("GET", f"{base}/tachoshare/vehicles", headers) for base in bases * 6])
    assert sorted(statuses) == [200] * 15 + [503] * 3


def test_a_bucket_of_n_allows_n_across_instances(bases: list[str]) -> None:
    limits = {"rules": [{"api": "tachoshare", "per": "account", "rate": 0.001, "burst": 7}]}
    assert requests.put(f"{bases[2]}/_sim/ratelimits", json=limits, timeout=10).status_code == 200
    headers = _bearer(bases[0])
    statuses = _parallel([("GET", f"{base}/tachoshare/vehicles", headers) for base in bases * 8])
    assert sorted(statuses) == [200] * 7 + [429] * 17
    for base in bases:  # every instance shows the shared bucket, emptied by the requests of all three
        buckets = requests.get(f"{base}/_sim/ratelimits", timeout=10).json()["buckets"]
        assert [(b["api"], b["per"], b["burst"]) for b in buckets] == [("tachoshare", "account", 7)]
        assert buckets[0]["tokens"] < 1


def test_the_journal_seen_from_any_instance_holds_every_request_in_order(bases: list[str]) -> None:
    headers = _bearer(bases[0])
    requests.delete(f"{bases[0]}/_sim/journal", timeout=10)
    sent = []
    for n, base in enumerate(bases * 4):
        path = f"/tachoshare/vehicles/NOSUCHVIN{n:04d}"
        requests.get(base + path, headers=headers, timeout=10)
        sent.append(path)
    for base in bases:
        entries = requests.get(f"{base}/_sim/journal", params={"api": "tachoshare"}, timeout=10).json()["entries"]
        assert [e["path"] for e in entries] == sent
        assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
        assert len({e["traceId"] for e in entries}) == len(sent)


def test_advance_and_reset_on_one_instance_are_seen_by_every_other_at_once(bases: list[str]) -> None:
    headers = _bearer(bases[0])
    url = f"/tachoshare/vehicles/{_vin('ok-basic')}"
    for _ in range(2):  # warm every instance's read cache
        before = [requests.get(base + url, headers=headers, timeout=10).json() for base in bases]
    assert requests.post(f"{bases[0]}{url}/rdl", headers=headers, timeout=10).status_code == 200
    after = [requests.get(base + url, headers=headers, timeout=10).json() for base in bases]
    assert after[0] == after[1] == after[2] != before[0]  # no instance answered from its read cache
    moved = requests.post(f"{bases[0]}/_sim/clock/advance", json={"seconds": 600}, timeout=10).json()
    for base in bases[1:]:
        assert requests.get(f"{base}/_sim/clock", timeout=10).json()["now"] == moved["now"]
    tenant = requests.post(f"{bases[2]}/_sim/tenants", json={"name": "pg-tenant"}, timeout=10)
    assert tenant.status_code in (200, 201)
    assert any(a["name"] == "pg-tenant" for a in requests.get(f"{bases[0]}/_sim/world", timeout=10).json()["accounts"])
    requests.post(f"{bases[1]}/_sim/reset", timeout=10)
    for base in bases:
        assert requests.get(f"{base}/_sim/clock", timeout=10).json()["now"] < moved["now"]
        assert all(a["name"] != "pg-tenant" for a in requests.get(f"{base}/_sim/world", timeout=10).json()["accounts"])
        assert requests.get(base + url, headers=_bearer(base), timeout=10).json() == before[0]
