"""The Reveal API over HTTP (in-process, responses validated against specs/reveal.yaml): the gateway's observed
behaviour, the LogBook operations, errors, links and XML."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.reveal.timeline import months_before
from mockserver.reveal.views import reveal_datetime
from mockserver.simulator import Simulator
from tests.reveal.reveal_support import LOGBOOK, as_text, atmosphere, demo_headers, token, xml_value

INVALID_TOKEN = "The provided token has an invalid format."
DENIED = {"Message": "Authorization has been denied for this request."}
OPERATIONS = ["statuscurrent", "statushistory", "remainingtime"]


def _url(number: str, operation: str, sim: Simulator | None = None) -> str:
    if operation == "statushistory":
        assert sim is not None
        start = reveal_datetime(sim.clock.now() - timedelta(hours=30))
        return f"{LOGBOOK}/{number}/statushistory?startDateTimeUtc={start}"
    return f"{LOGBOOK}/{number}/{operation}"


# -- token gateway -----------------------------------------------------------------------------------------


def test_token_answers_plain_text_and_works_in_both_header_forms(client: TestClient) -> None:
    value = token(client)
    assert "\n" not in value and len(value) > 20
    for headers in (
        atmosphere(value),
        atmosphere(value, realm_form=True),
        atmosphere(value, "fleetmatics-p-us-DEMOAPPID", realm_form=True),
    ):
        response = client.get(f"{LOGBOOK}/99/statuscurrent", headers=headers)
        assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic " + base64.b64encode(b"demo:wrong").decode(),
        "Basic " + base64.b64encode(b"nobody:demo").decode(),
        "Basic !!!",
        "Bearer abc",
    ],
)
def test_token_refuses_bad_credentials_with_401(client: TestClient, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/reveal/token", headers=headers)
    assert response.status_code == 401
    assert response.json() == DENIED
    assert response.headers["www-authenticate"] == 'Basic realm="Reveal"'


def test_an_unknown_or_expired_token_is_400_plain_text(client: TestClient, sim: Simulator) -> None:
    value = token(client)
    for bad in ("unknown", value[:-3] + "abc"):
        response = client.get(f"{LOGBOOK}/99/statuscurrent", headers=atmosphere(bad))
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text == INVALID_TOKEN
    sim.clock.advance(20 * 60 - 1)
    assert client.get(f"{LOGBOOK}/99/remainingtime", headers=atmosphere(value)).status_code == 200
    sim.clock.advance(1)
    expired = client.get(f"{LOGBOOK}/99/remainingtime", headers={**atmosphere(value), "Accept": "application/xml"})
    assert (expired.status_code, expired.text) == (400, INVALID_TOKEN)
    assert client.get(f"{LOGBOOK}/99/remainingtime", headers=demo_headers(client)).status_code == 200


@pytest.mark.parametrize("operation", OPERATIONS)
def test_missing_header_wrong_app_id_and_foreign_app_id_are_401(
    client: TestClient, sim: Simulator, operation: str
) -> None:
    value = token(client)
    url = _url("99", operation, sim)
    for headers in (
        {},
        {"Authorization": f"Bearer {value}"},
        atmosphere(value, "OTHERAPP"),
        atmosphere(value, "ACMEAPPID"),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 401, headers
        assert response.json() == DENIED


def test_each_account_sees_only_its_own_drivers(client: TestClient) -> None:
    acme = atmosphere(token(client, "acme-reveal", "acme"), "ACMEAPPID")
    assert client.get(f"{LOGBOOK}/7001/statuscurrent", headers=acme).status_code == 200
    response = client.get(f"{LOGBOOK}/99/statuscurrent", headers=acme)
    assert response.status_code == 404
    assert response.json() == {"Message": "Driver Information not found for DriverNumber: 99"}


# -- LogBook -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", OPERATIONS)
def test_unknown_driver_is_404_and_out_of_plan_is_400(client: TestClient, sim: Simulator, operation: str) -> None:
    headers = demo_headers(client)
    missing = client.get(_url("c_3379579", operation, sim), headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"Message": "Driver Information not found for DriverNumber: c_3379579"}
    outside = client.get(_url("106", operation, sim), headers=headers)
    assert outside.status_code == 400
    assert "outside of the account's data plan" in outside.json()["Message"]


def test_statuscurrent_fields(client: TestClient, sim: Simulator) -> None:
    body = client.get(f"{LOGBOOK}/99/statuscurrent", headers=demo_headers(client)).json()
    assert list(body)[:5] == ["Status", "SubStatus", "StatusDateTimeUTC", "StatusDurationSeconds", "UpdateDatetTimeUTC"]
    assert "DistanceInKm" not in body
    assert (body["DriverNumber"], body["VehicleNumber"], body["VehicleName"]) == ("99", "85", "Vehicle 85")
    started = body["StatusDateTimeUTC"]
    assert len(started) == 22 and started[-3] == "."
    now = reveal_datetime(sim.clock.now())
    assert started <= body["UpdateDatetTimeUTC"] <= now


def test_unassigned_driver_has_null_vehicle(client: TestClient) -> None:
    headers = demo_headers(client)
    for operation in ("statuscurrent", "remainingtime"):
        body = client.get(f"{LOGBOOK}/105/{operation}", headers=headers).json()
        assert body["VehicleNumber"] is None and body["VehicleName"] is None
        assert body["_links"]["vehicle"]["href"] == "http://testserver/reveal/cmd/v1/vehicles/"


def test_links_point_at_the_simulator_and_the_logbook_ones_answer(client: TestClient) -> None:
    headers = demo_headers(client)
    current = client.get(f"{LOGBOOK}/c_3379569/statuscurrent", headers=headers).json()
    remaining = client.get(f"{LOGBOOK}/c_3379569/remainingtime", headers=headers).json()
    assert current["_links"]["current"]["href"] == f"http://testserver{LOGBOOK}/c_3379569/statuscurrent"
    assert remaining["_links"]["remainingtime"]["href"] == f"http://testserver{LOGBOOK}/c_3379569/remainingtime"
    assert current["_links"]["vehicle"]["href"].endswith("/reveal/cmd/v1/vehicles/34343423")
    assert client.get(current["_links"]["current"]["href"], headers=headers).json() == current
    assert client.get(remaining["_links"]["remainingtime"]["href"], headers=headers).json() == remaining


def test_remainingtime_hours_are_the_minutes_of_the_clocks(client: TestClient) -> None:
    headers = demo_headers(client)
    for number in ("99", "101", "102", "103", "104"):
        body = client.get(f"{LOGBOOK}/{number}/remainingtime", headers=headers).json()
        hours = body["HoursAgainstRuleSet"]
        assert body["RuleCycle"] in (7, 8)
        assert 0 <= hours["CycleTimeLeft"] <= (60 if body["RuleCycle"] == 7 else 70)
        assert 0 <= hours["DrivingLeftForToday"] <= 11
        assert round(hours["DrivingLeftForToday"] * 60) * 1.0 == pytest.approx(hours["DrivingLeftForToday"] * 60)


def test_statushistory_lists_records_with_distance_oldest_first(client: TestClient, sim: Simulator) -> None:
    response = client.get(_url("101", "statushistory", sim), headers=demo_headers(client))
    assert response.status_code == 200
    records = response.json()
    assert isinstance(records, list) and records
    assert all(next(iter(r)) == "DistanceInKm" and isinstance(r["DistanceInKm"], str) for r in records)
    starts = [r["StatusDateTimeUTC"] for r in records]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


@pytest.mark.parametrize(
    ("start", "fragment"),
    [
        ("2017-06-20T19:35:24.46", "within the last 6 months"),
        ("2099-01-01T00:00:00", "within the last 6 months"),
        ("2026-13-01T00:00:00", "is not a date and time"),
        ("yesterday", "is not a date and time"),
        (None, "startDateTimeUtc"),
    ],
)
def test_statushistory_start_must_be_a_time_in_the_last_six_months(
    client: TestClient, start: str | None, fragment: str
) -> None:
    query = "" if start is None else f"?startDateTimeUtc={start}"
    response = client.get(f"{LOGBOOK}/99/statushistory{query}", headers=demo_headers(client))
    assert response.status_code == 400
    assert fragment in response.json()["Message"]


def test_statushistory_accepts_the_edge_of_six_months_and_a_zone(client: TestClient, sim: Simulator) -> None:
    headers = demo_headers(client)
    earliest = months_before(sim.clock.now(), 6)
    for start in (reveal_datetime(earliest), earliest.strftime("%Y-%m-%dT%H:%M:%SZ"), "2026-11-01T03:00:00-05:00"):
        response = client.get(f"{LOGBOOK}/99/statushistory", params={"startDateTimeUtc": start}, headers=headers)
        assert response.status_code == 200, (start, response.text)


def test_an_unacceptable_accept_header_is_406(client: TestClient) -> None:
    response = client.get(f"{LOGBOOK}/99/statuscurrent", headers={**demo_headers(client), "Accept": "text/html"})
    assert response.status_code == 406
    assert "not acceptable" in response.json()["Message"]


# -- XML ---------------------------------------------------------------------------------------------------


def _both(client: TestClient, url: str, headers: dict[str, str]) -> tuple[Any, ET.Element]:
    as_json = client.get(url, headers={**headers, "Accept": "application/json"})
    as_xml = client.get(url, headers={**headers, "Accept": "application/xml"})
    assert as_json.status_code == as_xml.status_code
    assert as_xml.headers["content-type"].startswith("application/xml")
    return as_json.json(), ET.fromstring(as_xml.content)


@pytest.mark.parametrize(
    ("number", "operation", "root"),
    [
        ("99", "statuscurrent", "LogbookStatus"),
        ("105", "statuscurrent", "LogbookStatus"),
        ("101", "statushistory", "ArrayOfLogbookStatus"),
        ("102", "remainingtime", "RemainingTime"),
        ("105", "remainingtime", "RemainingTime"),
        ("nobody", "statuscurrent", "Error"),
        ("106", "remainingtime", "Error"),
    ],
)
def test_xml_carries_the_same_values_as_json(
    client: TestClient, sim: Simulator, number: str, operation: str, root: str
) -> None:
    body, element = _both(client, _url(number, operation, sim), demo_headers(client))
    assert element.tag == root
    assert xml_value(element) == as_text(body)


def test_xml_is_asked_for_with_quality_values(client: TestClient) -> None:
    headers = {**demo_headers(client), "Accept": "application/xml;q=0.9, application/json;q=0"}
    response = client.get(f"{LOGBOOK}/99/statuscurrent", headers=headers)
    assert response.headers["content-type"].startswith("application/xml")
