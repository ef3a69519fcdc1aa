"""What a fired fault rule does to the exchange, one registered function per effect kind.

Effects work at the ASGI level, below the API: a delayed request awaits (it holds no worker), a dropped connection
aborts the TCP transport (the server adds it to the scope, see `mockserver.serving`), a truncated body promises its
full Content-Length and stops half way, a trickled body arrives in small chunks with pauses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.faults.rules import FaultRule
from mockserver.http import dumps

TRANSPORT_KEY = "fleetmock.transport"


class DroppedConnection(Exception):
    """Raised where no transport can be aborted (in-process test clients): the exchange ends without an answer."""


@dataclass
class FaultContext:
    scope: Scope
    receive: Receive
    send: Send
    app: ASGIApp
    rule: FaultRule
    error_body: Callable[[int, str], tuple[bytes, str]]  # (status, description) -> (body, media type)

    async def call_app(self, send: Send | None = None) -> int:
        status = 0

        async def tracking(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await (send or self.send)(message)

        await self.app(self.scope, self.receive, tracking)
        return status

    async def captured(self) -> tuple[Message, bytes]:
        """Run the app, keeping its whole answer instead of sending it."""
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.app(self.scope, self.receive, keep)
        start = next(m for m in messages if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"transfer-encoding"]
        if not any(k.lower() == b"content-length" for k, _ in headers):  # a streamed answer is whole now
            headers.append((b"content-length", str(len(body)).encode()))
        return {**start, "headers": headers}, body

    def abort(self) -> None:
        transport = self.scope.get("extensions", {}).get(TRANSPORT_KEY)
        if transport is None:
            raise DroppedConnection("connection dropped by a fault rule")
        transport.abort()


Effect = Callable[[FaultContext], Awaitable[int]]
EFFECTS: dict[str, Effect] = {}


def effect(name: str) -> Callable[[Effect], Effect]:
    def register(function: Effect) -> Effect:
        EFFECTS[name] = function
        return function

    return register


@effect("respond")
async def respond(ctx: FaultContext) -> int:
    spec = ctx.rule.respond
    assert spec is not None
    if spec.body is None:
        body, media_type = ctx.error_body(spec.status, f"Fault injected by rule {ctx.rule.id}.")
    elif isinstance(spec.body, str):
        body, media_type = spec.body.encode(), "text/plain; charset=utf-8"
    else:
        body, media_type = dumps(spec.body), "application/json"
    headers: dict[str, Any] = {"content-type": media_type, **{k.lower(): v for k, v in spec.headers.items()}}
    headers["content-length"] = str(len(body))
    raw = [(k.encode("latin-1"), str(v).encode("latin-1")) for k, v in headers.items()]
    await ctx.send({"type": "http.response.start", "status": spec.status, "headers": raw})
    await ctx.send({"type": "http.response.body", "body": body})
    return spec.status


@effect("latency_ms")
async def latency(ctx: FaultContext) -> int:
    await asyncio.sleep((ctx.rule.latency_ms or 0) / 1000)
    return await ctx.call_app()


@effect("drop")
async def drop(ctx: FaultContext) -> int:
    ctx.abort()
    return 0


@effect("truncate")
async def truncate(ctx: FaultContext) -> int:
    start, body = await ctx.captured()
    await ctx.send(start)
    await ctx.send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    await asyncio.sleep(0)  # let the half body reach the socket before the connection goes
    ctx.abort()
    return int(start["status"])


@effect("trickle")
async def trickle(ctx: FaultContext) -> int:
    spec = ctx.rule.trickle
    assert spec is not None
    start, body = await ctx.captured()
    await ctx.send(start)
    for offset in range(0, len(body), spec.chunk_bytes):
        await ctx.send(
            {"type": "http.response.body", "body": body[offset : offset + spec.chunk_bytes], "more_body": True}
        )
        await asyncio.sleep(spec.delay_ms / 1000)
    await ctx.send({"type": "http.response.body", "body": b""})
    return int(start["status"])
