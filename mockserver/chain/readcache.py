"""The read-cache link: a read answered from memory when the same request was answered 200 at the same instant and
state.

Only the operations an API declares cacheable (`ApiPlugin.cacheable_reads`: answers that depend only on the request,
the simulated instant and the state). The `Memo`'s key holds everything such an answer depends on (path, query,
Authorization, Accept, the origin the request was sent to (scheme, Host, the server's address: Reveal's links are
made from it), the simulated instant and the state's generation), so a hit is the byte-identical answer the API
would give; polling clients and load tests hit it. Errors are never kept (their trace ids differ). It sits after
the rate limit and the faults, so a hit is still limited and faulted; strict mode (responses validated against the
specs) leaves it out.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.types import Message, Scope

from mockserver.chain.base import Answer, Call, Setup
from mockserver.chain.route import header
from mockserver.memo import Memo
from mockserver.queryparams import WARNINGS_KEY

ANSWERS = 256


class Kept:
    """A kept answer: its start message and body, and (made when first asked, for an answer sent early) its header
    lines as they go on the wire; None when the start message lacks a Content-Length matching the body or says
    `Connection`: such a hit is replayed through the chain only."""

    __slots__ = ("_wire", "body", "start", "warnings")

    def __init__(self, start: Message, body: bytes, warnings: tuple[str, ...] = ()) -> None:
        self.start = start
        self.body = body
        self.warnings = warnings  # what the query binding told the journal (`queryparams.WARNINGS_KEY`)
        self._wire: bytes | bool | None = False

    @property
    def wire(self) -> bytes | None:
        if self._wire is False:
            self._wire = wire_headers(self.start, self.body)
        return self._wire  # type: ignore[return-value]


# What uvicorn refuses to write in a header name or value (it fails the answer instead).
_BAD_NAME = re.compile(b'[\x00-\x1f\x7f()<>@,;:\\[\\]={} \t\\\\"]')
_BAD_VALUE = re.compile(b"[\x00-\x08\x0a-\x1f\x7f]")


def wire_headers(start: Message, body: bytes) -> bytes | None:
    """The start message's header lines as uvicorn writes them (lower-case names), for an answer sent early."""
    lines: list[bytes] = []
    length = None
    for name, value in start.get("headers", ()):
        if _BAD_NAME.search(name) or _BAD_VALUE.search(value):
            return None
        name = bytes(name).lower()
        if name == b"content-length":
            length = value
        elif name in (b"connection", b"transfer-encoding"):
            return None
        lines += [name, b": ", bytes(value), b"\r\n"]
    if length is None or not bytes(length).isdigit() or int(length) != len(body):
        return None
    return b"".join(lines)


class ReadCache:
    def __init__(self, setup: Setup) -> None:
        self.enabled = not setup.strict
        self.sim = setup.sim
        self.cacheable = {name: info.cacheable for name, info in setup.apis.routes.items() if info.cacheable}
        self.answers: Memo[tuple[Any, ...], Kept] = Memo(ANSWERS, "read answers")
        # (path, query, Authorization) of the answers held, noted when one is kept or hit through the chain: a
        # request whose pair is not here is no hit, known in one look-up (`mockserver.chain.early` asks it first, for
        # every GET). A pair may be missing while its answer is held (the pairs are forgotten in their own order):
        # that request then goes through the chain, which answers it from memory and notes the pair again.
        self.requests: Memo[tuple[str, bytes, str | None], bool] = Memo(4 * ANSWERS, "read requests")

    def key(self, scope: Scope, authorization: str | None) -> tuple[Any, ...]:
        """Everything a cacheable read's 200 depends on (the module docstring says why each part)."""
        headers = scope["headers"]
        host = header(headers, b"host")
        sim = self.sim
        return (
            scope["path"],
            scope.get("query_string", b""),
            authorization,
            header(headers, b"accept"),
            scope.get("scheme"),
            host if host is not None else tuple(scope.get("server") or ()),  # the server's address counts without one
            sim.clock.now(),
            sim.store.generation,
        )

    def enter(self, call: Call) -> Answer | None:
        route = call.route
        if route.operation_id not in self.cacheable.get(route.api, ()):
            return None
        scope = call.scope
        authorization = call.authorization
        if authorization is None:
            authorization = header(scope["headers"], b"authorization")
        key = self.key(scope, authorization)
        hit = self.answers.get(key)
        if hit is not None:
            call.hit = hit
            if hit.warnings:  # the query binding does not run for a hit: its journal entry says what it said
                scope[WARNINGS_KEY] = list(hit.warnings)
            self.requests.put(key[:3], True)
            return self.replay
        call.cache_key = key
        call.kept = []
        return None

    async def replay(self, call: Call) -> None:
        assert call.hit is not None
        hit = call.hit
        await call.forward(hit.start)
        await call.forward({"type": "http.response.body", "body": hit.body})

    def leave(self, call: Call) -> None:
        kept = call.kept
        if kept is None or call.cache_key is None or call.status != 200:
            return
        start = next((m for m in kept if m["type"] == "http.response.start"), None)
        if start is None:
            return
        body = b"".join(m.get("body", b"") for m in kept if m["type"] == "http.response.body")
        self.keep(call.cache_key, Kept(start, body, tuple(call.scope.get(WARNINGS_KEY, ()))))

    def keep(self, key: tuple[Any, ...], kept: Kept) -> None:
        """Keep a 200 under its key (the chain's, or `mockserver.chain.early` for an answer it made)."""
        self.answers.put(key, kept)
        self.requests.put(key[:3], True)
