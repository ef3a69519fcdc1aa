"""Which API, relative path and operationId a request is for, from the specs, before Connexion routes it.

The fault rules, rate limits and the journal need this outside Connexion (they act before the API runs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mockserver.memo import Memo

RESOLVED = 4096  # (method, path) -> Route kept; a client's paths repeat (every VIN of a fleet fits many times)


@dataclass(frozen=True)
class Route:
    api: str
    prefix: str
    relative_path: str
    operation_id: str | None


@dataclass(frozen=True)
class _Operation:
    method: str
    pattern: re.Pattern[str]
    operation_id: str


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}/?$")


class RouteTable:
    def __init__(self, apis: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """`apis`: (name, URL prefix, spec document) of each mounted API; the longest prefix wins."""
        self._apis: list[tuple[str, str, list[_Operation]]] = []
        for name, prefix, document in sorted(apis, key=lambda a: -len(a[1])):
            operations = [
                _Operation(method.upper(), _compile(path), str(op.get("operationId")))
                for path, item in (document.get("paths") or {}).items()
                for method, op in item.items()
                if isinstance(op, dict) and "operationId" in op
            ]
            self._apis.append((name, prefix, operations))
        # a route is a function of (method, path) and the specs alone, so a hit is what `_resolve` gives; the chain
        # and the fast lane each resolve every request (issue 13: 4% of a read's CPU walking the patterns)
        self._resolved: Memo[tuple[str, str], Route] = Memo(RESOLVED, "routes")

    def resolve(self, method: str, path: str) -> Route:
        key = (method, path)
        route = self._resolved.get(key)
        if route is None:
            route = self._resolved.put(key, self._resolve(method, path))
        return route

    def _resolve(self, method: str, path: str) -> Route:
        for name, prefix, operations in self._apis:
            if prefix and not (path == prefix or path.startswith(prefix + "/")):
                continue
            relative = path[len(prefix) :] or "/"
            operation_id = next(
                (op.operation_id for op in operations if op.method == method and op.pattern.match(relative)), None
            )
            return Route(name, prefix, relative, operation_id)
        return Route("", "", path, None)  # nothing is mounted at the root

    def methods(self, path: str) -> set[str]:
        """The methods the specs declare for `path` (for a 405's Allow header)."""
        for _name, prefix, operations in self._apis:
            if prefix and not (path == prefix or path.startswith(prefix + "/")):
                continue
            relative = path[len(prefix) :] or "/"
            return {op.method for op in operations if op.pattern.match(relative)}
        return set()
