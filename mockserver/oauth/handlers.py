"""The authorization server's HTTP handlers, resolved from specs/webfleet-oauth.yaml: parse, decide, format.

`OAuthError`s raised by the token and revocation endpoints reach the OAuth plugin's `oauth_error` renderer (RFC 6749
JSON); those of the browser-facing authorization endpoint are shown as an HTML page instead.

Query parameters are read from the raw query string rather than from Connexion's arguments, because RFC 6749
forbids repeating a parameter (§3.1, §3.2) and Connexion would silently merge the values.

Not simulated: refusing a repeated form field. Connexion joins repeated fields with commas before a handler
sees the form, so `grant_type=a&grant_type=b` arrives as `a,b` (and fails as an unknown value, not as
`invalid_request`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import parse_qsl

from connexion import request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from mockserver import runtime
from mockserver.http import json_response
from mockserver.oauth.authorization import AuthorizationRequest, RedirectToClient
from mockserver.oauth.clients import ClientCredentials
from mockserver.oauth.errors import InvalidRequest, OAuthError
from mockserver.oauth.params import Params
from mockserver.oauth.service import OAuthService
from mockserver.oauth.views import ConsentPage, error_page

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PAGE_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY"}


def _params(text: str) -> Params:
    values: dict[str, list[str]] = defaultdict(list)
    try:
        for name, value in parse_qsl(text, keep_blank_values=True, errors="strict"):
            values[name].append(value)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidRequest("The parameters are not valid UTF-8 form encoding.") from exc
    return Params(dict(values))


def _query() -> Params:
    return _params(request.url.query)


def _service() -> OAuthService:
    service: OAuthService = runtime.current().services["oauth"]
    return service


def _consent_page(
    auth_request: AuthorizationRequest, params: Params | None = None, message: str | None = None
) -> Response:
    page = ConsentPage(
        auth_request,
        action=str(request.url.path),
        message=message,
        account=params.get("account") if params else None,
        username=params.get("username") if params else None,
    )
    return HTMLResponse(page.render(), headers=PAGE_HEADERS)


def _refused(error: OAuthError) -> Response:
    return HTMLResponse(error_page(error.error, error.description), status_code=400, headers=PAGE_HEADERS)


async def show_authorization() -> Response:
    try:
        auth_request = _service().authorization_request(_query())
    except RedirectToClient as redirect:
        return RedirectResponse(redirect.location, status_code=302)
    except OAuthError as error:
        return _refused(error)
    return _consent_page(auth_request)


async def submit_consent(body: dict[str, Any]) -> Response:
    params = Params(body)
    try:
        outcome = _service().consent(params)
    except RedirectToClient as redirect:
        return RedirectResponse(redirect.location, status_code=302)
    except OAuthError as error:
        return _refused(error)
    if outcome.location is not None:
        return RedirectResponse(outcome.location, status_code=302)
    return _consent_page(outcome.request, params, outcome.message)


async def request_token(body: dict[str, Any]) -> Response:
    params = Params(body)
    credentials = ClientCredentials.from_request(request.headers.get("authorization"), params)
    tokens = _service().token(credentials, params)
    return json_response(tokens.to_json(), headers=NO_STORE)


async def revoke_token(body: dict[str, Any]) -> Response:
    params = Params(body)
    credentials = ClientCredentials.from_request(request.headers.get("authorization"), params)
    _service().revoke(credentials, params)
    return Response(status_code=200)
