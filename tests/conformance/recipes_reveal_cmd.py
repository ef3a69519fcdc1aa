"""Recipes for every declared status of Reveal's CMD resources (`specs/reveal-cmd.yaml`)."""

from __future__ import annotations

from collections.abc import Callable

from recipe_base import Exchange, RecipeBuilder, RecipeContext, register
from recipes_reveal import _authorized, _driver, _invalid_token

API = "reveal-cmd"
CMD = "/reveal/cmd/v1"

Headers = dict[str, str]
ValidRequest = Callable[[RecipeContext, Headers], Exchange]


def _first_vehicle(ctx: RecipeContext) -> str:
    vehicles = ctx.send(Exchange("GET", f"{CMD}/vehicles/", headers=_authorized(ctx))).json()
    return str(vehicles[0]["VehicleNumber"])


VALID: dict[str, ValidRequest] = {
    "getCmdDriver": lambda ctx, headers: Exchange("GET", f"{CMD}/drivers/{_driver(ctx)}", headers=headers),
    "getLogbookSettings": lambda ctx, headers: Exchange(
        "GET", f"{CMD}/driversettings/logbooksettings/{_driver(ctx)}", headers=headers
    ),
    "listCmdVehicles": lambda ctx, headers: Exchange("GET", f"{CMD}/vehicles/", headers=headers),
    "getCmdVehicle": lambda ctx, headers: Exchange("GET", f"{CMD}/vehicles/{_first_vehicle(ctx)}", headers=headers),
}
UNKNOWN: dict[str, str] = {
    "getCmdDriver": f"{CMD}/drivers/no-such-driver",
    "getLogbookSettings": f"{CMD}/driversettings/logbooksettings/no-such-driver",
    "getCmdVehicle": f"{CMD}/vehicles/no-such-vehicle",
}


def _with_headers(valid: ValidRequest, headers: Callable[[RecipeContext], Headers]) -> RecipeBuilder:
    return lambda ctx: valid(ctx, headers(ctx))


def _unknown(path: str) -> RecipeBuilder:
    return lambda ctx: Exchange("GET", path, headers=_authorized(ctx))


for _operation_id, _valid in VALID.items():
    register(API, _operation_id, 200, _with_headers(_valid, _authorized))
    register(API, _operation_id, 400, _with_headers(_valid, _invalid_token))
    register(API, _operation_id, 401, _with_headers(_valid, lambda ctx: {}))
    register(API, _operation_id, 406, _with_headers(_valid, lambda ctx: {**_authorized(ctx), "Accept": "text/html"}))
for _operation_id, _path in UNKNOWN.items():
    register(API, _operation_id, 404, _unknown(_path))
