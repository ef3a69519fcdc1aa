"""Recipes for every declared status of the QA console (`specs/console.yaml`)."""

from __future__ import annotations

from recipe_base import Exchange, RecipeContext, recipe

API = "console"
OCTETS = {"Content-Type": "application/octet-stream"}


def _vehicle_file(ctx: RecipeContext) -> bytes:
    """The first vehicle's VU file for the day before the world's start, as TachoShare serves it."""
    auth = ctx.bearer()
    vin = ctx.world()["accounts"][0]["vehicles"][0]["vin"]
    params = {"activityDate-from": "2026-10-30", "activityDate-to": "2026-10-31"}
    answer = ctx.send(Exchange("GET", f"/tachoshare/vehicles/{vin}/files", params=params, headers=auth))
    assert answer.status_code == 200, answer.text
    return bytes(answer.content)


@recipe(API, "consoleIndex", 200)
def index(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/")


@recipe(API, "consolePage", 200)
def page(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/pages/journal")


@recipe(API, "consolePage", 400)
def unknown_page(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/pages/admin")


@recipe(API, "consoleAsset", 200)
def asset(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/assets/console.css")


@recipe(API, "consoleAsset", 400)
def unknown_asset(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/assets/handlers.py")


@recipe(API, "chartTachographDay", 200)
def tachograph_day(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", "/_sim/console/charts/tachograph", params={"day": "2026-10-30"}, headers=OCTETS,
                    content=_vehicle_file(ctx))  # fmt: skip


@recipe(API, "chartTachographDay", 400)
def not_a_tachograph_file(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", "/_sim/console/charts/tachograph", params={"day": "2026-10-30"}, headers=OCTETS,
                    content=b"\x76\x21 not a file")  # fmt: skip


@recipe(API, "chartTachographDay", 404)
def a_day_the_file_does_not_hold(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", "/_sim/console/charts/tachograph", params={"day": "2020-01-01"}, headers=OCTETS,
                    content=_vehicle_file(ctx))  # fmt: skip


HISTORY = [{"Status": "OnDutyDriving", "StatusDateTimeUTC": "2026-11-01T06:00:00.00",
            "TimeRemainingSinceLastStatus": {"DailyDrivingMinutes": 660, "DailyOnDutyMinutes": 840}}]  # fmt: skip


@recipe(API, "chartEldDay", 200)
def eld_day(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", "/_sim/console/charts/eld", json={"day": "2026-11-01", "history": HISTORY})


@recipe(API, "chartEldDay", 400)
def eld_day_with_a_bad_timestamp(ctx: RecipeContext) -> Exchange:
    history = [{**HISTORY[0], "StatusDateTimeUTC": "2026-13-01T06:00:00.00"}]  # the pattern fits; no such month
    return Exchange("POST", "/_sim/console/charts/eld", json={"day": "2026-11-01", "history": history})


@recipe(API, "streamJournal", 200)
def stream(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/journal/stream", params={"since": "0", "wait": "0"})


@recipe(API, "streamJournal", 400)
def stream_waiting_too_long(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/journal/stream", params={"wait": "60"})


def _timeline_path(ctx: RecipeContext) -> str:
    return f"/_sim/console/timelines/vehicle/{ctx.world()['accounts'][0]['vehicles'][0]['vin']}"


@recipe(API, "getTimeline", 200)
def vehicle_timeline(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", _timeline_path(ctx), params={"account": "demo", "from": "2026-08-01"})


@recipe(API, "getTimeline", 400)
def timeline_range_backwards(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", _timeline_path(ctx), params={"account": "demo", "from": "2026-12-01", "to": "2026-01-01"})


@recipe(API, "getTimeline", 404)
def timeline_of_no_such_vehicle(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/console/timelines/vehicle/NOSUCHVIN", params={"account": "demo"})
