"""Recipes for every declared status of TachoShare (`specs/tachoshare.yaml`).

Resources are chosen by what the API itself says about them (a vehicle with no attempts left, a driver never
downloaded), never by hard-coded identifiers, so the recipes follow the world file. The statuses every
operation shares (401, 403, 406, 429) derive from one valid request per operation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from contract_documents import JsonObject
from recipe_base import Exchange, RecipeContext, recipe, register

API = "tachoshare"
FILE_ACCEPT = {"Accept": "application/octet-stream, application/json"}

Headers = dict[str, str]
ValidRequest = Callable[[RecipeContext, Headers], Exchange]


# ----------------------------------------------------------------------------------------------------------
# What the API says about the demo account


def _items(ctx: RecipeContext, path: str) -> list[JsonObject]:
    response = ctx.send(Exchange("GET", f"/tachoshare{path}", headers=ctx.bearer()))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert isinstance(items, list)
    return items


def _first(items: list[JsonObject], what: str, predicate: Callable[[JsonObject], bool]) -> JsonObject:
    found = next((item for item in items if predicate(item)), None)
    assert found is not None, f"the demo world has no {what}; the recipe needs one"
    return found


def _vehicle(ctx: RecipeContext, what: str, predicate: Callable[[JsonObject], bool]) -> str:
    return str(_first(_items(ctx, "/vehicles"), what, predicate)["vin"])


def _driver(ctx: RecipeContext, what: str, predicate: Callable[[JsonObject], bool]) -> JsonObject:
    return _first(_items(ctx, "/drivers"), what, predicate)


def _with_data(vehicle: JsonObject) -> bool:
    return "lastActivityDate" in vehicle


def _rdl_candidate(vehicle: JsonObject) -> bool:
    """Out of legal compliance with attempts left: none of the spec's refusal conditions can hold."""
    return vehicle["rdlStatus"] == "OUTSIDE_LEGAL_COMPLIANCE" and vehicle["manualAttemptsRemaining"] > 0


def _foreign_vehicle(ctx: RecipeContext) -> str:
    """A well-formed VIN that exists, in another account: invisible to the demo token."""
    return str(ctx.account("acme")["vehicles"][0]["vin"])


def _foreign_driver(ctx: RecipeContext) -> JsonObject:
    driver = ctx.account("acme")["drivers"][0]
    assert isinstance(driver, dict)
    return driver


def _today(ctx: RecipeContext) -> date:
    return ctx.sim.clock.now().date()


# ----------------------------------------------------------------------------------------------------------
# One valid request per operation


def _list(path: str) -> ValidRequest:
    return lambda ctx, headers: Exchange("GET", f"/tachoshare{path}", headers=headers)


def _get_vehicle(ctx: RecipeContext, headers: Headers) -> Exchange:
    return Exchange("GET", f"/tachoshare/vehicles/{_vehicle(ctx, 'vehicle', lambda v: True)}", headers=headers)


def _vehicle_files(ctx: RecipeContext, headers: Headers) -> Exchange:
    vin = _vehicle(ctx, "vehicle with vehicle-unit data", _with_data)
    return Exchange("GET", f"/tachoshare/vehicles/{vin}/files", headers={**FILE_ACCEPT, **headers})


def _request_rdl(ctx: RecipeContext, headers: Headers) -> Exchange:
    vin = _vehicle(ctx, "vehicle eligible for a manual RDL", _rdl_candidate)
    return Exchange("POST", f"/tachoshare/vehicles/{vin}/rdl", headers=headers)


def _driver_files(ctx: RecipeContext, headers: Headers) -> Exchange:
    driver = _driver(ctx, "driver with downloads", lambda d: "lastDownloadDate" in d)
    return Exchange(
        "GET",
        f"/tachoshare/drivers/{driver['cardNumber']}/files",
        params={"countryCode": driver["countryCode"]},
        headers={**FILE_ACCEPT, **headers},
    )


VALID: dict[str, ValidRequest] = {
    "listVehicles": _list("/vehicles"),
    "getVehicle": _get_vehicle,
    "getVehicleFiles": _vehicle_files,
    "requestVehicleRdl": _request_rdl,
    "listDrivers": _list("/drivers"),
    "getDriverFiles": _driver_files,
    "listCompanyCards": _list("/companyCards"),
    "listCompanyCardGroups": _list("/companyCardGroups"),
}


def _authorized(valid: ValidRequest) -> Callable[[RecipeContext], Exchange]:
    return lambda ctx: valid(ctx, ctx.bearer())


def _without_token(valid: ValidRequest) -> Callable[[RecipeContext], Exchange]:
    return lambda ctx: valid(ctx, {})


def _without_scope(valid: ValidRequest) -> Callable[[RecipeContext], Exchange]:
    return lambda ctx: valid(ctx, ctx.bearer(scopes=[]))


def _accepting_html(valid: ValidRequest) -> Callable[[RecipeContext], Exchange]:
    return lambda ctx: valid(ctx, {**ctx.bearer(), "Accept": "text/html"})


def _rate_limited(valid: ValidRequest) -> Callable[[RecipeContext], Exchange]:
    """A bucket of two per token: the third request of one token is refused (other tokens are unaffected)."""

    def build(ctx: RecipeContext) -> Exchange:
        exchange = valid(ctx, ctx.bearer())
        ctx.control("PUT", "/ratelimits", {"rules": [{"api": API, "per": "token", "rate": 0.001, "burst": 2}]})
        for _ in range(2):
            ctx.send(exchange)
        return exchange

    return build


def _with_params(exchange: Exchange, params: dict[str, str]) -> Exchange:
    return Exchange(exchange.method, exchange.path, {**exchange.params, **params}, exchange.headers)


def _with_unknown_parameter(valid: ValidRequest) -> Callable[[RecipeContext], Exchange]:
    return lambda ctx: _with_params(valid(ctx, ctx.bearer()), {"page": "2"})


for _operation_id, _valid in VALID.items():
    register(API, _operation_id, 401, _without_token(_valid))
    register(API, _operation_id, 403, _without_scope(_valid))
    register(API, _operation_id, 406, _accepting_html(_valid))
    register(API, _operation_id, 429, _rate_limited(_valid))
    if _operation_id.startswith("list"):
        register(API, _operation_id, 200, _authorized(_valid))
        register(API, _operation_id, 400, _with_unknown_parameter(_valid))


# ----------------------------------------------------------------------------------------------------------
# Vehicles


@recipe(API, "getVehicle", 200)
def get_vehicle_ok(ctx: RecipeContext) -> Exchange:
    return _get_vehicle(ctx, ctx.bearer())


@recipe(API, "getVehicle", 400)
def get_vehicle_with_an_unknown_parameter(ctx: RecipeContext) -> Exchange:
    """Any VIN string is a 404 when unknown (issue 17): only the strict server's unknown parameter is a 400."""
    return _with_params(_get_vehicle(ctx, ctx.bearer()), {"page": "2"})


@recipe(API, "getVehicle", 404)
def get_vehicle_of_another_account(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", f"/tachoshare/vehicles/{_foreign_vehicle(ctx)}", headers=ctx.bearer())


@recipe(API, "getVehicleFiles", 200)
def vehicle_files_ok(ctx: RecipeContext) -> Exchange:
    return _vehicle_files(ctx, ctx.bearer())


@recipe(API, "getVehicleFiles", 204)
def vehicle_files_of_a_vehicle_never_downloaded(ctx: RecipeContext) -> Exchange:
    vin = _vehicle(ctx, "vehicle without vehicle-unit data", lambda v: not _with_data(v))
    return Exchange("GET", f"/tachoshare/vehicles/{vin}/files", headers={**FILE_ACCEPT, **ctx.bearer()})


@recipe(API, "getVehicleFiles", 400)
def vehicle_files_over_more_than_two_years(ctx: RecipeContext) -> Exchange:
    to = _today(ctx)
    exchange = _vehicle_files(ctx, ctx.bearer())
    return _with_params(exchange, {"activityDate-from": str(to - timedelta(days=3 * 365)), "activityDate-to": str(to)})


@recipe(API, "getVehicleFiles", 404)
def vehicle_files_of_another_account(ctx: RecipeContext) -> Exchange:
    path = f"/tachoshare/vehicles/{_foreign_vehicle(ctx)}/files"
    return Exchange("GET", path, headers={**FILE_ACCEPT, **ctx.bearer()})


@recipe(API, "requestVehicleRdl", 200)
def rdl_ok(ctx: RecipeContext) -> Exchange:
    return _request_rdl(ctx, ctx.bearer())


@recipe(API, "requestVehicleRdl", 400)
def rdl_with_an_unknown_parameter(ctx: RecipeContext) -> Exchange:
    return _with_params(_request_rdl(ctx, ctx.bearer()), {"page": "2"})


@recipe(API, "requestVehicleRdl", 404)
def rdl_of_another_account(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", f"/tachoshare/vehicles/{_foreign_vehicle(ctx)}/rdl", headers=ctx.bearer())


@recipe(API, "requestVehicleRdl", 409)
def rdl_without_attempts_left(ctx: RecipeContext) -> Exchange:
    vin = _vehicle(ctx, "vehicle without manual attempts left", lambda v: v["manualAttemptsRemaining"] == 0)
    return Exchange("POST", f"/tachoshare/vehicles/{vin}/rdl", headers=ctx.bearer())


# ----------------------------------------------------------------------------------------------------------
# Drivers


@recipe(API, "getDriverFiles", 200)
def driver_files_ok(ctx: RecipeContext) -> Exchange:
    return _driver_files(ctx, ctx.bearer())


@recipe(API, "getDriverFiles", 204)
def driver_files_of_a_card_never_downloaded(ctx: RecipeContext) -> Exchange:
    driver = _driver(ctx, "driver never downloaded", lambda d: d["rdlStatus"] == "NEVER_DOWNLOADED")
    return Exchange(
        "GET",
        f"/tachoshare/drivers/{driver['cardNumber']}/files",
        params={"countryCode": driver["countryCode"]},
        headers={**FILE_ACCEPT, **ctx.bearer()},
    )


@recipe(API, "getDriverFiles", 400)
def driver_files_without_country_code(ctx: RecipeContext) -> Exchange:
    exchange = _driver_files(ctx, ctx.bearer())
    return Exchange(exchange.method, exchange.path, headers=exchange.headers)


@recipe(API, "getDriverFiles", 404)
def driver_files_of_another_account(ctx: RecipeContext) -> Exchange:
    driver = _foreign_driver(ctx)
    params: dict[str, Any] = {"countryCode": driver["countryCode"]}
    path = f"/tachoshare/drivers/{driver['cardNumber']}/files"
    return Exchange("GET", path, params=params, headers={**FILE_ACCEPT, **ctx.bearer()})
