"""Recipes for the statuses the guard (`mockserver.guard`) and the store's watchdog can answer on every route:
408, 413, 414, 431 and 503 everywhere they are declared, and the control plane's 401 and 403.

Each builds a real request to the operation's own path: one that is too large, too slow (its body never comes),
refused by the control plane's access rules, or made while the store is busy (`StateUnavailable`, raised where the
store or the shared clock would raise it for this one request only).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from contract_documents import declared_operations, load_spec_file, mount
from recipe_base import Exchange, RecipeContext, register

from mockserver.apis import registry
from mockserver.errors import StateUnavailable
from mockserver.guard import Access

GUARD_RESPONSES = {408: "RequestTimeout", 413: "PayloadTooLarge", 414: "UriTooLong", 431: "HeadersTooLarge"}
_busy: ContextVar[bool] = ContextVar("recipes_guard_busy", default=False)


def _path(api: str, template: str) -> str:
    return mount(api).base_path + re.sub(r"\{\w+\}", "x1", template)


def _drive(ctx: RecipeContext, exchange: Exchange, *, stall: bool = False, busy: bool = False) -> httpx.Response:
    """`exchange` sent straight to the ASGI app: with a body that never arrives (`stall`), or while the store is
    busy for this request only (`busy`)."""
    headers = [(k.lower().encode(), v.encode()) for k, v in exchange.headers.items()]
    headers.append((b"host", b"testserver"))
    if stall:
        headers.append((b"content-length", b"10"))
    query = urlencode(exchange.params).encode()
    scope = {
        "type": "http", "http_version": "1.1", "method": exchange.method, "scheme": "http", "root_path": "",
        "path": exchange.path, "raw_path": exchange.path.encode(), "query_string": query, "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        if stall:
            await asyncio.sleep(3600)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"], answer["headers"] = message["status"], message["headers"]
        else:
            answer["body"] += message.get("body", b"")

    async def call() -> None:
        token = _busy.set(busy)
        try:
            await ctx.client.app(scope, receive, send)
        finally:
            _busy.reset(token)

    ctx.client.portal.call(call)
    url = f"http://testserver{exchange.path}" + (f"?{query.decode()}" if query else "")
    raw = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in answer["headers"]]
    response = httpx.Response(
        answer["status"], headers=raw, content=answer["body"], request=httpx.Request(exchange.method, url)
    )
    response.elapsed = timedelta(0)
    return response


def _busy_store(ctx: RecipeContext) -> None:
    """Make every store and clock call of a `busy` request raise `StateUnavailable`, as a store locked past the watchdog
    would; other requests (the test's own before/after reads) pass."""

    def busy(function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if _busy.get():
                raise StateUnavailable.busy(5)
            return function(*args, **kwargs)

        return wrapper

    for target, names in ((ctx.sim.clock, ("now", "reading")), (ctx.sim.store, ("write", "section", "snapshot"))):
        for name in names:
            ctx.monkeypatch.setattr(target, name, busy(getattr(target, name)))


def _builders(api: str, method: str, template: str) -> Iterator[tuple[int, Any]]:
    path = _path(api, template)
    method = method.upper()

    def too_slow(ctx: RecipeContext) -> Exchange:
        ctx.monkeypatch.setattr(ctx.client.app, "limits", replace(ctx.client.app.limits, body_seconds=0.05))
        return Exchange(method, path, sender=lambda c, e: _drive(c, e, stall=True))

    def too_large(ctx: RecipeContext) -> Exchange:
        return Exchange(method, path, content=b"x" * (ctx.client.app.limits.body_limit(path) + 1))

    def url_too_long(ctx: RecipeContext) -> Exchange:
        return Exchange(method, path, params={"pad": "x" * ctx.client.app.limits.url_bytes})

    def header_too_large(ctx: RecipeContext) -> Exchange:
        return Exchange(method, path, headers={"X-Big": "x" * ctx.client.app.limits.header_bytes})

    def busy(ctx: RecipeContext) -> Exchange:
        _busy_store(ctx)
        return Exchange(
            method, path, headers={"Accept": "application/json"}, sender=lambda c, e: _drive(c, e, busy=True)
        )

    yield from ((408, too_slow), (413, too_large), (414, url_too_long), (431, header_too_large), (503, busy))
    if api in ("control", "console"):  # the console's data routes sit behind the control plane's guard

        def without_token(ctx: RecipeContext) -> Exchange:
            ctx.monkeypatch.setattr(ctx.client.app, "access", Access(token="the-control-token"))
            return Exchange(method, path)

        def cross_origin(ctx: RecipeContext) -> Exchange:
            return Exchange(method, path, headers={"Origin": "https://evil.example"})

        yield from ((401, without_token), (403, cross_origin))


for _api in registry():
    for _operation in declared_operations(_api.name, load_spec_file(_api)):
        for _status, _build in _builders(_api.name, _operation.method, _operation.path):
            if str(_status) in _operation.statuses:
                register(_api.name, _operation.operation_id, _status, _build)
