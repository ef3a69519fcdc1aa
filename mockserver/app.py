"""The ASGI application: every registered API mounted from its hand-written spec with Connexion, on one port.

The APIs come from the registry (`mockserver.apis`: spec file, URL prefix, handler module, error shape, ...); this
module names none of them, and adding an API never edits it.
Responses are validated against the specs only in `strict` mode (the tests prove conformance with Schemathesis),
which keeps the hot path lean.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
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

from mockserver.apis import ApiPlugin, Registry, registry
from mockserver.chain import DEFAULT_CHAIN, Chain, LinkFactory, Setup
from mockserver.chain.early import EarlyAnswers
from mockserver.errors import ApiError
from mockserver.fastlane import FastLane
from mockserver.guard import Access, Guard, Limits
from mockserver.queryparams import QueryBinding
from mockserver.resources import load_spec, specs_dir
from mockserver.routes import RouteTable
from mockserver.security_handlers import security_map
from mockserver.simulator import Simulator

logger = logging.getLogger("fleetmock")
# Connexion's validators log a client's mistake (a form without a required field) at ERROR, in their own words; the
# error handler below logs every client error at INFO in the simulator's (the words the client is answered with).
CONNEXION_VALIDATORS = "connexion.validators"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ModuleResolver(Resolver):
    """Resolves camelCase operationIds to snake_case functions of one handler module, or to the function another
    package registered for that operationId (`ApiPlugin.serves`)."""

    def __init__(self, module: str, elsewhere: dict[str, str] | None = None) -> None:
        super().__init__()
        self.module = module
        self.elsewhere = elsewhere or {}

    def resolve_operation_id(self, operation: Any) -> str:
        target = self.elsewhere.get(operation.operation_id)
        return target if target is not None else f"{self.module}.{_snake(operation.operation_id)}"


def _validation_detail(detail: str) -> str:
    """The first line of a jsonschema message, led by the field it concerns (`match.method: ...`)."""
    first = detail.strip().splitlines()[0] if detail.strip() else "invalid request"
    first = re.sub(r" does not match '.*?'(?= - '|$)", " is not in the expected format", first)  # no JSON-schema regex
    where = re.search(r"On instance((?:\[[^\]]+\])+)", detail)
    if where:
        field = ".".join(part.strip("'\"") for part in re.findall(r"\[([^\]]+)\]", where.group(1)))
        return f"{field}: {first}"
    return first


def _as_api_error(exc: Exception, mount: ApiPlugin) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, OAuthScopeProblem):
        scope = mount.oauth_scope.name if mount.oauth_scope is not None else ""
        headers = {"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'}
        return ApiError(
            "The access token is not valid for the required scopes.",
            status=403,
            headers=headers if mount.bearer_challenge else None,
        )
    if isinstance(exc, OAuthProblem | OAuthResponseProblem | ConnexionUnauthorized):
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        return ApiError(
            "The access token used is not valid anymore. It needs to be refreshed with refresh token.",
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
    sim: Simulator,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    access: Access | None = None,
    chain: Sequence[LinkFactory] = DEFAULT_CHAIN,
) -> Guard:
    """The ASGI app serving `sim`: every registered API, the control plane and the landing page, inside the request
    chain (`mockserver.chain`; leave a link out of `chain` to leave its concern out), behind the guard
    (`mockserver.guard`: size and time limits, control-plane access)."""
    apis = registry()
    logging.getLogger(CONNEXION_VALIDATORS).setLevel(logging.CRITICAL)  # their messages: client errors, logged below
    app = AsyncApp(__name__, specification_dir=str(specs_dir()), security_map=security_map())
    routes = RouteTable([(m.name, m.base_path, load_spec(m.spec)) for m in apis])
    for mount in apis:
        app.add_api(
            load_spec(mount.spec),
            base_path=mount.base_path or None,
            resolver=ModuleResolver(mount.handlers, apis.operations_served_for(mount.name)),
            pythonic_params=True,
            validate_responses=strict,
            strict_validation=mount.strict_parameters,
            swagger_ui_options=None,
            name=mount.name,
        )

    async def handle(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        mount = apis.mount_for(request.url.path)
        error = _as_api_error(exc, mount)
        if error.status == 405:  # RFC 9110: a 405 lists the methods the resource has
            error.headers.setdefault("Allow", ", ".join(sorted(routes.methods(request.url.path))))
        if error.status >= 500 and not isinstance(exc, ApiError):
            logger.error("unexpected error on %s", request.url.path, exc_info=exc)
        elif error.status < 500:
            logger.info("client error: %s %s answered %d: %s", request.method, request.url.path, error.status,
                        error.description)
        return mount.error(sim, request, error)

    for kind in (Exception, ProblemException, HTTPException, ApiError, 404, 405):
        app.add_error_handler(kind, handle)

    render_error = _error_renderer(sim, apis)
    # Strict mode validates every response, so nothing may be answered from memory past the validator, nor past
    # Connexion by the fast lane (issue 13).
    mounted = [(m.base_path, load_spec(m.spec), m.handlers) for m in apis if m.base_path]
    lane = app if strict else FastLane(app, mounted, apis.cacheable_reads())
    bindings = [(m.name, load_spec(m.spec), m.query_binding) for m in apis if m.query_binding is not None]
    bound = QueryBinding(lane, routes, bindings, strict=strict)  # the real services' parameter binding
    inner = Chain(Setup(bound, sim, routes, apis, render_error, strict=strict), chain)
    early = EarlyAnswers.of(inner)
    return Guard(inner, render_error, limits, access, early.answer if early is not None else None)


def _error_renderer(
    sim: Simulator, apis: Registry
) -> Callable[[Scope, int, str, dict[str, str]], tuple[int, list[tuple[bytes, bytes]], bytes]]:
    def render_error(
        scope: Scope, status: int, description: str, headers: dict[str, str]
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """An error in the API's own shape, for answers made outside the API (faults, rate limits)."""
        request = ConnexionRequest(scope)
        error = ApiError(description, status=status, headers=headers)
        response = apis.mount_for(request.url.path).error(sim, request, error)
        body = response.body if isinstance(response.body, bytes) else str(response.body or "").encode()
        raw = [
            (k.lower().encode("latin-1"), str(v).encode("latin-1"))
            for k, v in (response.headers or {}).items()
            if k.lower() not in ("content-type", "content-length")
        ]
        raw.append((b"content-type", str(response.content_type or response.mimetype).encode("latin-1")))
        raw.append((b"content-length", str(len(body)).encode()))
        return response.status_code, raw, body

    return render_error
