"""A fast lane past Connexion's middleware stack for the hot, parameter-light reads (issue 13).

Connexion stays the spec-driven router of every request; this layer sits in front of it and answers only requests it
can prove Connexion would pass to the same handler unchanged: a GET without a query string on an operation whose only
parameters are string path parameters, whose one security requirement is satisfied by the same info function
Connexion calls (`x-tokenInfoFunc` / `x-apikeyInfoFunc`) with the required scopes granted, and whose path parameters
validate against their schemas from the spec (jsonschema validators compiled once). Anything else - no credential, an
invalid one, a parameter that fails its schema, a query string, a handler raising an API error - goes to Connexion
unchanged, which answers exactly as it always did (its 400/401/403/404/406 bodies and headers). So the spec remains
the single source of routes, schemas and security, validation stays on, and errors keep one code path.

Measured (bench/PROFILE.md): with a fresh credential per request, Connexion's stack (routing twice, security, the
request validator, the context and parameter decorators, `inspect.signature` twice per request in the security
wrapper) took about three quarters of a request's CPU; this lane does the same checks in one pass. It is off in
`--strict` mode (responses are validated there, by Connexion).

Not simulated: nothing; this is a performance layer with no behaviour of its own.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from connexion.context import _context, _receive, _scope
from connexion.decorators.parameter import pythonic
from jsonschema import Draft4Validator
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mockserver.memo import Memo
from mockserver.routes import RouteTable

InfoCheck = Callable[[Scope], dict[str, Any] | None]  # the token info of a request, None: let Connexion decide
Handler = Callable[..., Awaitable[Response]]


VERDICTS = 4096  # path parameter values whose verdict a parameter keeps


class ParamCheck:
    """A path parameter's schema check (a jsonschema validator compiled once from the spec), its verdicts kept by
    value: a verdict is a function of the value and the schema alone, and clients send the same VINs and card
    numbers again and again (issue 13: validation was 3% of a `/vehicles/{vin}` read)."""

    def __init__(self, validator: Draft4Validator) -> None:
        self.validator = validator
        self.verdicts: Memo[str, bool] = Memo(VERDICTS, "path parameter verdicts")

    def __call__(self, value: str) -> bool:
        verdict = self.verdicts.get(value)
        if verdict is None:
            verdict = self.verdicts.put(value, bool(self.validator.is_valid(value)))
        return verdict


@dataclass(frozen=True)
class FastOperation:
    pattern: re.Pattern[str]  # the path template, each parameter a group, in the template's order
    params: tuple[tuple[str, ParamCheck], ...]  # (handler argument, check) of each group
    check: InfoCheck
    handler: Handler
    wants_token_info: bool


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _import(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _granted(required: list[str], info: dict[str, Any]) -> bool:
    """Connexion's default scope check: every required scope among the token's (a list, or a space-separated str)."""
    scopes = info.get("scope", info.get("scopes", ""))
    return set(required) <= (set(scopes) if isinstance(scopes, list) else set(str(scopes).split()))


def _oauth_check(scheme: dict[str, Any], required: list[str]) -> InfoCheck | None:
    if "x-tokenInfoFunc" not in scheme or "x-scopeValidateFunc" in scheme:
        return None
    info_of = _import(scheme["x-tokenInfoFunc"])

    def check(scope: Scope) -> dict[str, Any] | None:
        kind, _, token = (_header(scope, b"authorization") or "").strip().partition(" ")
        token = token.strip()
        if kind.lower() != "bearer" or not token or len(token.split()) != 1:
            return None
        info = info_of(token)
        return info if isinstance(info, dict) and _granted(required, info) else None

    return check


def _api_key_check(scheme: dict[str, Any], required: list[str]) -> InfoCheck | None:
    if scheme.get("in") != "header" or "x-apikeyInfoFunc" not in scheme or required:
        return None
    info_of = _import(scheme["x-apikeyInfoFunc"])
    header = str(scheme["name"]).lower().encode("latin-1")

    def check(scope: Scope) -> dict[str, Any] | None:
        value = _header(scope, header)
        if value is None:
            return None
        try:
            info = info_of(value, required_scopes=required)
        except Exception:  # the API's own refusal: Connexion calls the function again and answers it
            return None
        return info if isinstance(info, dict) else None

    return check


SECURITY_CHECKS: dict[str, Callable[[dict[str, Any], list[str]], InfoCheck | None]] = {
    "oauth2": _oauth_check,
    "apiKey": _api_key_check,
}


def _security(spec: dict[str, Any], operation: dict[str, Any]) -> InfoCheck | None:
    requirements = operation.get("security", spec.get("security"))
    if not requirements or len(requirements) != 1 or len(requirements[0]) != 1:
        return None
    ((name, required),) = requirements[0].items()
    scheme = _resolve(spec, spec["components"]["securitySchemes"][name])
    build = SECURITY_CHECKS.get(scheme.get("type", ""))
    return build(scheme, list(required or [])) if build else None


def _path_params(spec: dict[str, Any], raw: list[Any]) -> dict[str, Draft4Validator] | None:
    """Each path parameter's validator by name; None when any parameter is not a string in the path."""
    params = {}
    for param in (_resolve(spec, p) for p in raw):
        schema = _resolve(spec, param.get("schema", {}))
        if param.get("in") != "path" or schema.get("type") != "string":
            return None
        params[str(param["name"])] = Draft4Validator(schema)
    return params


def _pattern(template: str) -> tuple[re.Pattern[str], list[str]]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join("([^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$"), [p[1:-1] for p in parts if p.startswith("{")]


def _operation(spec: dict[str, Any], base: str, path: str, item: dict[str, Any], handlers: str) -> FastOperation | None:
    operation = item.get("get")
    if not operation or "requestBody" in operation:
        return None
    params = _path_params(spec, [*item.get("parameters", []), *operation.get("parameters", [])])
    check = _security(spec, operation)
    if params is None or check is None:
        return None
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", operation["operationId"]).lower()
    handler = getattr(importlib.import_module(handlers), name)
    arguments = inspect.signature(handler).parameters
    pattern, names = _pattern(base + path)
    if set(names) != set(params) or any(pythonic(n) not in arguments for n in names):
        return None
    ordered = tuple((pythonic(n), ParamCheck(params[n])) for n in names)
    return FastOperation(pattern, ordered, check, handler, "token_info" in arguments)


class FastLane:
    """An ASGI layer answering the provably plain reads of `operations`, everything else by `app` (Connexion)."""

    def __init__(self, app: ASGIApp, apis: list[tuple[str, dict[str, Any], str]], operations: frozenset[str]) -> None:
        self.app = app
        self.routes = RouteTable([(base, base, spec) for base, spec, _ in apis])
        self.operations: dict[tuple[str, str], FastOperation] = {}
        for base, spec, handlers in apis:
            for path, item in spec.get("paths", {}).items():
                op = item.get("get", {}).get("operationId")
                fast = _operation(spec, base, path, item, handlers) if op in operations else None
                if fast is not None:
                    self.operations[(base, op)] = fast

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self._answer(scope, receive) if scope["type"] == "http" else None
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive) -> Response | None:
        prepared = self.prepare(scope)
        if prepared is None:
            return None
        handler, kwargs, info = prepared
        bind_request(scope, receive, info)
        try:
            return await handler(**kwargs)
        except Exception:  # an API error (404, 406, ...): Connexion runs the request again and formats it
            return None

    def prepare(self, scope: Scope) -> tuple[Handler, dict[str, Any], dict[str, Any]] | None:
        """The handler of a request this lane answers, its arguments and the token info; None: Connexion's.
        (`mockserver.chain.early` calls it too, with the simulator bound.)"""
        if scope["method"] != "GET" or scope.get("query_string"):
            return None
        route = self.routes.resolve("GET", scope["path"])  # the operation Connexion would route to
        fast = self.operations.get((route.api, route.operation_id or ""))
        match = fast.pattern.match(scope["path"]) if fast else None
        if fast is None or match is None:
            return None
        kwargs: dict[str, Any] = {}
        for (argument, valid), value in zip(fast.params, match.groups(), strict=True):
            if not valid(value):
                return None
            kwargs[argument] = value
        info = fast.check(scope)
        if info is None:
            return None
        if fast.wants_token_info:
            kwargs["token_info"] = info
        return fast.handler, kwargs, info


def bind_request(scope: Scope, receive: Receive, info: dict[str, Any]) -> None:
    """What Connexion's context gives a handler (`connexion.request`, `connexion.context`), as its security sets it."""
    _context.set({"user": info.get("sub", info.get("uid")), "token_info": info})
    _scope.set(scope)
    _receive.set(receive)
