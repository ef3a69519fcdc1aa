"""The ASGI application: every API mounted from its hand-written spec with Connexion, on one port.

APIs are registered in `MOUNTS` (spec file, URL prefix, handler module, error shape); adding an API adds an entry.
Responses are validated against the specs only in `strict` mode (the tests prove conformance with Schemathesis),
which keeps the hot path lean.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from connexion import AsyncApp
from connexion.exceptions import (
    BadRequestProblem,
    OAuthProblem,
    OAuthResponseProblem,
    OAuthScopeProblem,
    ProblemException,
    Unauthorized as ConnexionUnauthorized,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.resolver import Resolver
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from mockserver import runtime
from mockserver.errors import ApiError
from mockserver.http import dumps
from mockserver.resources import specs_dir
from mockserver.simulator import Simulator

logger = logging.getLogger("fleetmock")

ErrorFormatter = Callable[[Simulator, ConnexionRequest, ApiError], ConnexionResponse]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ModuleResolver(Resolver):
    """Resolves camelCase operationIds to snake_case functions of one handler module."""

    def __init__(self, module: str) -> None:
        super().__init__()
        self.module = module

    def resolve_operation_id(self, operation: Any) -> str:
        return f"{self.module}.{_snake(operation.operation_id)}"


def json_error(status: int, body: Any, headers: dict[str, str]) -> ConnexionResponse:
    return ConnexionResponse(status_code=status, mimetype="application/json", content_type="application/json",
                             body=dumps(body), headers=headers)


def described_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    """TachoShare's (and the control plane's) error body: {description, url, traceId}."""
    body = {"description": error.description, "url": str(request.url), "traceId": sim.next_trace_id()}
    return json_error(error.status, body, error.headers)


def oauth_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    """RFC 6749 §5.2 error body."""
    code = error.headers.pop("X-OAuth-Error", None) or {401: "invalid_client"}.get(error.status, "invalid_request")
    return json_error(error.status, {"error": code, "error_description": error.description}, error.headers)


@dataclass(frozen=True)
class ApiMount:
    name: str
    spec: str
    base_path: str
    handlers: str
    error: ErrorFormatter
    bearer_challenge: bool = False  # answer 401/403 with RFC 6750 WWW-Authenticate headers


MOUNTS: list[ApiMount] = [
    ApiMount("tachoshare", "tachoshare.yaml", "/tachoshare", "mockserver.tachoshare.handlers", described_error,
             bearer_challenge=True),
    ApiMount("control", "control.yaml", "/_sim", "mockserver.control.handlers", described_error),
    ApiMount("site", "site.yaml", "", "mockserver.control.site", described_error),
]


def _mount_for(path: str) -> ApiMount:
    best = MOUNTS[-1]
    for mount in MOUNTS:
        prefix = mount.base_path
        if prefix and (path == prefix or path.startswith(prefix + "/")) and len(prefix) > len(best.base_path):
            best = mount
    return best


def _as_api_error(exc: Exception, mount: ApiMount) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, OAuthScopeProblem):
        headers = {"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="tachoshare"'}
        return ApiError("The access token is not valid for the required scopes.", status=403,
                        headers=headers if mount.bearer_challenge else None)
    if isinstance(exc, OAuthProblem | OAuthResponseProblem | ConnexionUnauthorized):
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        return ApiError("Unauthorized: the access token is missing, invalid or expired. "
                        "It needs to be refreshed with the refresh token.", status=401,
                        headers=headers if mount.bearer_challenge else None)
    if isinstance(exc, BadRequestProblem):
        detail = str(exc.detail or "").strip().splitlines()[0] if exc.detail else "invalid request"
        return ApiError(f"A request parameter is missing or is not properly specified: {detail}", status=400)
    if isinstance(exc, ProblemException):
        return ApiError(str(exc.detail or exc.title), status=exc.status or 500)
    if isinstance(exc, HTTPException):
        text = "The requested resource is not found." if exc.status_code == 404 else str(exc.detail)
        return ApiError(text, status=exc.status_code)
    return ApiError("The simulator failed unexpectedly; this is a bug in fleetmock.", status=500)


def create_app(sim: Simulator, *, strict: bool = False) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI app serving `sim`: every API of `MOUNTS`, the control plane and the landing page."""
    app = AsyncApp(__name__, specification_dir=str(specs_dir()))
    for mount in MOUNTS:
        app.add_api(
            mount.spec,
            base_path=mount.base_path or None,
            resolver=ModuleResolver(mount.handlers),
            pythonic_params=True,
            validate_responses=strict,
            swagger_ui_options=None,
            name=mount.name,
        )

    async def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        mount = _mount_for(request.url.path)
        error = _as_api_error(exc, mount)
        if error.status >= 500 and not isinstance(exc, ApiError):
            logger.error("unexpected error on %s", request.url.path, exc_info=exc)
        return mount.error(sim, request, error)

    for kind in (Exception, ProblemException, HTTPException, ApiError, 404, 405):
        app.add_error_handler(kind, handle)

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        token = runtime.bind(sim)
        try:
            await app(scope, receive, send)
        finally:
            runtime.unbind(token)

    serve.connexion_app = app  # type: ignore[attr-defined]
    return serve
