"""Forty simultaneous manual RDL requests for one vehicle, over real HTTP: exactly one is accepted."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.conftest import LiveServer, vehicle_by_key

pytestmark = pytest.mark.live


def test_exactly_one_of_forty_parallel_requests_succeeds(live: LiveServer) -> None:
    vin = vehicle_by_key(live.sim, "ok-basic").vin
    headers = {"Authorization": f"Bearer {live.token()}"}
    url = f"{live.base_url}/tachoshare/vehicles/{vin}"
    before = requests.get(url, headers=headers, timeout=10).json()["items"][0]["manualAttemptsRemaining"]
    barrier = threading.Barrier(40)
    statuses: list[int] = []
    lock = threading.Lock()

    def fire() -> None:
        with requests.Session() as session:
            barrier.wait()
            status = session.post(f"{url}/rdl", headers=headers, timeout=30).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=fire) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] + [409] * 39
    after = requests.get(url, headers=headers, timeout=10).json()["items"][0]["manualAttemptsRemaining"]
    assert after == before - 1
    assert len(live.sim.store.snapshot()["sections"]["tachoshare"]["rdlRequests"][0]["at"]) == 1
