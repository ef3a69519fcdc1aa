"""The CMD resources the LogBook answers link to (issue 17, item 12): every link answers, with the world's facts."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.reveal.models import reveal_of
from mockserver.simulator import Simulator
from tests.reveal.reveal_support import LOGBOOK, demo_headers

IN_PLAN = ["99", "101", "102", "103", "104", "105", "c_3379569"]


def _get(client: TestClient, href: str, headers: dict[str, str]) -> Any:
    response = client.get(href.removeprefix("http://testserver"), headers=headers)
    assert response.status_code == 200, (href, response.text)
    return response.json()


@pytest.mark.parametrize("operation", ["statuscurrent", "remainingtime"])
def test_every_link_of_every_logbook_answer_answers(client: TestClient, sim: Simulator, operation: str) -> None:
    headers = demo_headers(client)
    account = sim.world.account("demo")
    assert account is not None
    reveal = reveal_of(account)
    assert reveal is not None
    for number in IN_PLAN:
        body = _get(client, f"{LOGBOOK}/{number}/{operation}", headers)
        links = body["_links"]
        driver = _get(client, links["driver"]["href"], headers)
        assert (driver["DriverNumber"], driver["FirstName"], driver["LastName"]) == (
            body["DriverNumber"],
            body["FirstName"],
            body["LastName"],
        )
        assert (driver["VehicleNumber"], driver["VehicleName"]) == (body["VehicleNumber"], body["VehicleName"])
        vehicle = _get(client, links["vehicle"]["href"], headers)
        if body["VehicleNumber"] is None:  # the reference's `/CMD/v1/vehicles/`: the account's vehicles
            assert {v["VehicleNumber"] for v in vehicle} == {v.number for v in reveal.vehicles}
        else:
            assert (vehicle["VehicleNumber"], vehicle["VehicleName"]) == (body["VehicleNumber"], body["VehicleName"])
        settings = _get(client, links["logbooksettings"]["href"], headers)
        world_driver = reveal.driver(number)
        assert world_driver is not None
        assert settings["IsEld"] is world_driver.eld
        assert settings["RuleCycle"] == world_driver.rule_cycle
        assert (
            f"{70 if world_driver.rule_cycle == 8 else 60} hour / {world_driver.rule_cycle} day"
            in (settings["CurrentRuleSet"])
        )


def test_the_non_eld_driver_says_so_and_xml_works(client: TestClient) -> None:
    headers = demo_headers(client)
    settings = client.get("/reveal/cmd/v1/driversettings/logbooksettings/103", headers={**headers, "Accept": "xml"})
    assert settings.status_code == 200 and settings.headers["content-type"].startswith("application/xml")
    assert b"<IsEld>false</IsEld>" in settings.content
    passenger = client.get("/reveal/cmd/v1/driversettings/logbooksettings/102", headers=headers).json()
    assert passenger["CurrentRuleSet"].startswith("USA Passenger")


def test_cmd_refusals_are_the_logbook_s(client: TestClient) -> None:
    headers = demo_headers(client)
    assert client.get("/reveal/cmd/v1/drivers/nobody", headers=headers).status_code == 404
    assert client.get("/reveal/cmd/v1/drivers/106", headers=headers).status_code == 400  # outside the data plan
    assert client.get("/reveal/cmd/v1/vehicles/none", headers=headers).status_code == 404
    assert client.get("/reveal/cmd/v1/drivers/99").status_code == 401
    assert client.get("/reveal/cmd/v1/drivers/7001", headers=headers).status_code == 404  # acme's driver
