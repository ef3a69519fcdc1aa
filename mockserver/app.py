"""The ASGI application: every API mounted from its hand-written spec with Connexion, on one port.

APIs are registered in `MOUNTS` (spec file, URL prefix, handler module, error shape); adding an API adds an entry.
Responses are validated against the specs only in `strict` mode (the tests prove conformance with Schemathesis),
which keeps the hot path lean.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connexion import AsyncApp
from connexion.exceptions import (
    BadRequestProblem,
    OAuthProblem,
    OAuthResponseProblem,
    OAuthScopeProblem,
    ProblemException,
)
from connexion.exceptions import (
    Unauthorized as ConnexionUnauthorized,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.resolver import Resolver
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.types import Scope

from mockserver import runtime
from mockserver.errors import ApiError
from mockserver.fastlane import FastLane
from mockserver.guard import Access, Guard, Limits
from mockserver.http import dumps
from mockserver.middleware import CACHEABLE_READS, SimulatorMiddleware
from mockserver.oauth.errors import error_code as oauth_error_code
from mockserver.resources import load_spec, specs_dir
from mockserver.reveal.formatting import reveal_error
from mockserver.routes import RouteTable
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
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=dumps(body),
        headers=headers,
    )


def described_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    """TachoShare's (and the control plane's) error body: {description, url, traceId}."""
    trace_id = runtime.trace_id() or sim.next_trace_id()
    body = {"description": error.description, "url": str(request.url), "traceId": trace_id}
    return json_error(error.status, body, error.headers)


def oauth_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    """RFC 6749 §5.2 error body: the code an `OAuthError` carries, else one fitting the status."""
    body = {"error": oauth_error_code(error), "error_description": error.description}
    return json_error(error.status, body, error.headers)


@dataclass(frozen=True)
class ApiMount:
    name: str
    spec: str
    base_path: str
    handlers: str
    error: ErrorFormatter
    bearer_challenge: bool = False  # answer 401/403 with RFC 6750 WWW-Authenticate headers
    strict_parameters: bool = False  # an undeclared query parameter is a 400


MOUNTS: list[ApiMount] = [
    ApiMount(
        "tachoshare",
        "tachoshare.yaml",
        "/tachoshare",
        "mockserver.tachoshare.handlers",
        described_error,
        bearer_challenge=True,
        strict_parameters=True,
    ),
    ApiMount("oauth", "webfleet-oauth.yaml", "/webfleet-auth/uaa/oauth", "mockserver.oauth.handlers", oauth_error),
    ApiMount("reveal", "reveal.yaml", "/reveal", "mockserver.reveal.handlers", reveal_error),
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


def _validation_detail(detail: str) -> str:
    """The first line of a jsonschema message, led by the field it concerns (`match.method: ...`)."""
    first = detail.strip().splitlines()[0] if detail.strip() else "invalid request"
    where = re.search(r"On instance((?:\[[^\]]+\])+)", detail)
    if where:
        field = ".".join(part.strip("'\"") for part in re.findall(r"\[([^\]]+)\]", where.group(1)))
        return f"{field}: {first}"
    return first


def _as_api_error(exc: Exception, mount: ApiMount) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, OAuthScopeProblem):
        headers = {"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="tachoshare"'}
        return ApiError(
            "The access token is not valid for the required scopes.",
            status=403,
            headers=headers if mount.bearer_challenge else None,
        )
    if isinstance(exc, OAuthProblem | OAuthResponseProblem | ConnexionUnauthorized):
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        return ApiError(
            "Unauthorized: the access token is missing, invalid or expired. "
            "It needs to be refreshed with the refresh token.",
            status=401,
            headers=headers if mount.bearer_challenge else None,
        )
    if isinstance(exc, BadRequestProblem):
        detail = _validation_detail(str(exc.detail or "invalid request"))
        return ApiError(f"A request parameter is missing or is not properly specified: {detail}", status=400)
    if isinstance(exc, ProblemException):
        return ApiError(str(exc.detail or exc.title), status=exc.status or 500)
    if isinstance(exc, RecursionError):  # JSON nested deeper than the parser or the validator goes
        return ApiError("A request parameter is missing or is not properly specified: the body is nested too deeply.")
    if isinstance(exc, MultiPartException):  # a form of more than 1,000 fields, or a field over 1 MB
        return ApiError(f"A request parameter is missing or is not properly specified: {exc.message}.")
    if isinstance(exc, UnicodeDecodeError):
        return ApiError(
            "A request parameter is missing or is not properly specified: the body is not valid UTF-8 JSON.", status=400
        )
    if isinstance(exc, HTTPException):
        text = "The requested resource is not found." if exc.status_code == 404 else str(exc.detail)
        return ApiError(text, status=exc.status_code)
    return ApiError("The simulator failed unexpectedly; this is a bug in fleetmock.", status=500)


def create_app(
    sim: Simulator, *, strict: bool = False, limits: Limits | None = None, access: Access | None = None
) -> Guard:
    """The ASGI app serving `sim`: every API of `MOUNTS`, the control plane and the landing page, behind the guard
    (`mockserver.guard`: size and time limits, control-plane access)."""
    app = AsyncApp(__name__, specification_dir=str(specs_dir()))
    routes = RouteTable([(m.name, m.base_path, load_spec(m.spec)) for m in MOUNTS])
    for mount in MOUNTS:
        app.add_api(
            load_spec(mount.spec),
            base_path=mount.base_path or None,
            resolver=ModuleResolver(mount.handlers),
            pythonic_params=True,
            validate_responses=strict,
            strict_validation=mount.strict_parameters,
            swagger_ui_options=None,
            name=mount.name,
        )

    async def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        mount = _mount_for(request.url.path)
        error = _as_api_error(exc, mount)
        if error.status == 405:  # RFC 9110: a 405 lists the methods the resource has
            error.headers.setdefault("Allow", ", ".join(sorted(routes.methods(request.url.path))))
        if error.status >= 500 and not isinstance(exc, ApiError):
            logger.error("unexpected error on %s", request.url.path, exc_info=exc)
        return mount.error(sim, request, error)

    for kind in (Exception, ProblemException, HTTPException, ApiError, 404, 405):
        app.add_error_handler(kind, handle)

    def render_error(
        scope: Scope, status: int, description: str, headers: dict[str, str]
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """An error in the API's own shape, for answers made outside the API (faults, rate limits)."""
        request = ConnexionRequest(scope)
        error = ApiError(description, status=status, headers=headers)
        response = _mount_for(request.url.path).error(sim, request, error)
        body = response.body if isinstance(response.body, bytes) else str(response.body or "").encode()
        raw = [
            (k.lower().encode("latin-1"), str(v).encode("latin-1"))
            for k, v in (response.headers or {}).items()
            if k.lower() not in ("content-type", "content-length")
        ]
        raw.append((b"content-type", str(response.content_type or response.mimetype).encode("latin-1")))
        raw.append((b"content-length", str(len(body)).encode()))
        return response.status_code, raw, body

    # Strict mode validates every response, so nothing may be answered from memory past the validator, nor past
    # Connexion by the fast lane (issue 13).
    apis = [(m.base_path, load_spec(m.spec), m.handlers) for m in MOUNTS if m.base_path]
    lane = app if strict else FastLane(app, apis, CACHEABLE_READS)
    inner = SimulatorMiddleware(lane, sim, routes, render_error, cache_reads=not strict)
    return Guard(inner, render_error, limits, access)
