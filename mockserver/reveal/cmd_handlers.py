"""Handlers of the CMD resources (specs/reveal-cmd.yaml): parse, call `mockserver.reveal.cmd`, format."""

from __future__ import annotations

from typing import Any

from connexion import request
from starlette.responses import Response

from mockserver import runtime
from mockserver.http import request_origin
from mockserver.reveal.cmd import CmdDriver, CmdService, LogbookSettings
from mockserver.reveal.gateway import RevealPrincipal
from mockserver.reveal.models import RevealVehicle
from mockserver.reveal.views import render

BASE_PATH = "/reveal/cmd/v1"


def _principal(token_info: dict[str, Any]) -> RevealPrincipal:
    principal = token_info["principal"]
    assert isinstance(principal, RevealPrincipal)
    return principal


def _service() -> CmdService:
    return CmdService(runtime.current().reveal.logbook.reveal_account)


def _href(path: str) -> dict[str, str]:
    return {"href": f"{request_origin()}{BASE_PATH}{path}"}


def _vehicle_json(vehicle: RevealVehicle) -> dict[str, Any]:
    links = {"self": _href(f"/vehicles/{vehicle.number}")}
    return {"VehicleNumber": vehicle.number, "VehicleName": vehicle.name, "_links": links}


def _driver_json(found: CmdDriver) -> dict[str, Any]:
    number = found.driver.driver_number
    return {
        "DriverNumber": number,
        "FirstName": found.driver.first_name,
        "LastName": found.driver.last_name,
        "VehicleNumber": found.vehicle.number if found.vehicle else None,
        "VehicleName": found.vehicle.name if found.vehicle else None,
        "_links": {
            "self": _href(f"/drivers/{number}"),
            "vehicle": _href(f"/vehicles/{found.vehicle.number if found.vehicle else ''}"),
            "logbooksettings": _href(f"/driversettings/logbooksettings/{number}"),
        },
    }


def _settings_json(settings: LogbookSettings) -> dict[str, Any]:
    return {
        "DriverNumber": settings.driver_number,
        "CurrentRuleSet": settings.rule_set,
        "RuleCycle": settings.rule_cycle,
        "IsEld": settings.is_eld,
        "_links": {
            "self": _href(f"/driversettings/logbooksettings/{settings.driver_number}"),
            "driver": _href(f"/drivers/{settings.driver_number}"),
        },
    }


async def get_cmd_driver(driver_number: str, token_info: dict[str, Any]) -> Response:
    found = _service().driver(_principal(token_info), driver_number)
    return render(_driver_json(found), "Driver", request.headers.get("accept"))


async def get_logbook_settings(driver_number: str, token_info: dict[str, Any]) -> Response:
    settings = _service().settings(_principal(token_info), driver_number)
    return render(_settings_json(settings), "LogbookSettings", request.headers.get("accept"))


async def list_cmd_vehicles(token_info: dict[str, Any]) -> Response:
    vehicles = _service().vehicles(_principal(token_info))
    return render([_vehicle_json(v) for v in vehicles], "ArrayOfVehicle", request.headers.get("accept"))


async def get_cmd_vehicle(vehicle_number: str, token_info: dict[str, Any]) -> Response:
    vehicle = _service().vehicle(_principal(token_info), vehicle_number)
    return render(_vehicle_json(vehicle), "Vehicle", request.headers.get("accept"))
