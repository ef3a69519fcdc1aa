"""Recipes for every declared status of the control plane (`specs/control.yaml`) and the landing page."""

from __future__ import annotations

from datetime import timedelta

from recipe_base import Exchange, RecipeBuilder, RecipeContext, recipe, register

API = "control"
FAULT = {"match": {"api": "tachoshare", "method": "GET", "path": "/drivers"}, "times": 1, "respond": {"status": 503}}


def _get(path: str) -> Exchange:
    return Exchange("GET", f"/_sim{path}")


def _json(method: str, path: str, body: object) -> Exchange:
    return Exchange(method, f"/_sim{path}", json=body)


def _read(path: str) -> RecipeBuilder:
    return lambda ctx: _get(path)


for _operation_id, _path in {
    "getHealth": "/health",
    "getClock": "/clock",
    "getWorld": "/world",
    "listWorldAccounts": "/world/accounts",
    "listFaults": "/faults",
    "getRateLimits": "/ratelimits",
    "getJournal": "/journal",
    "getState": "/state",
    "getPki": "/pki",
    "listTenants": "/tenants",
    "listScenarios": "/scenarios",
}.items():
    register(API, _operation_id, 200, _read(_path))


@recipe(API, "getWorldList", 200)
def search_a_world_list(ctx: RecipeContext) -> Exchange:
    params = {"search": "a", "offset": 1, "limit": 5, "state": "tachoshare", "status": "OK"}
    return Exchange("GET", "/_sim/world/accounts/demo/drivers", params=params)


@recipe(API, "getWorldList", 400)
def page_a_world_list_with_no_rows(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/world/accounts/demo/drivers", params={"limit": 0})


@recipe(API, "getWorldList", 404)
def a_list_the_summary_does_not_have(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/world/accounts/demo/trucks")


@recipe("site", "landingPage", 200)
def landing_page(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/")


@recipe(API, "resetSimulator", 200)
def reset(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", "/_sim/reset")


@recipe(API, "clearJournal", 200)
def clear_journal(ctx: RecipeContext) -> Exchange:
    return Exchange("DELETE", "/_sim/journal")


@recipe(API, "getJournal", 400)
def journal_with_a_limit_below_one(ctx: RecipeContext) -> Exchange:
    return Exchange("GET", "/_sim/journal", params={"limit": "0"})


# -- clock ---------------------------------------------------------------------------------------------------


@recipe(API, "setClock", 200)
def set_clock_forward(ctx: RecipeContext) -> Exchange:
    later = ctx.sim.clock.now() + timedelta(days=1)
    return _json("PUT", "/clock", {"now": later.strftime("%Y-%m-%dT%H:%M:%SZ"), "rate": 0})


@recipe(API, "setClock", 400)
def set_clock_backwards(ctx: RecipeContext) -> Exchange:
    return _json("PUT", "/clock", {"now": "2000-01-01T00:00:00Z"})


@recipe(API, "advanceClock", 200)
def advance_clock(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/clock/advance", {"seconds": 3600})


@recipe(API, "advanceClock", 400)
def advance_clock_backwards(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/clock/advance", {"seconds": -60})


# -- tokens --------------------------------------------------------------------------------------------------


@recipe(API, "issueToken", 200)
def issue_token(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/tokens", {})


@recipe(API, "issueToken", 400)
def issue_token_for_an_unknown_account(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/tokens", {"account": "no-such-account"})


# -- Reveal duty logs ----------------------------------------------------------------------------------------


def _reveal_driver(ctx: RecipeContext) -> str:
    return str(ctx.account()["revealDrivers"][0]["driverNumber"])


@recipe(API, "replaceRevealDriverLog", 200)
def replace_duty_log(ctx: RecipeContext) -> Exchange:
    now = ctx.sim.clock.now()

    def at(hours_ago: int) -> str:
        return (now - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")

    log = [[at(20), "OffDuty"], [at(4), "OnDutyNotDriving"], [at(3), "OnDutyDriving"]]
    return _json("PUT", f"/reveal/drivers/{_reveal_driver(ctx)}/log", log)


@recipe(API, "replaceRevealDriverLog", 400)
def replace_duty_log_with_a_bad_event(ctx: RecipeContext) -> Exchange:
    return _json("PUT", f"/reveal/drivers/{_reveal_driver(ctx)}/log", [["yesterday", "Napping"]])


@recipe(API, "replaceRevealDriverLog", 404)
def replace_duty_log_of_an_unknown_driver(ctx: RecipeContext) -> Exchange:
    return _json("PUT", "/reveal/drivers/no-such-driver/log", [["2026-01-01T00:00:00Z", "OffDuty"]])


# -- faults and rate limits ----------------------------------------------------------------------------------


@recipe(API, "addFault", 201)
def add_fault(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/faults", FAULT)


@recipe(API, "addFault", 400)
def add_fault_with_two_effects(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/faults", {**FAULT, "latencyMs": 10})


@recipe(API, "clearFaults", 204)
def clear_faults(ctx: RecipeContext) -> Exchange:
    ctx.control("POST", "/faults", FAULT, expect=201)
    return Exchange("DELETE", "/_sim/faults")


@recipe(API, "deleteFault", 204)
def delete_fault(ctx: RecipeContext) -> Exchange:
    rule = ctx.control("POST", "/faults", FAULT, expect=201)
    return Exchange("DELETE", f"/_sim/faults/{rule['id']}")


@recipe(API, "deleteFault", 404)
def delete_unknown_fault(ctx: RecipeContext) -> Exchange:
    return Exchange("DELETE", "/_sim/faults/no-such-fault")


@recipe(API, "setRateLimits", 200)
def set_rate_limits(ctx: RecipeContext) -> Exchange:
    return _json("PUT", "/ratelimits", {"rules": [{"api": "reveal", "per": "account", "rate": 5, "burst": 10}]})


@recipe(API, "setRateLimits", 400)
def set_rate_limits_with_a_zero_rate(ctx: RecipeContext) -> Exchange:
    return _json("PUT", "/ratelimits", {"rules": [{"api": "tachoshare", "rate": 0, "burst": 1}]})


# -- state, tenants, scenarios -------------------------------------------------------------------------------


@recipe(API, "putState", 200)
def put_state_back(ctx: RecipeContext) -> Exchange:
    return _json("PUT", "/state", ctx.control("GET", "/state"))


@recipe(API, "putState", 400)
def put_state_of_a_newer_version(ctx: RecipeContext) -> Exchange:
    snapshot = ctx.control("GET", "/state")
    return _json("PUT", "/state", {**snapshot, "version": 999})


@recipe(API, "createTenant", 201)
def create_tenant(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/tenants", {"name": "contract-tenant", "seed": 7})


@recipe(API, "createTenant", 400)
def create_tenant_with_a_bad_name(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/tenants", {"name": "Not A Name!"})


@recipe(API, "createTenant", 409)
def create_tenant_named_like_an_account(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/tenants", {"name": "demo"})


@recipe(API, "deleteTenant", 204)
def delete_tenant(ctx: RecipeContext) -> Exchange:
    ctx.control("POST", "/tenants", {"name": "contract-tenant"}, expect=201)
    return Exchange("DELETE", "/_sim/tenants/contract-tenant")


@recipe(API, "deleteTenant", 404)
def delete_unknown_tenant(ctx: RecipeContext) -> Exchange:
    return Exchange("DELETE", "/_sim/tenants/no-such-tenant")


@recipe(API, "applyScenario", 200)
def apply_first_scenario(ctx: RecipeContext) -> Exchange:
    name = ctx.control("GET", "/scenarios")["scenarios"][0]["name"]
    return Exchange("POST", f"/_sim/scenarios/{name}")


@recipe(API, "applyScenario", 400)
def apply_a_malformed_scenario(ctx: RecipeContext) -> Exchange:
    """Shipped scenarios are valid, so a malformed one is put in a scenario directory of the test's own."""
    import mockserver.scenarios

    (ctx.tmp_path / "broken.yaml").write_text("description: broken\nnoSuchStep: {}\n", encoding="utf-8")
    ctx.monkeypatch.setattr(mockserver.scenarios, "scenario_dir", lambda: ctx.tmp_path)
    return Exchange("POST", "/_sim/scenarios/broken")


@recipe(API, "applyScenario", 404)
def apply_unknown_scenario(ctx: RecipeContext) -> Exchange:
    return Exchange("POST", "/_sim/scenarios/no-such-scenario")


# -- request verification (issue 18) -----------------------------------------------------------------------


@recipe(API, "countJournal", 200)
def count_journal(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/journal/count", {"match": {"api": "control", "method": "GET"}})


@recipe(API, "countJournal", 400)
def count_journal_with_a_bad_status(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/journal/count", {"match": {"status": 1000}})


@recipe(API, "findJournal", 200)
def find_journal_with_near_misses(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/journal/find", {"match": {"api": "control", "status": 418}, "nearMisses": 3})


@recipe(API, "findJournal", 400)
def find_journal_with_a_bad_count(ctx: RecipeContext) -> Exchange:
    return _json("POST", "/journal/find", {"match": {}, "nearMisses": 1000})
