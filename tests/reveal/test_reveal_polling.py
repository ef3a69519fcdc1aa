"""Drivers move through the day as the simulated clock moves; same world, seed, clock and requests give the same
bytes; and the API works over a real loopback server."""

from __future__ import annotations

import itertools
from datetime import timedelta

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.reveal.models import reveal_of
from mockserver.world import World
from tests.conftest import LiveServer, make_sim
from tests.reveal.reveal_support import LOGBOOK, atmosphere, token

WORKING_DRIVERS = ["99", "101", "102", "103", "104", "105", "c_3379569"]


def test_polling_statuscurrent_through_a_simulated_day_shows_every_driver_change_status(world: World) -> None:
    sim = make_sim(world)
    with TestClient(create_app(sim)) as client:
        seen: dict[str, list[tuple[str, str]]] = {number: [] for number in WORKING_DRIVERS}
        for _ in range(24 * 2):  # every 30 simulated minutes for a day
            headers = atmosphere(token(client))
            for number in WORKING_DRIVERS:
                body = client.get(f"{LOGBOOK}/{number}/statuscurrent", headers=headers).json()
                seen[number].append((body["Status"], body["StatusDateTimeUTC"]))
            sim.clock.advance(30 * 60)
    for number, polls in seen.items():
        statuses = {status for status, _ in polls}
        assert "OnDutyDriving" in statuses, number
        assert statuses & {"OffDuty", "SleeperBerth"}, number
        changes = sum(1 for before, after in itertools.pairwise(polls) if before != after)
        assert changes >= 3, (number, changes)
        starts = [start for _, start in polls]
        assert starts == sorted(starts)  # a status's start never moves backwards


def test_a_regional_driver_works_daytime_shifts(world: World) -> None:
    """Regional shifts start between 05:00 and 08:00 at the home terminal (a profile property), on weekdays."""
    sim = make_sim(world)
    account = world.account("demo")
    assert account is not None and reveal_of(account) is not None
    driver = reveal_of(account).driver("101")
    assert driver is not None
    with TestClient(create_app(sim)) as client:
        headers = atmosphere(token(client))
        start = sim.clock.now() - timedelta(days=14)
        records = []
        for day in range(14):
            query = {"startDateTimeUtc": (start + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%S")}
            records += client.get(f"{LOGBOOK}/101/statushistory", params=query, headers=headers).json()
    inspections = [
        r for r in records if r["SubStatus"] == "OnDutyNotDrivingInspection" and r["Remark"] == "Pre-trip inspection"
    ]
    assert len({r["StatusDateTimeUTC"] for r in inspections}) >= 8
    for record in inspections:
        from mockserver.reveal.hos import parse_utc

        local = parse_utc(record["StatusDateTimeUTC"]) + driver.home_utc_offset
        assert 5 <= local.hour <= 8 and local.weekday() < 5, record["StatusDateTimeUTC"]


REQUESTS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                f"{LOGBOOK}/99/statuscurrent",
                f"{LOGBOOK}/102/remainingtime",
                f"{LOGBOOK}/104/statushistory?startDateTimeUtc=2026-11-01T00:00:00",
                f"{LOGBOOK}/nobody/statuscurrent",
                "/reveal/token",
            ]
        ),
        st.integers(1, 2 * 86400),
    ),
    min_size=1,
    max_size=6,
)


def _run(world: World, steps: list[str | int]) -> list[bytes]:
    sim = make_sim(world)
    out = []
    with TestClient(create_app(sim)) as client:
        headers = atmosphere(token(client))
        for step in steps:
            if isinstance(step, int):
                sim.clock.advance(step)
                headers = atmosphere(token(client))
                continue
            response = client.get(step, headers=headers, auth=("demo", "demo") if step.endswith("token") else None)
            out.append(f"{response.status_code}".encode() + response.content)
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=REQUESTS)
def test_same_world_seed_clock_and_requests_give_the_same_bytes(world: World, steps: list[str | int]) -> None:
    assert _run(world, steps) == _run(world, steps)


def test_over_a_live_loopback_server(live: LiveServer) -> None:
    base = live.base_url
    value = requests.get(f"{base}/reveal/token", auth=("demo", "demo"), timeout=10)
    assert value.status_code == 200 and value.headers["content-type"].startswith("text/plain")
    headers = atmosphere(value.text)
    current = requests.get(f"{base}{LOGBOOK}/99/statuscurrent", headers=headers, timeout=10)
    assert current.status_code == 200
    assert current.json()["_links"]["current"]["href"] == f"{base}{LOGBOOK}/99/statuscurrent"
    as_xml = requests.get(
        f"{base}{LOGBOOK}/99/remainingtime", headers={**headers, "Accept": "application/xml"}, timeout=10
    )
    assert (
        as_xml.headers["content-type"].startswith("application/xml") and b"<RuleCycle>8</RuleCycle>" in as_xml.content
    )
    bad = requests.get(f"{base}{LOGBOOK}/99/statuscurrent", headers=atmosphere("expired"), timeout=10)
    assert (bad.status_code, bad.text) == (400, "The provided token has an invalid format.")
    put = requests.put(f"{base}/_sim/reveal/drivers/99/log", json=[["2026-11-02T07:00:00Z", "D"]], timeout=10)
    assert put.status_code == 200 and put.json()["clocks"]["driveLeft"] == 600
    remaining = requests.get(f"{base}{LOGBOOK}/99/remainingtime", headers=headers, timeout=10).json()
    assert remaining["HoursAgainstRuleSet"]["DrivingLeftForToday"] == 10.0
