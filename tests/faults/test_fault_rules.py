"""Fault rules: validation that names the field, seeded decisions, first N and after N."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.errors import BadRequest
from mockserver.faults import FaultBook, parse_rule
from mockserver.simulator import Simulator


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"match": {"method": "FETCH"}, "drop": True}, "match.method"),
        ({"match": {"api": "nope"}, "drop": True}, "match.api"),
        ({"respond": {"status": 99}}, "respond.status"),
        ({"probability": 2, "drop": True}, "probability"),
        ({"drop": True, "truncate": True}, "exactly one effect"),
        ({"match": {}}, "exactly one effect"),
        ({"drop": True, "colour": "red"}, "colour"),
    ],
)
def test_a_bad_rule_is_a_400_naming_the_field(client: TestClient, sim: Simulator, rule: dict, field: str) -> None:
    response = client.post("/_sim/faults", json=rule)
    assert response.status_code == 400
    assert field in response.json()["description"]
    assert sim.faults.rules == []


def _decisions(seed: int, rule: dict, n: int) -> list[bool]:
    book = FaultBook()
    book.add(parse_rule(rule))
    return [book.decide(seed, "tachoshare", "GET", "/vehicles", "listVehicles", "demo") is not None for _ in range(n)]


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    probability=st.floats(0, 1),
    times=st.none() | st.integers(1, 20),
    after=st.none() | st.integers(0, 20),
)
def test_decisions_are_deterministic_and_respect_times_and_after(
    seed: int, probability: float, times: int | None, after: int | None
) -> None:
    rule = {
        "probability": probability,
        "drop": True,
        **({"times": times} if times else {}),
        **({"after": after} if after is not None else {}),
    }
    first = _decisions(seed, rule, 60)
    assert first == _decisions(seed, rule, 60)
    fired_at = [i + 1 for i, fired in enumerate(first) if fired]
    assert all(n <= times for n in fired_at) if times else True
    assert all(n > after for n in fired_at) if after is not None else True
    if probability == 1:
        lo, hi = (after or 0) + 1, min(60, times) if times else 60
        assert fired_at == list(range(lo, hi + 1))
    if probability == 0:
        assert fired_at == []


def test_probability_fires_about_as_often_as_asked() -> None:
    fired = sum(_decisions(7, {"probability": 0.3, "drop": True}, 2000))
    assert 500 < fired < 700


def test_rules_survive_a_snapshot_round_trip() -> None:
    book = FaultBook()
    book.add(parse_rule({"match": {"api": "reveal", "path": "/logbook/*"}, "latencyMs": 5, "after": 2}))
    assert FaultBook.from_json(book.to_json()).to_json() == book.to_json()
    with pytest.raises(BadRequest, match=r"faults\.rules\.0\.latencyMs"):
        FaultBook.from_json({"rules": [{"latencyMs": -1}]})


def test_delete_and_clear(client: TestClient) -> None:
    rule = client.post("/_sim/faults", json={"drop": True}).json()
    assert client.get("/_sim/faults").json()["rules"] == [rule]
    assert client.delete(f"/_sim/faults/{rule['id']}").status_code == 204
    assert client.delete(f"/_sim/faults/{rule['id']}").status_code == 404
    client.post("/_sim/faults", json={"drop": True})
    assert client.delete("/_sim/faults").status_code == 204
    assert client.get("/_sim/faults").json() == {"rules": [], "matches": {}}
