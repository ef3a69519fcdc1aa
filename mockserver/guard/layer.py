"""The guard as an ASGI wrapper around the whole app (see the package docstring)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.errors import ApiError
from mockserver.guard.access import Access, Caller
from mockserver.guard.limits import Limits
from mockserver.guard.respond import ErrorRenderer, describe, send_error


class BodyRefused(Exception):
    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        render: ErrorRenderer,
        limits: Limits | None = None,
        access: Access | None = None,
        early: Callable[[Scope, Callable[[Scope], bool]], Any] | None = None,
    ) -> None:
        self.app = app
        self.render = render
        self.limits = limits or Limits()
        self.access = access or Access()
        self._early = early

    def early_answer(self, scope: Scope) -> Any:
        """An answer the app gives before the request's task starts (`mockserver.chain.early`: a read the read cache
        holds), or None; only for a request the guard would pass on (within every limit, not the control plane)."""
        if self._early is None:
            return None
        return self._early(scope, self._admits)

    def _admits(self, scope: Scope) -> bool:
        return self._refusal(scope) is None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self._refusal(scope)
        if refused is not None:
            await send_error(self.render, _short(scope), send, refused[0], describe(*refused))
            return
        try:
            receive = await self._buffered(scope, receive)
        except BodyRefused as exc:
            await send_error(self.render, scope, send, exc.status, describe(exc.status, exc.why))
            return
        await self._serve(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        limits = self.limits
        url = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if url > limits.url_bytes:
            return 414, f"the URL is larger than {limits.url_bytes} bytes"
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", ()))
        problem = limits.header_problem(headers)
        if problem is not None:
            return 431, problem
        if self.access.guards(scope["path"]):
            return self.access.refusal(_caller(scope, headers))
        return None

    async def _buffered(self, scope: Scope, receive: Receive) -> Receive:
        """The whole body read within the limits of size and time, replayed to the app; `BodyRefused` otherwise."""
        headers = dict(scope.get("headers", ()))
        length = headers.get(b"content-length")
        if length is None and b"transfer-encoding" not in headers:
            return receive
        limit = self.limits.body_limit(scope["path"])
        if length is not None and length.isdigit() and int(length) > limit:
            raise BodyRefused(413, f"the body is larger than {limit} bytes for this route")
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.limits.body_seconds):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        return _replay(b"", receive, message)
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise BodyRefused(413, f"the body is larger than {limit} bytes for this route")
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            raise BodyRefused(408, f"the body did not arrive within {self.limits.body_seconds:g} s") from None
        return _replay(b"".join(chunks), receive)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app's answer; an `ApiError` (a busy store: 503) raised outside any API's own handler is answered too."""
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except ApiError as exc:
            if started:
                raise
            await send_error(self.render, scope, send, exc.status, exc.description, exc.headers)


def _replay(body: bytes, receive: Receive, first: Message | None = None) -> Receive:
    pending: list[Message] = [first or {"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _caller(scope: Scope, headers: list[tuple[bytes, bytes]]) -> Caller:
    found = {name: value.decode("latin-1") for name, value in headers if name in (b"origin", b"host", b"authorization")}
    client = scope.get("client")
    return Caller(
        origin=found.get(b"origin"),
        own_origin=f"{scope.get('scheme', 'http')}://{found.get(b'host', '')}",
        authorization=found.get(b"authorization"),
        client=client[0] if client else None,
    )


def _short(scope: Scope) -> Scope:
    """The scope an error is rendered for: its URL cut, so a refused 1 MB URL is not echoed back."""
    return {**scope, "path": scope["path"][:256], "raw_path": scope["path"][:256].encode(), "query_string": b""}
