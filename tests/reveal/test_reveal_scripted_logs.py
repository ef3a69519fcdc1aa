"""`PUT /_sim/reveal/drivers/{driverNumber}/log`: scripted HOS situations agree with `fleetmock hos clocks` and
the public vectors; bad input gets its documented status and leaves the state unchanged."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.cli import main as fleetmock
from mockserver.reveal.hos import parse_utc
from mockserver.simulator import Simulator
from tests.reveal.reveal_support import LOGBOOK, atmosphere, scripted_logs, token

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "hos" / "data" / "hos-vectors-public.json").read_text()
)
SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

# (carrier, cycle days, short haul) -> (account, driver, user, password, app id) of the default world
DRIVER_FOR_RULES = {
    ("property", 8, False): ("demo", "99", "demo", "demo", "DEMOAPPID"),
    ("property", 7, False): ("demo", "101", "demo", "demo", "DEMOAPPID"),
    ("passenger", 8, False): ("demo", "102", "demo", "demo", "DEMOAPPID"),
    ("property", 7, True): ("demo", "103", "demo", "demo", "DEMOAPPID"),
    ("passenger", 7, False): ("acme", "7002", "acme-reveal", "acme", "ACMEAPPID"),
    ("property", 8, True): ("acme", "7003", "acme-reveal", "acme", "ACMEAPPID"),
}
CLI_FLAGS = {
    ("property", 8, False): ["--cycle-days", "8"],
    ("property", 7, False): ["--cycle-days", "7"],
    ("passenger", 8, False): ["--cycle-days", "8", "--passenger"],
    ("property", 7, True): ["--cycle-days", "7", "--short-haul"],
}


def _rules(options: dict[str, Any]) -> tuple[str, int, bool]:
    return (
        options.get("carrierType", "property"),
        options.get("ruleCycleDays", 8),
        bool(options.get("shortHaulException")),
    )


def _shift(stamp: str, delta: timedelta) -> str:
    return (parse_utc(stamp) + delta).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _remaining(client: TestClient, account: str, number: str, user: str, password: str, app_id: str) -> Any:
    headers = atmosphere(token(client, user, password), app_id)
    response = client.get(f"{LOGBOOK}/{number}/remainingtime", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _check_hours(body: Any, clocks: dict[str, Any]) -> None:
    hours = body["HoursAgainstRuleSet"]
    assert round(hours["DrivingLeftForToday"] * 60) == min(clocks["driveLeft"], clocks["windowLeft"])
    assert round(hours["CycleTimeLeft"] * 60) == clocks["cycleLeft"]


USABLE = [v for v in VECTORS if not v.get("options", {}).get("adverseDrivingConditions")]


def test_every_vector_without_adverse_conditions_has_a_driver() -> None:
    assert len(USABLE) >= 15
    assert all(_rules(v.get("options", {})) in DRIVER_FOR_RULES for v in USABLE)


@pytest.mark.parametrize("vector", USABLE, ids=[v["id"] for v in USABLE])
def test_public_vectors_through_the_api(client: TestClient, sim: Simulator, vector: dict[str, Any]) -> None:
    account, number, user, password, app_id = DRIVER_FOR_RULES[_rules(vector.get("options", {}))]
    query = parse_utc(vector["queryUtc"])
    days = math.ceil((sim.clock.now() - query) / timedelta(days=1))
    delta = timedelta(days=max(days, 0))  # whole days keep the 00:00 UTC day start of the vectors
    sim.clock.set(query + delta)
    events = [[_shift(e[0], delta), *e[1:]] for e in vector["events"]]
    response = client.put(f"/_sim/reveal/drivers/{number}/log", params={"account": account}, json=events)
    assert response.status_code == 200, response.text
    assert response.json()["clocks"] == vector["expectedMinutes"]
    _check_hours(_remaining(client, account, number, user, password, app_id), vector["expectedMinutes"])


@settings(max_examples=15, deadline=None, suppress_health_check=SUPPRESS)
@given(data=st.data(), rules=st.sampled_from(sorted(CLI_FLAGS)))
def test_remainingtime_after_a_put_equals_fleetmock_hos_clocks(
    client: TestClient,
    sim: Simulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: st.DataObject,
    rules: tuple[str, int, bool],
) -> None:
    sim.reset()
    now = sim.clock.now()
    events = data.draw(scripted_logs(now))
    account, number, user, password, app_id = DRIVER_FOR_RULES[rules]
    put = client.put(f"/_sim/reveal/drivers/{number}/log", json=events)
    assert put.status_code == 200, put.text
    log_file = tmp_path / "log.json"
    log_file.write_text(json.dumps(events))
    capsys.readouterr()
    assert fleetmock(["hos", "clocks", "--log", str(log_file), "--at", now.isoformat(), *CLI_FLAGS[rules]]) == 0
    clocks = json.loads(capsys.readouterr().out)
    assert put.json()["clocks"] == clocks
    body = _remaining(client, account, number, user, password, app_id)
    _check_hours(body, clocks)
    last = max(parse_utc(e[0]) for e in events)
    assert body["LastStatusDateTimeUTC"].startswith(last.strftime("%Y-%m-%dT%H:%M:%S"))


def test_a_scripted_log_takes_effect_as_the_clock_reaches_it(client: TestClient, sim: Simulator) -> None:
    now = sim.clock.now()
    stamps = [now - timedelta(hours=12), now + timedelta(minutes=30), now + timedelta(hours=2)]
    events = [
        [stamps[0].isoformat(), "OFF"],
        [stamps[1].isoformat(), "ON", "Inspection"],
        [stamps[2].isoformat(), "D"],
    ]
    assert client.put("/_sim/reveal/drivers/99/log", json=events).status_code == 200
    headers = atmosphere(token(client))
    seen = []
    for _ in range(6):
        body = client.get(f"{LOGBOOK}/99/statuscurrent", headers=headers).json()
        seen.append((body["Status"], body["SubStatus"], body["ModifiedBy"]))
        sim.clock.advance(30 * 60)
        headers = atmosphere(token(client))
    assert [s[0] for s in seen] == ["OffDuty", "OnDutyNotDriving", "OnDutyNotDriving", "OnDutyNotDriving"] + [
        "OnDutyDriving"
    ] * 2
    assert seen[1][1] == "OnDutyNotDrivingInspection"
    assert all(s[2] == "fleetmock control plane (scripted log)" for s in seen)
    # A reset brings the generated log back.
    sim.reset()
    body = client.get(f"{LOGBOOK}/99/statuscurrent", headers=atmosphere(token(client))).json()
    assert body["ModifiedBy"] == "David Christensen"


def _state(sim: Simulator) -> Any:
    return sim.store.snapshot()


@pytest.mark.parametrize(
    ("body", "query", "status", "fragment"),
    [
        ([], "", 400, "at least one event"),
        ({"log": []}, "", 400, "not of type 'array'"),
        ([["2026-11-01T00:00:00Z", "OFF"], ["bad", "OFF"]], "", 400, "event 1: not an ISO 8601 timestamp"),
        (
            [["2026-11-01T00:00:00Z", "OFF"], ["2026-11-01T01:00:00Z", "Flying"]],
            "",
            400,
            "event 1: unknown duty status",
        ),
        ([["2026-11-01T00:00:00Z", "D", "Loading"]], "", 400, "event 0: unknown sub-status"),
        (
            [["2026-11-01T00:00:00Z", "ON", "30MinBreak"]],
            "",
            400,
            "event 0: unknown sub-status '30MinBreak' for status OnDutyNotDriving",
        ),
        ([["2026-11-01T00:00:00Z"]], "", 400, "event 0: expected [timestampUtc, status]"),
        ([["1999-12-31T00:00:00Z", "OFF"]], "", 400, "event 0: timestamp"),
        ([["2099-01-01T00:00:00Z", "OFF"]], "", 400, "at or before the simulated now"),
        ([["2026-11-01T00:00:00Z", "OFF"]], "?account=nobody", 404, "unknown account"),
        ([["2026-11-01T00:00:00Z", "OFF"]], "?account=acme", 404, "no Reveal driver '99' in account 'acme'"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    client: TestClient, sim: Simulator, body: Any, query: str, status: int, fragment: str
) -> None:
    headers = atmosphere(token(client))
    current = client.get(f"{LOGBOOK}/99/statuscurrent", headers=headers).json()
    before = _state(sim)
    response = client.put(f"/_sim/reveal/drivers/99/log{query}", json=body)
    assert response.status_code == status
    assert fragment in response.json()["description"]
    assert _state(sim) == before
    assert client.get(f"{LOGBOOK}/99/statuscurrent", headers=headers).json() == current


def test_an_unknown_driver_is_404(client: TestClient) -> None:
    response = client.put("/_sim/reveal/drivers/nobody/log", json=[["2026-11-01T00:00:00Z", "OFF"]])
    assert response.status_code == 404
    assert "no Reveal driver 'nobody' in any account" in response.json()["description"]


def test_a_scripted_log_survives_a_state_snapshot(client: TestClient, sim: Simulator) -> None:
    events = [["2026-11-01T00:00:00Z", "OFF"], ["2026-11-02T06:00:00Z", "D"]]
    assert client.put("/_sim/reveal/drivers/101/log", json=events).status_code == 200
    snapshot = sim.store.snapshot()
    headers = atmosphere(token(client))
    scripted = client.get(f"{LOGBOOK}/101/remainingtime", headers=headers).json()
    sim.store.reset()
    generated = client.get(f"{LOGBOOK}/101/remainingtime", headers=headers).json()  # tokens are stateless
    assert generated["LastStatusDateTimeUTC"] != scripted["LastStatusDateTimeUTC"]
    sim.store.restore(json.loads(json.dumps(snapshot)))
    assert client.get(f"{LOGBOOK}/101/remainingtime", headers=headers).json() == scripted
    assert snapshot["sections"]["reveal"]["logs"][0]["events"] == [
        ["2026-11-01T00:00:00Z", "OffDuty"],
        ["2026-11-02T06:00:00Z", "OnDutyDriving"],
    ]


def test_the_world_summary_lists_reveal_drivers_and_users(client: TestClient) -> None:
    accounts = {a["name"]: a for a in client.get("/_sim/world").json()["accounts"]}
    drivers = {d["driverNumber"]: d for d in accounts["demo"]["revealDrivers"]}
    assert drivers["99"]["profile"] == "long-haul" and drivers["99"]["ruleCycle"] == 8
    assert drivers["99"]["vehicleNumber"] == "85" and drivers["105"]["vehicleNumber"] is None
    assert drivers["102"]["carrier"] == "passenger" and drivers["106"]["inDataPlan"] is False
    assert all(d["account"] == "demo" for d in drivers.values())
    assert accounts["demo"]["revealUsers"][0] | {"authorization": ""} == {
        "username": "demo",
        "password": "demo",
        "appId": "DEMOAPPID",
        "appIds": ["DEMOAPPID"],
        "authorization": "",
    }
    assert {d["driverNumber"] for d in accounts["acme"]["revealDrivers"]} == {"7001", "7002", "7003"}


def test_datetime_helper_matches_the_cli_format() -> None:
    assert _shift("2024-06-03T12:30:00Z", timedelta(days=1)) == "2024-06-04T12:30:00.000000Z"
    assert parse_utc(_shift("2024-06-03T12:30:00Z", timedelta(0))) == datetime.fromisoformat(
        "2024-06-03T12:30:00+00:00"
    )
