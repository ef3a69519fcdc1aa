"""The control plane's handlers (`/_sim`): health, reset, clock, world. Resolved from specs/control.yaml.

Operations about one API's state (`issueToken`, `replaceRevealDriverLog`) are served by that API's package, named
in its plugin's `serves`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.responses import Response

from mockserver import __version__, runtime
from mockserver.clock import MAX_ADVANCE_SECONDS, ClockError, ClockReading, parse_instant, rate_json
from mockserver.control.qa import (  # noqa: F401 (handlers resolved by name from specs/control.yaml)
    add_fault,
    apply_scenario,
    clear_faults,
    clear_journal,
    create_tenant,
    delete_fault,
    delete_tenant,
    get_journal,
    get_rate_limits,
    get_state,
    list_faults,
    list_scenarios,
    list_tenants,
    put_state,
    set_rate_limits,
)
from mockserver.control.summary import BadListAsk, NoSuchList, account_list, accounts_brief, world_summary
from mockserver.control.verification import count_journal, find_journal  # noqa: F401 (resolved by name)
from mockserver.errors import BadRequest, NotFound
from mockserver.http import iso_instant, json_response
from mockserver.tachograph.security.pki import simulator_pki


def _clock_json(reading: ClockReading) -> Response:
    return json_response({"now": iso_instant(reading.now), "rate": rate_json(reading.rate)})


async def get_health() -> Response:
    sim = runtime.current()
    return json_response({"status": "ok", "now": iso_instant(sim.clock.now()), "version": __version__})


async def reset_simulator() -> Response:
    sim = runtime.current()
    sim.reset()
    return _clock_json(sim.clock.reading())


async def get_clock() -> Response:
    return _clock_json(runtime.current().clock.reading())


def _json_object(body: Any) -> dict[str, Any]:
    """The JSON object a route takes; a body sent without `Content-Type: application/json` arrives as bytes."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object sent with Content-Type: application/json")
    return body


async def set_clock(body: dict[str, Any]) -> Response:
    body = _json_object(body)
    sim = runtime.current()
    try:
        target = parse_instant(body["now"]) if "now" in body else None
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"now: {body['now']!r} is not an ISO 8601 instant") from exc
    try:
        return _clock_json(sim.clock.set(target, body.get("rate")))
    except ClockError as exc:
        raise BadRequest(str(exc)) from exc


async def advance_clock(body: dict[str, Any]) -> Response:
    body = _json_object(body)
    try:
        seconds = float(body["seconds"])
        if seconds > MAX_ADVANCE_SECONDS:
            raise ClockError(f"seconds: at most {MAX_ADVANCE_SECONDS} (366 days) per advance, got {seconds:g}")
        return _clock_json(runtime.current().clock.advance(seconds))
    except ClockError as exc:
        raise BadRequest(str(exc)) from exc


async def get_world() -> Response:
    return json_response(world_summary(runtime.current()))


async def list_world_accounts() -> Response:
    return json_response(accounts_brief(runtime.current()))


async def get_world_list(
    account: str,
    name: str,
    search: str = "",
    keys: str = "",
    offset: int = 0,
    limit: int = 50,
    state: str = "",
    status: str = "",
) -> Response:
    wanted = tuple(k for k in keys.split(",") if k)
    sim = runtime.current()
    try:
        return json_response(account_list(sim, account, name, search, wanted, offset, limit, state, status))
    except NoSuchList as exc:
        raise NotFound(str(exc)) from None
    except BadListAsk as exc:
        raise BadRequest(str(exc)) from None


async def get_pki() -> Response:
    """The root public keys and certificates of the seed's simulator PKI (what signed files verify against)."""
    world = runtime.current().world
    publication = await asyncio.to_thread(lambda: simulator_pki(world.seed).publication())  # keys: ~1 s, once
    return json_response({"signing": world.signing, **publication.to_json()})
