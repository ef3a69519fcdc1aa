"""PostgreSQL restarting, and an instance killed with -9: 503 with Retry-After, self-recovery, nothing lost."""

from __future__ import annotations

import signal
import time

import requests

from tests.pg.pgharness import PgServer, start_instances, stop_instances
from tests.pg.test_multi_instance import _bearer, _vin


def _until_ok(url: str, headers: dict[str, str], within: float) -> float:
    """Seconds until `url` answers 200 again."""
    began = time.monotonic()
    while time.monotonic() - began < within:
        if requests.get(url, headers=headers, timeout=5).status_code == 200:
            return time.monotonic() - began
        time.sleep(0.1)
    raise AssertionError(f"{url} did not recover within {within} s")


def test_a_database_restart_answers_503_then_recovers_and_an_instance_killed_with_9_loses_nothing(
    pg: PgServer,
) -> None:
    a, b = start_instances(pg.create_database(), 2)
    try:
        headers = _bearer(a.base)
        rdl = f"/tachoshare/vehicles/{_vin('ok-basic')}/rdl"
        assert requests.post(a.base + rdl, headers=headers, timeout=10).status_code == 200  # acknowledged
        pg.stop("fast")
        try:
            for base in (a.base, b.base):
                for path in ("/tachoshare/vehicles", rdl, "/_sim/clock"):
                    began = time.monotonic()
                    down = requests.request("POST" if path == rdl else "GET", base + path, headers=headers, timeout=10)
                    assert down.status_code == 503, down.text
                    assert int(down.headers["Retry-After"]) >= 1
                    assert "unavailable" in down.json()["description"]
                    assert time.monotonic() - began < 3  # never a hang
        finally:
            pg.start()
        for base in (a.base, b.base):
            _until_ok(f"{base}/tachoshare/vehicles", headers, within=10)
            assert requests.post(base + rdl, headers=headers, timeout=10).status_code == 409  # the RDL was kept
        rule = {"match": {"api": "tachoshare", "method": "GET", "path": "/vehicles"}, "respond": {"status": 418}}
        assert requests.post(f"{b.base}/_sim/faults", json=rule, timeout=10).status_code in (200, 201)
        b.process.send_signal(signal.SIGKILL)
        b.process.wait(timeout=10)
        assert requests.get(f"{a.base}/tachoshare/vehicles", headers=headers, timeout=10).status_code == 418
        journal = requests.get(f"{a.base}/_sim/journal", params={"path": "/_sim/faults"}, timeout=10).json()
        assert [e["method"] for e in journal["entries"]] == ["POST"]  # B's request, journaled before its answer
    finally:
        stop_instances([a, b])
