"""TachoShare's HTTP handlers: parse, call one domain method, format. Resolved from specs/tachoshare.yaml.

Authentication and scope checks happen before these run (Connexion's security with
`mockserver.oauth.tokeninfo.token_info`); the principal arrives in `token_info`.
"""

from __future__ import annotations

from typing import Any

from connexion import request
from starlette.responses import Response

from mockserver import runtime
from mockserver.errors import NotImplementedYet
from mockserver.http import json_response, negotiate
from mockserver.principal import Principal
from mockserver.tachoshare import views

JSON_ONLY = ("application/json",)


def _principal(token_info: dict[str, Any]) -> Principal:
    principal = token_info["principal"]
    assert isinstance(principal, Principal)
    return principal


def _json(body: Any) -> Response:
    negotiate(request.headers.get("accept"), JSON_ONLY)
    return json_response(body)


async def list_vehicles(token_info: dict[str, Any]) -> Response:
    vehicles = runtime.current().tachoshare.vehicles(_principal(token_info))
    return _json(views.items([views.vehicle_json(v) for v in vehicles]))


async def get_vehicle(vin: str, token_info: dict[str, Any]) -> Response:
    vehicle = runtime.current().tachoshare.vehicle(_principal(token_info), vin)
    return _json(views.items([views.vehicle_json(vehicle)]))


async def list_drivers(token_info: dict[str, Any]) -> Response:
    drivers = runtime.current().tachoshare.drivers(_principal(token_info))
    return _json(views.items([views.driver_json(d) for d in drivers]))


async def list_company_cards(token_info: dict[str, Any]) -> Response:
    cards = runtime.current().tachoshare.company_cards(_principal(token_info))
    return _json(views.items([views.company_card_json(c) for c in cards]))


async def list_company_card_groups(token_info: dict[str, Any]) -> Response:
    groups = runtime.current().tachoshare.company_card_groups(_principal(token_info))
    return _json(views.items([views.group_json(g) for g in groups]))


async def get_vehicle_files(vin: str, token_info: dict[str, Any], **_: Any) -> Response:
    runtime.current().tachoshare.vehicle(_principal(token_info), vin)
    raise NotImplementedYet("Vehicle unit files are not served by this version of the simulator yet.")


async def get_driver_files(card_number: str, token_info: dict[str, Any], **_: Any) -> Response:
    raise NotImplementedYet("Driver card files are not served by this version of the simulator yet.")


async def request_vehicle_rdl(vin: str, token_info: dict[str, Any]) -> Response:
    negotiate(request.headers.get("accept"), JSON_ONLY)
    vehicle = runtime.current().tachoshare.request_rdl(_principal(token_info), vin)
    return json_response(views.vehicle_json(vehicle))
