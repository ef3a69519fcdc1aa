"""Each fault kind, observed from a real HTTP client on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from mockserver.world.identifiers import nation_hex
from tests.conftest import LiveServer

pytestmark = pytest.mark.live


def _install(live: LiveServer, rule: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(f"{live.base_url}/_sim/faults", json=rule, timeout=10)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _vehicles(live: LiveServer, token: str) -> requests.Response:
    return requests.get(
        f"{live.base_url}/tachoshare/vehicles", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def test_respond_answers_in_the_apis_own_error_shape_then_stops_after_times(live: LiveServer) -> None:
    token = live.token()
    rule = _install(
        live,
        {
            "match": {"api": "tachoshare", "method": "GET", "path": "/vehicles"},
            "times": 2,
            "respond": {"status": 503, "headers": {"X-Reason": "maintenance"}},
        },
    )
    for _ in range(2):
        response = _vehicles(live, token)
        assert response.status_code == 503 and response.headers["x-reason"] == "maintenance"
        assert set(response.json()) == {"description", "url", "traceId"}
    assert _vehicles(live, token).status_code == 200
    faults = [
        e["fault"] for e in requests.get(f"{live.base_url}/_sim/journal?api=tachoshare", timeout=10).json()["entries"]
    ]
    assert faults == [rule["id"], rule["id"], None]


def test_respond_with_a_custom_body(live: LiveServer) -> None:
    _install(
        live, {"match": {"api": "tachoshare", "path": "/drivers"}, "respond": {"status": 500, "body": {"oops": 1}}}
    )
    response = requests.get(
        f"{live.base_url}/tachoshare/drivers", headers={"Authorization": f"Bearer {live.token()}"}, timeout=10
    )
    assert response.status_code == 500 and response.json() == {"oops": 1}


def test_drop_aborts_the_connection(live: LiveServer) -> None:
    _install(live, {"match": {"api": "tachoshare", "path": "/vehicles"}, "drop": True})
    with pytest.raises(requests.ConnectionError):
        _vehicles(live, live.token())
    entry = requests.get(f"{live.base_url}/_sim/journal?api=tachoshare", timeout=10).json()["entries"][-1]
    assert entry["status"] == 0 and entry["fault"] == "fault-1"


def test_truncate_sends_half_the_promised_body(live: LiveServer) -> None:
    _install(live, {"match": {"api": "tachoshare", "path": "/vehicles"}, "truncate": True})
    with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
        _vehicles(live, live.token())


def test_trickle_delivers_the_whole_body_slowly(live: LiveServer) -> None:
    token = live.token()
    expected = _vehicles(live, token).content
    _install(
        live, {"match": {"api": "tachoshare", "path": "/vehicles"}, "trickle": {"chunkBytes": 4096, "delayMs": 100}}
    )
    began = time.monotonic()
    trickled = _vehicles(live, token)
    elapsed = time.monotonic() - began
    assert trickled.content == expected
    pauses = -(-len(expected) // 4096) - 1  # a pause between each two chunks
    assert elapsed >= pauses * 0.1  # a lower bound: the body cannot arrive sooner than its pauses allow


def _matches(live: LiveServer, rule_id: str) -> int:
    """How many requests the rule has matched so far (counted when a request arrives, before any effect runs)."""
    state = requests.get(f"{live.base_url}/_sim/state", timeout=10).json()
    return int(state["sections"]["faults"]["matches"].get(rule_id, 0))


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait for something the server reports, not for a guessed amount of time."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.01)


def test_latency_delays_without_holding_a_worker(live: LiveServer) -> None:
    token = live.token()
    rule = _install(live, {"match": {"api": "tachoshare", "path": "/vehicles"}, "latencyMs": 1500})
    slow_answered = threading.Event()
    slow_status: list[int] = []

    def slow() -> None:
        slow_status.append(_vehicles(live, token).status_code)
        slow_answered.set()

    thread = threading.Thread(target=slow)
    thread.start()
    _wait_until(lambda: _matches(live, rule["id"]) == 1, "the delayed request reached the server")
    fast = []
    for _ in range(5):  # the server keeps answering while the delayed request waits
        response = requests.get(
            f"{live.base_url}/tachoshare/drivers", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        fast.append(response.status_code)
    assert not slow_answered.is_set(), "the delayed request was answered before the five others"
    thread.join(timeout=30)
    assert fast == [200] * 5 and slow_status == [200]


def test_account_and_operation_id_matching(live: LiveServer) -> None:
    _install(
        live,
        {
            "match": {"api": "tachoshare", "operationId": "listCompanyCards", "account": "acme"},
            "respond": {"status": 418},
        },
    )
    url = f"{live.base_url}/tachoshare/companyCards"
    assert (
        requests.get(url, headers={"Authorization": f"Bearer {live.token(account='acme')}"}, timeout=10).status_code
        == 418
    )
    assert requests.get(url, headers={"Authorization": f"Bearer {live.token()}"}, timeout=10).status_code == 200


def test_truncate_promises_the_whole_length_of_a_streamed_driver_zip(live: LiveServer) -> None:
    """A driver ZIP is streamed without a length; truncated, it is answered with its whole length and cut half way."""
    driver = next(d for d in live.sim.world.accounts[0].drivers if d.downloads.first is not None)
    url = f"{live.base_url}/tachoshare/drivers/{driver.card_key}/files"
    params = {"countryCode": nation_hex(driver.country), "downloadDate-from": "2026-08-01"}
    headers = {"Authorization": f"Bearer {live.token()}", "Accept": "application/octet-stream"}
    whole = requests.get(url, params=params, headers=headers, timeout=60)
    assert whole.status_code == 200 and "content-length" not in whole.headers
    _install(live, {"match": {"api": "tachoshare", "operationId": "getDriverFiles"}, "truncate": True})
    with requests.get(url, params=params, headers=headers, stream=True, timeout=60) as cut:
        assert int(cut.headers["content-length"]) == len(whole.content)
        with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
            cut.content  # noqa: B018 - reading the body is the point
