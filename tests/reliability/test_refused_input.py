"""Bad input is a clear 4xx, never a 500, and changes nothing (issue 15, items 3 and 5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from starlette.testclient import TestClient

from mockserver.clock import MAX_ADVANCE_SECONDS, MAX_INSTANT, ClockError, ClockState, SimClock
from mockserver.simulator import Simulator

JSON = {"content-type": "application/json"}
RULE_MATCH = {"api": "tachoshare", "method": "GET", "path": "/vehicles"}


def test_the_clock_stops_at_2100_on_every_path(client: TestClient, sim: Simulator) -> None:
    before = client.get("/_sim/clock").json()
    answer = client.put("/_sim/clock", json={"now": "9999-12-31T23:59:58Z", "rate": 1})
    assert answer.status_code == 400 and "2100-01-01T00:00:00Z" in answer.json()["description"]
    assert client.put("/_sim/clock", json={"now": "9999-12-31T23:59:59-01:00"}).status_code == 400  # overflows UTC
    snapshot = client.get("/_sim/state").json()
    snapshot["clock"]["now"] = "9999-01-01T00:00:00Z"
    restored = client.put("/_sim/state", json=snapshot)
    assert restored.status_code == 400 and "2100" in restored.json()["description"]
    assert client.get("/_sim/clock").json() == before
    with pytest.raises(ClockError, match="2100"):
        SimClock(datetime(2200, 1, 1, tzinfo=UTC))
    with pytest.raises(ClockError, match="2100"):
        ClockState.from_json({"anchor": "9999-01-01T00:00:00Z", "wallAnchor": 0, "rate": 1})


def test_advance_is_bounded_and_never_passes_the_limit(client: TestClient, sim: Simulator) -> None:
    too_far = client.post("/_sim/clock/advance", json={"seconds": MAX_ADVANCE_SECONDS + 1})
    assert too_far.status_code == 400
    sim.clock.set(MAX_INSTANT.replace(year=2099, month=12, day=31))
    past = client.post("/_sim/clock/advance", json={"seconds": 2 * 86400})
    assert past.status_code == 400 and "2100" in past.json()["description"]
    assert client.get("/tachoshare/vehicles").status_code == 401  # still serving (no token), no OverflowError


def test_a_fast_clock_stops_at_the_limit() -> None:
    wall = [0.0]
    clock = SimClock(datetime(2099, 12, 31, tzinfo=UTC), rate=1_000_000, wall=lambda: wall[0])
    wall[0] = 10_000.0
    assert clock.now() == MAX_INSTANT


@pytest.mark.parametrize("body", [b'{"seconds": NaN}', b'{"seconds": Infinity}', b'{"seconds": 5}'])
def test_advance_with_odd_bodies_is_a_400(client: TestClient, body: bytes) -> None:
    headers = JSON if b"5" not in body else {}  # the last one: a JSON body sent without a content type
    answer = client.post("/_sim/clock/advance", content=body, headers=headers)
    assert answer.status_code == 400, answer.text


@pytest.mark.parametrize("path", ["/_sim/faults", "/_sim/state", "/_sim/tokens"])
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400(client: TestClient, path: str, depth: int) -> None:
    method = "PUT" if path == "/_sim/state" else "POST"
    answer = client.request(method, path, content=b"[" * depth + b"]" * depth, headers=JSON)
    assert answer.status_code == 400, answer.text[:300]


def test_an_oauth_form_of_too_many_fields_is_a_400(client: TestClient) -> None:
    form = "&".join(f"f{i}=1" for i in range(1_100))
    answer = client.post(
        "/webfleet-auth/uaa/oauth/token", content=form, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert answer.status_code == 400, answer.text


@pytest.mark.parametrize(
    ("respond", "field"),
    [
        ({"status": 200, "headers": {"X-A": "a\r\nb"}}, "X-A"),
        ({"status": 200, "headers": {"X A": "1"}}, "X A"),
        ({"status": 200, "headers": {"X-A": "€"}}, "X-A"),
        ({"status": 200, "headers": {"Transfer-Encoding": "chunked"}}, "Transfer-Encoding"),
        ({"status": 101, "body": "x"}, "status"),
        ({"status": 204, "body": "x"}, "204"),
    ],
)
def test_a_rule_that_would_break_when_it_fires_is_refused(client: TestClient, respond: dict, field: str) -> None:
    answer = client.post("/_sim/faults", json={"match": RULE_MATCH, "respond": respond})
    assert answer.status_code == 400, answer.text
    assert field in answer.json()["description"]
    assert client.get("/_sim/faults").json()["rules"] == []  # nothing installed (the list also has "matches")


@pytest.mark.parametrize("body", [{"name": "abc\n"}, {"name": "abc", "seed": 2**64}, {"name": "abc", "seed": -1}])
def test_tenant_names_and_seeds_are_checked(client: TestClient, body: dict) -> None:
    assert client.post("/_sim/tenants", json=body).status_code == 400
