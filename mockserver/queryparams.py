"""Query parameters the way the real services bind them, before the API (Connexion) sees the request.

The real TachoShare is a Java service: it binds parameters by their exact names and ignores any other (`?page=2`,
a cache-buster, `activitydate-from` in the wrong case). Reveal is ASP.NET Web API, whose model binding matches
names case-insensitively (`startdatetimeutc` is `startDateTimeUtc`) and ignores the rest. This layer renames what
binds to its declared spelling, drops what binds to nothing, and tells the developer: a `Fleetmock-Warning` response
header per ignored parameter, and the same text in the request's journal entry (`warnings`). With `--strict` an
unknown parameter is kept, so the API's own validation refuses it with a 400 as before.

Not simulated: the real services' handling of a repeated parameter (all values reach the API here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.routes import RouteTable

WARNINGS_KEY = "fleetmock.warnings"  # the scope key the journal reads the warnings from
HEADER = b"fleetmock-warning"


@dataclass(frozen=True)
class BindingPolicy:
    """How one API binds query parameter names."""

    case_insensitive: bool = False


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def declared_query_names(document: dict[str, Any]) -> dict[str, frozenset[str]]:
    """operationId -> the names of its query parameters (path-item and operation level)."""
    found: dict[str, frozenset[str]] = {}
    for item in (document.get("paths") or {}).values():
        shared = item.get("parameters", [])
        for operation in item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            parameters = (_resolve(document, p) for p in (*shared, *operation.get("parameters", [])))
            found[str(operation["operationId"])] = frozenset(p["name"] for p in parameters if p.get("in") == "query")
    return found


def bind(names: Iterable[str], declared: frozenset[str], policy: BindingPolicy) -> list[str | None]:
    """Per name sent: the declared name it binds to, or None when it binds to nothing."""
    folded = {name.lower(): name for name in declared}
    bound: list[str | None] = []
    for name in names:
        if name in declared:
            bound.append(name)
        elif policy.case_insensitive:
            bound.append(folded.get(name.lower()))
        else:
            bound.append(None)
    return bound


def header_value(text: str) -> bytes:
    """`text` as a header value: anything outside printable ASCII escaped (`\\xe5`), so any name can be reported."""
    return text.encode("unicode_escape").replace(b"\x7f", b"\\x7f")


def warning_text(name: str) -> str:
    return f"unknown query parameter '{name}' ignored"


def _segments(raw: bytes) -> list[tuple[bytes, str]]:
    """Each `name=value` segment as sent, with its decoded name."""
    found = []
    for segment in raw.split(b"&"):
        if segment:
            name = unquote_plus(segment.partition(b"=")[0].decode("latin-1"), encoding="utf-8", errors="replace")
            found.append((segment, name))
    return found


class QueryBinding:
    """ASGI layer in front of the APIs: binds query parameter names as the real service would (module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        routes: RouteTable,
        apis: Sequence[tuple[str, dict[str, Any], BindingPolicy]],
        *,
        strict: bool = False,
    ) -> None:
        self.app = app
        self.routes = routes
        self.strict = strict
        self.policies = {name: policy for name, _, policy in apis}
        self.declared = {name: declared_query_names(document) for name, document, _ in apis}

    def _rebind(self, raw: bytes, declared: frozenset[str], policy: BindingPolicy) -> tuple[bytes, list[str], bool]:
        """The query string the API receives, the names ignored, and whether anything changed."""
        segments = _segments(raw)
        kept: list[bytes] = []
        unknown: list[str] = []
        changed = False
        for (segment, name), target in zip(segments, bind((n for _, n in segments), declared, policy), strict=True):
            if target is None and not self.strict:  # with --strict the API's own validation refuses it
                unknown.append(name)
                changed = True
            elif target is None or target == name:
                kept.append(segment)
            else:  # bound under another spelling: sent on under the declared one
                _, equals, value = segment.partition(b"=")
                kept.append(quote(target, safe="-._~").encode() + equals + value)
                changed = True
        return b"&".join(kept), unknown, changed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("query_string", b"")
        route = self.routes.resolve(scope["method"], scope["path"]) if scope["type"] == "http" and raw else None
        operations = self.declared.get(route.api) if route else None
        if route is None or operations is None or route.operation_id not in operations:
            await self.app(scope, receive, send)
            return
        kept, unknown, changed = self._rebind(raw, operations[route.operation_id], self.policies[route.api])
        if not changed:
            await self.app(scope, receive, send)
            return
        warnings = [warning_text(name) for name in dict.fromkeys(unknown)]
        scope[WARNINGS_KEY] = warnings
        inner = {**scope, "query_string": kept}

        async def warn(message: Message) -> None:
            if message["type"] == "http.response.start" and warnings:
                headers = [*message.get("headers", []), *((HEADER, header_value(w)) for w in warnings)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(inner, receive, warn)
