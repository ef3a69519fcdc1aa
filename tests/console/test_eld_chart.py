"""The console's ELD grid route (`POST /_sim/console/charts/eld`) from Reveal's public statushistory: its clocks are
what `remainingtime` answers at now, what each record's `TimeRemainingSinceLastStatus` says at that status's start,
and what the HOS engine computes on the driver's own log at any other instant; each rule's violation is flagged
from the minute its clock runs out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.reveal.hos import hos_snapshot, parse_utc
from mockserver.reveal.models import reveal_of
from mockserver.simulator import Simulator
from tests.reveal.reveal_support import LOGBOOK, demo_headers

DRIVERS = ("99", "101", "102", "103", "104", "105")  # each profile and rule set of the demo account


def history_up_to(client: TestClient, headers: dict[str, str], number: str, day_start: datetime) -> list[Any]:
    """What the console fetches: the 9 statushistory windows that end with the drawn day."""
    records: list[Any] = []
    for back in range(8, -1, -1):
        start = (day_start - timedelta(days=back)).strftime("%Y-%m-%dT%H:%M:%SZ")
        answer = client.get(f"{LOGBOOK}/{number}/statushistory?startDateTimeUtc={start}", headers=headers)
        assert answer.status_code == 200, answer.text
        records += answer.json()
    return records


def chart(client: TestClient, **body: Any) -> Any:
    answer = client.post("/_sim/console/charts/eld", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _driver(client: TestClient, number: str) -> dict[str, Any]:
    world = client.get("/_sim/world").json()
    return next(d for d in world["accounts"][0]["revealDrivers"] if d["driverNumber"] == number)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_at_now_the_clocks_are_remainingtime_and_at_each_status_start_its_record(
    client: TestClient, sim: Simulator
) -> None:
    headers = demo_headers(client)
    now = sim.clock.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    checked = 0
    for number in DRIVERS:
        history = history_up_to(client, headers, number, today)
        driver = _driver(client, number)
        body = {"day": today.date().isoformat(), "history": history, "until": _stamp(now), "driver": driver}
        clocks = chart(client, **body, at=_stamp(now))["clocks"]
        remaining = client.get(f"{LOGBOOK}/{number}/remainingtime", headers=headers).json()
        hours = remaining["HoursAgainstRuleSet"]
        assert min(clocks["driveLeft"], clocks["windowLeft"]) == round(hours["DrivingLeftForToday"] * 60), number
        assert clocks["cycleLeft"] == round(hours["CycleTimeLeft"] * 60), number
        for record in history[-4:]:  # the latest statuses: their clocks when they began, as Reveal answered them
            began = parse_utc(record["StatusDateTimeUTC"])
            at_start = chart(client, **body, at=_stamp(began))["clocks"]
            left = record["TimeRemainingSinceLastStatus"]
            assert min(at_start["driveLeft"], at_start["windowLeft"]) == left["DailyDrivingMinutes"], (number, record)
            assert at_start["windowLeft"] == left["DailyOnDutyMinutes"], (number, record)
            checked += 1
    assert checked == 4 * len(DRIVERS)


@pytest.mark.parametrize("number", ["99", "102", "104"])
def test_at_any_instant_the_four_clocks_are_the_engines_on_the_drivers_own_log(
    client: TestClient, sim: Simulator, number: str
) -> None:
    headers = demo_headers(client)
    now = sim.clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=2)
    history = history_up_to(client, headers, number, day_start)
    account = sim.world.accounts[0]
    reveal = reveal_of(account)
    assert reveal is not None
    timeline = sim.services["reveal"].logbook.timeline(account.name, reveal.driver(number))
    log = timeline.engine_log(now)
    driver = _driver(client, number)
    for minute in range(17, 1440, 97):  # instants all over the day, none on a whole hour
        at = day_start + timedelta(minutes=minute)
        shown = chart(client, day=day_start.date().isoformat(), history=history, until=_stamp(now), at=_stamp(at),
                      driver=driver)["clocks"]  # fmt: skip
        assert shown == hos_snapshot(log, at, timeline.options).clocks.minutes().to_json(), (number, at)


BREAKING_LOG = Path(__file__).with_name("breaks_every_rule.json")
"""Driver 99's rules (property, 70 h / 8 days; a scripted log's days start at 00:00 UTC): 57.5 h on duty from 10-25
to 10-31 without a 34-hour restart, a 10.5-hour reset, then 15 hours of driving from 00:00 on 11-01. Each clock runs
out at its own minute of that driving: the break at 08:00, the 11 hours at 11:00, the cycle (12.5 h left) at 12:30,
the 14-hour window at 14:00."""
EXPECTED = [("30-minute break", 480), ("11-hour driving", 660), ("60/70-hour cycle", 750), ("14-hour window", 840)]


def test_a_log_that_breaks_each_rule_is_flagged_where_each_clock_runs_out(client: TestClient, sim: Simulator) -> None:
    uploaded = client.put("/_sim/reveal/drivers/99/log", content=BREAKING_LOG.read_bytes(),
                          headers={"Content-Type": "application/json"})  # fmt: skip
    assert uploaded.status_code == 200, uploaded.text
    day = datetime(2026, 11, 1, tzinfo=UTC)
    history = history_up_to(client, demo_headers(client), "99", day)
    now = _stamp(sim.clock.now())
    body = {"day": "2026-11-01", "history": history, "until": now, "driver": _driver(client, "99")}
    drawn = chart(client, **body)
    assert sorted((v["rule"], v["start"], v["end"]) for v in drawn["violations"]) == sorted(
        (rule, start, 900) for rule, start in EXPECTED
    )
    assert [(v["rule"], v["start"]) for v in drawn["violations"]] == EXPECTED
    noon = chart(client, **body, at="2026-11-01T12:00:00Z")["clocks"]
    assert noon == {"driveLeft": 0, "windowLeft": 120, "breakLeft": 0, "cycleLeft": 30}
    assert 'class="instant"' in chart(client, **body, at="2026-11-01T12:00:00Z")["svg"]


def test_a_record_that_is_not_a_status_is_a_400_naming_it(client: TestClient) -> None:
    bad = [
        {"Status": "OnDutyDriving", "StatusDateTimeUTC": "2026-11-01T00:00:00.00"},
        {"Status": "OffDuty", "SubStatus": "OnDutyNotDrivingLoading", "StatusDateTimeUTC": "2026-11-01T01:00:00.00"},
    ]
    answer = client.post("/_sim/console/charts/eld", json={"day": "2026-11-01", "history": bad})
    assert answer.status_code == 400
    assert "history[1]" in answer.json()["description"]
    month13 = [{"Status": "OffDuty", "StatusDateTimeUTC": "2026-13-01T00:00:00.00"}]
    assert client.post("/_sim/console/charts/eld", json={"day": "2026-11-01", "history": month13}).status_code == 400
