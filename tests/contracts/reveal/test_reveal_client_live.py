"""The Reveal client against the live simulator: the three LogBook calls in JSON and XML, token reuse within the
20 minutes, re-authentication on the invalid-token 400, and the error classes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from contracts.reveal import (
    BadRequest,
    Denied,
    DriverNotFound,
    DutyStatus,
    MediaType,
    RevealClient,
)
from tests.conftest import LiveServer

pytestmark = pytest.mark.live


class CountingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        self.paths.append(str(url).split("/reveal", 1)[1].split("?")[0])
        return super().request(method, url, *args, **kwargs)

    @property
    def token_requests(self) -> int:
        return self.paths.count("/token")


def advance(live: LiveServer, seconds: int) -> None:
    requests.post(f"{live.base_url}/_sim/clock/advance", json={"seconds": seconds}, timeout=10).raise_for_status()


def reveal(live: LiveServer, media_type: MediaType = MediaType.JSON, **overrides: Any) -> RevealClient:
    settings: dict[str, Any] = {
        "base_url": f"{live.base_url}/reveal",
        "username": "demo",
        "password": "demo",
        "app_id": "DEMOAPPID",
        "media_type": media_type,
        "session": CountingSession(),
        "clock": live.sim.clock.now,
    }
    settings.update(overrides)
    return RevealClient(**settings)


@pytest.mark.parametrize("driver", ["99", "105", "c_3379569"])
def test_json_and_xml_read_into_the_same_models(live: LiveServer, driver: str) -> None:
    as_json, as_xml = reveal(live), reveal(live, MediaType.XML)
    start = live.sim.clock.now() - timedelta(hours=30)
    assert as_json.status_current(driver) == as_xml.status_current(driver)
    assert as_json.remaining_time(driver) == as_xml.remaining_time(driver)
    assert as_json.status_history(driver, start) == as_xml.status_history(driver, start)


def test_the_three_calls_read_typed_values(live: LiveServer) -> None:
    client = reveal(live)
    now = live.sim.clock.now()
    current = client.status_current("99")
    assert isinstance(current.status, DutyStatus) and current.driver_number == "99"
    assert current.status_date_time_utc <= now and current.status_date_time_utc.tzinfo is not None
    history = client.status_history("99", now - timedelta(hours=24))
    assert history and [r.status_date_time_utc for r in history] == sorted(r.status_date_time_utc for r in history)
    assert all(r.distance_in_km is not None and r.distance_in_km >= 0 for r in history)
    remaining = client.remaining_time("105")
    assert remaining.rule_cycle == 7 and remaining.vehicle_number is None
    assert 0 <= remaining.hours_against_rule_set.driving_left_for_today <= 13


def test_the_token_is_reused_until_shortly_before_its_20_minutes_end(live: LiveServer) -> None:
    client = reveal(live)
    session = client.session
    assert isinstance(session, CountingSession)
    client.status_current("99")
    advance(live, 18 * 60)
    client.remaining_time("99")
    assert session.token_requests == 1
    advance(live, 90)  # 19.5 minutes: inside the one-minute margin
    client.status_current("99")
    assert session.token_requests == 2


def test_an_invalid_token_answer_makes_the_client_authenticate_again_once(live: LiveServer) -> None:
    frozen = live.sim.clock.now()
    client = reveal(live, clock=lambda: frozen)  # the client's clock lags: it believes its token is fresh
    session = client.session
    assert isinstance(session, CountingSession)
    client.status_current("101")
    advance(live, 21 * 60)
    assert client.status_current("101").driver_number == "101"
    assert session.paths == [
        "/token",
        "/logbook/v1/driver/101/statuscurrent",
        "/logbook/v1/driver/101/statuscurrent",
        "/token",
        "/logbook/v1/driver/101/statuscurrent",
    ]


def test_the_older_app_id_form_and_the_prefixed_form_both_work(live: LiveServer) -> None:
    assert reveal(live, app_id="fleetmatics-p-us-DEMOAPPID").status_current("99").driver_number == "99"


def test_errors_are_typed(live: LiveServer) -> None:
    with pytest.raises(Denied):
        reveal(live, password="wrong").status_current("99")
    with pytest.raises(Denied):
        reveal(live, app_id="ACMEAPPID").status_current("99")
    with pytest.raises(DriverNotFound) as not_found:
        reveal(live).status_current("c_3379579")
    assert not_found.value.message == "Driver Information not found for DriverNumber: c_3379579"
    with pytest.raises(BadRequest):
        reveal(live, MediaType.XML).remaining_time("106")  # outside the data plan
    with pytest.raises(BadRequest):
        reveal(live).status_history("99", live.sim.clock.now() - timedelta(days=200))


def test_a_naive_start_is_taken_as_utc(live: LiveServer) -> None:
    client = reveal(live)
    aware = live.sim.clock.now() - timedelta(hours=12)
    naive = datetime(aware.year, aware.month, aware.day, aware.hour, aware.minute)
    assert client.status_history("99", naive) == client.status_history("99", aware.replace(second=0, microsecond=0))
