"""Reveal's HTTP handlers and security functions, resolved from specs/reveal.yaml.

`basic_info` (the `/token` Basic scheme) and `atmosphere_info` (the Atmosphere header on LogBook operations) run
before the handlers; the principal arrives in `token_info`. Handlers parse, call one domain method, format.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver import runtime
from mockserver.http import request_header, request_origin
from mockserver.reveal.errors import RevealBadRequest
from mockserver.reveal.gateway import RevealPrincipal
from mockserver.reveal.hos import LogFormatError, parse_utc
from mockserver.reveal.views import (
    HISTORY_ROOT,
    REMAINING_ROOT,
    STATUS_ROOT,
    remaining_json,
    render,
    render_model,
    status_json,
)

BASE_PATH = "/reveal"


def basic_info(username: str, password: str) -> dict[str, Any]:
    """Connexion's `x-basicInfoFunc`: a Reveal user's credentials to its account; 401 otherwise."""
    account = runtime.current().reveal.login(username, password)
    return {"sub": username, "account": account}


def atmosphere_info(apikey: str, required_scopes: Any = None) -> dict[str, Any]:
    """Connexion's `x-apikeyInfoFunc` on the Authorization header: the Atmosphere header to its principal."""
    principal = runtime.current().reveal.authenticate(apikey)
    return {"sub": principal.username, "principal": principal}


def _principal(token_info: dict[str, Any]) -> RevealPrincipal:
    principal = token_info["principal"]
    assert isinstance(principal, RevealPrincipal)
    return principal


def _base() -> str:
    return request_origin() + BASE_PATH


def _accept() -> str | None:
    return request_header(b"accept")


async def get_token(token_info: dict[str, Any]) -> Response:
    token = runtime.current().reveal.issue_token(str(token_info["account"]), str(token_info["sub"]))
    return Response(token, media_type="text/plain")


async def get_status_current(driver_number: str, token_info: dict[str, Any]) -> Response:
    record = runtime.current().reveal.logbook.status_current(_principal(token_info), driver_number)
    base = _base()
    return render_model(record, lambda: status_json(record, base), STATUS_ROOT, _accept(), base)


async def get_status_history(driver_number: str, start_date_time_utc: str, token_info: dict[str, Any]) -> Response:
    try:
        start = parse_utc(start_date_time_utc)
    except LogFormatError:
        raise RevealBadRequest(
            f"startDateTimeUtc {start_date_time_utc!r} is not a date and time such as 2017-06-20T19:35:24.46"
        ) from None
    records = runtime.current().reveal.logbook.status_history(_principal(token_info), driver_number, start)
    base = _base()
    return render([status_json(r, base, with_distance=True) for r in records], HISTORY_ROOT, _accept())


async def get_remaining_time(driver_number: str, token_info: dict[str, Any]) -> Response:
    remaining = runtime.current().reveal.logbook.remaining_time(_principal(token_info), driver_number)
    return render(remaining_json(remaining, _base()), REMAINING_ROOT, _accept())
