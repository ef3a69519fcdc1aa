"""CORS for browser apps calling the simulator (`fleetmock serve --cors-origin ORIGIN`, repeatable; off by default).

With allowed origins, a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from one of them is
answered 204 with the methods the specs declare for that path (a method they do not declare, or a path no spec
declares, gets no CORS headers and goes on to the API, which answers it as before: 405 or 404); an actual request
from an allowed origin gets `Access-Control-Allow-Origin` and the headers a client reads exposed (`Retry-After`,
`WWW-Authenticate`, `Content-Disposition`, `Location`). `*` allows every origin. Requests from other origins are
served unchanged and without CORS headers, so the browser keeps them from the page. Credentials (cookies) are not
part of these APIs: `Access-Control-Allow-Credentials` is never sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

EXPOSED = "Retry-After, WWW-Authenticate, Content-Disposition, Location, Content-Length"
MAX_AGE = "600"


class CorsLayer:
    def __init__(self, app: ASGIApp, origins: Iterable[str], methods: Callable[[str], set[str]]) -> None:
        self.app = app
        self.origins = frozenset(origins)
        self.methods = methods  # the methods the specs declare for a path

    def allows(self, origin: str | None) -> bool:
        return origin is not None and ("*" in self.origins or origin in self.origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.origins:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        origin = headers.get("origin")
        if not self.allows(origin):
            await self.app(scope, receive, send)
            return
        assert origin is not None
        allow_origin = "*" if "*" in self.origins else origin
        wanted = headers.get("access-control-request-method")
        if scope["method"] == "OPTIONS" and wanted is not None:
            declared = self.methods(scope["path"])
            if wanted.upper() in declared:
                await self._preflight(send, allow_origin, declared, headers.get("access-control-request-headers"))
                return
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"access-control-allow-origin", allow_origin.encode("latin-1")),
                    (b"access-control-expose-headers", EXPOSED.encode()),
                    (b"vary", b"Origin"),
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    async def _preflight(send: Send, allow_origin: str, declared: set[str], requested: str | None) -> None:
        headers = [
            (b"access-control-allow-origin", allow_origin.encode("latin-1")),
            (b"access-control-allow-methods", ", ".join(sorted(declared | {"OPTIONS"})).encode()),
            (b"access-control-max-age", MAX_AGE.encode()),
            (b"vary", b"Origin"),
            (b"content-length", b"0"),
        ]
        if requested:
            headers.append((b"access-control-allow-headers", requested.encode("latin-1")))
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def spec_methods() -> Callable[[str], set[str]]:
    """The methods the served specs declare for a path (every mounted API, the control plane included)."""
    from mockserver.apis import registry
    from mockserver.resources import load_spec
    from mockserver.routes import RouteTable

    table = RouteTable([(m.name, m.base_path, load_spec(m.spec)) for m in registry()])
    return table.methods


def with_cors(app: ASGIApp, origins: Iterable[str]) -> ASGIApp:
    """`app` behind CORS for `origins`; `app` itself when there are none (nothing on the hot path)."""
    chosen = [o.rstrip("/") for o in origins if o]
    return CorsLayer(app, chosen, spec_methods()) if chosen else app
