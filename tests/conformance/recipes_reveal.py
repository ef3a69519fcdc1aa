"""Recipes for every declared status of Reveal's token gateway and LogBook API (`specs/reveal.yaml`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from recipe_base import Exchange, RecipeBuilder, RecipeContext, recipe, register

API = "reveal"
USER = ("demo", "demo")
APP_ID = "DEMOAPPID"
LOGBOOK = "/reveal/logbook/v1/driver"

Headers = dict[str, str]
ValidRequest = Callable[[RecipeContext, Headers], Exchange]


def atmosphere(token: str) -> str:
    return f"Atmosphere atmosphere_app_id=fleetmatics-p-us-{APP_ID}, Bearer {token}"


def _token(ctx: RecipeContext) -> str:
    response = ctx.send(Exchange("GET", "/reveal/token", auth=USER))
    assert response.status_code == 200, response.text
    return str(response.text.strip())


def _authorized(ctx: RecipeContext) -> Headers:
    return {"Authorization": atmosphere(_token(ctx))}


def _driver(ctx: RecipeContext, in_data_plan: bool = True) -> str:
    drivers = [d for d in ctx.account()["revealDrivers"] if d.get("inDataPlan", True) == in_data_plan]
    assert drivers, f"the demo world has no Reveal driver with inDataPlan={in_data_plan}"
    return str(drivers[0]["driverNumber"])


def _start(ctx: RecipeContext, hours_ago: float) -> str:
    return (ctx.sim.clock.now() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%S")


def _logbook(resource: str, params: Callable[[RecipeContext], dict[str, str]] | None = None) -> ValidRequest:
    def build(ctx: RecipeContext, headers: Headers, driver: str | None = None) -> Exchange:
        number = driver if driver is not None else _driver(ctx)
        return Exchange("GET", f"{LOGBOOK}/{number}/{resource}", params=params(ctx) if params else {}, headers=headers)

    return build


VALID: dict[str, ValidRequest] = {
    "getStatusCurrent": _logbook("statuscurrent"),
    "getStatusHistory": _logbook("statushistory", lambda ctx: {"startDateTimeUtc": _start(ctx, 12)}),
    "getRemainingTime": _logbook("remainingtime"),
}


def _with_headers(valid: ValidRequest, headers: Callable[[RecipeContext], Headers]) -> RecipeBuilder:
    return lambda ctx: valid(ctx, headers(ctx))


def _on_unknown_driver(valid: ValidRequest) -> RecipeBuilder:
    def build(ctx: RecipeContext) -> Exchange:
        exchange = valid(ctx, _authorized(ctx))
        _, _, rest = exchange.path.removeprefix(f"{LOGBOOK}/").partition("/")
        return Exchange(exchange.method, f"{LOGBOOK}/no-such-driver/{rest}", exchange.params, exchange.headers)

    return build


def _invalid_token(ctx: RecipeContext) -> Headers:
    """Expired, unknown and malformed tokens all get Reveal's plain-text 400."""
    return {"Authorization": atmosphere("not-a-token")}


def _rate_limited(valid: ValidRequest) -> RecipeBuilder:
    """A bucket of two per token: the third request of one token is refused."""

    def build(ctx: RecipeContext) -> Exchange:
        exchange = valid(ctx, _authorized(ctx))
        ctx.control("PUT", "/ratelimits", {"rules": [{"api": API, "per": "token", "rate": 0.001, "burst": 2}]})
        for _ in range(2):
            ctx.send(exchange)
        return exchange

    return build


for _operation_id, _valid in VALID.items():
    register(API, _operation_id, 200, _with_headers(_valid, _authorized))
    register(API, _operation_id, 429, _rate_limited(_valid))
    register(API, _operation_id, 400, _with_headers(_valid, _invalid_token))
    register(API, _operation_id, 401, _with_headers(_valid, lambda ctx: {}))
    register(API, _operation_id, 404, _on_unknown_driver(_valid))
    register(API, _operation_id, 406, _with_headers(_valid, lambda ctx: {**_authorized(ctx), "Accept": "text/html"}))


@recipe(API, "getToken", 200)
def token(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/reveal/token", auth=USER)


@recipe(API, "getToken", 401)
def token_with_a_wrong_password(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/reveal/token", auth=(USER[0], "wrong"))
