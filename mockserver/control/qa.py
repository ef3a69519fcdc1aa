"""Control-plane handlers for QA: fault rules, rate limits, the request journal, state snapshots.

Re-exported by `mockserver.control.handlers`, which Connexion resolves the control spec against.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver import runtime
from mockserver.apis import registry
from mockserver.control.service import ControlService
from mockserver.errors import BadRequest
from mockserver.faults import parse_rule
from mockserver.http import json_response
from mockserver.journal import JournalFilter
from mockserver.ratelimit import RateLimits, parse_limits
from mockserver.simulator import Simulator
from mockserver.snapshot import restore_snapshot, take_snapshot
from mockserver.world.models import Account, OAuthClient


def _service() -> ControlService:
    service: ControlService = runtime.current().services["control"]
    return service


async def list_faults() -> Response:
    book = runtime.current().faults
    matches = {str(r.id): book.matches.get(str(r.id), 0) for r in book.rules}
    return json_response({"rules": [r.to_json() for r in book.rules], "matches": matches})


async def add_fault(body: Any) -> Response:
    installed = _service().add_fault(parse_rule(body))
    return json_response(installed.to_json(), status=201)


async def delete_fault(id_: str) -> Response:  # Connexion renames the spec's `id`, a Python builtin
    _service().delete_fault(id_)
    return Response(status_code=204)


async def clear_faults() -> Response:
    _service().clear_faults()
    return Response(status_code=204)


async def get_rate_limits() -> Response:
    sim = runtime.current()
    return json_response({**sim.rate_limits.to_json(), "buckets": sim.rate_limiter.levels(sim.rate_limits)})


async def set_rate_limits(body: Any) -> Response:
    if not isinstance(body, dict):
        raise BadRequest("a JSON object with 'rules' is expected")
    rules = parse_limits(body.get("rules", []))
    _service().set_rate_limits(rules)
    return json_response(RateLimits(rules).to_json())


async def get_journal(
    api: str | None = None,
    method: str | None = None,
    path: str | None = None,
    status: int | None = None,
    account: str | None = None,
    since: int | None = None,
    limit: int | None = None,
    before: int | None = None,
    bodies: bool = True,
) -> Response:
    where = JournalFilter(api, method, path, status, account, since, limit, before)
    entries = runtime.current().journal.entries(where)
    return json_response({"entries": [e.to_json(bodies) for e in entries]})


async def clear_journal() -> Response:
    return json_response({"cleared": runtime.current().journal.clear()})


async def get_state() -> Response:
    return json_response(take_snapshot(runtime.current()))


async def put_state(body: Any) -> Response:
    sim = runtime.current()
    restore_snapshot(sim, body)
    return json_response(take_snapshot(sim))


def _tenant_json(sim: Simulator, account: Account, client: OAuthClient, seed: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "name": account.name,
        "seed": seed,
        "account": account.name,
        "oauthClient": {"clientId": client.client_id, "secret": client.secret},
        "users": [{"username": u.username, "password": u.password} for u in account.users],
    }
    for plugin in registry():  # each API's credentials for the tenant (`ApiPlugin.tenant_summary`)
        if plugin.tenant_summary is not None:
            key, value = plugin.tenant_summary(account)
            answer[key] = value
    answer["vehicles"] = len(account.vehicles)
    answer["drivers"] = len(account.drivers)
    return answer


async def create_tenant(body: Any) -> Response:
    sim = runtime.current()
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        raise BadRequest("name: a tenant needs a name")
    seed = body.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise BadRequest("seed: an integer is expected")
    account, client, chosen = sim.create_tenant(body["name"], seed)
    return json_response(_tenant_json(sim, account, client, chosen), status=201)


async def list_tenants() -> Response:
    sim = runtime.current()
    tenants = []
    for name, seed in sim.tenants.seeds.items():
        account = sim.account(name)
        client = sim.world.client(f"{name}-client")
        if account is not None and client is not None:
            tenants.append(_tenant_json(sim, account, client, seed))
    return json_response({"tenants": tenants})


async def delete_tenant(name: str) -> Response:
    runtime.current().delete_tenant(name)
    return Response(status_code=204)


async def list_scenarios() -> Response:
    from mockserver import scenarios

    return json_response(
        {
            "scenarios": [
                {"name": s.name, "description": s.description, "steps": [k for k, _ in s.steps]}
                for s in scenarios.available().values()
            ]
        }
    )


async def apply_scenario(name: str) -> Response:
    from mockserver import scenarios

    sim = runtime.current()
    scenario = scenarios.load(name)
    scenarios.apply(sim, scenario)
    return json_response({"name": scenario.name, "applied": [k for k, _ in scenario.steps]})
