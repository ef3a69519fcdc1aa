"""How large and how slow a request may be (answered 413, 414, 431, 408).

Defaults follow what common proxies allow: 8 KB per header line and per URL. Bodies: 1 MB, except the control
plane routes that carry whole states (`BODY_ROUTES`) and what each API's plugin allows (`ApiPlugin.body_limits`).
A body must arrive within `body_seconds` of the headers; headers within `header_seconds` of a request's first byte
(enforced by `mockserver.serving`).
Not simulated: the real APIs' own limits, which their documents do not state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MB = 1024 * 1024

# Routes that need more than the default body size, by path prefix (longest first wins).
BODY_ROUTES: dict[str, int] = {
    "/_sim/state": 64 * MB,  # a snapshot of the whole state, as `GET /_sim/state` gave it
}


def _body_routes() -> dict[str, int]:
    from mockserver.apis import registry  # lazily: the guard is importable before the API packages are discovered

    return {**BODY_ROUTES, **registry().body_limits()}


@dataclass(frozen=True)
class Limits:
    header_bytes: int = 8 * 1024  # one header line, name and value
    headers_bytes: int = 64 * 1024  # all header lines together
    url_bytes: int = 8 * 1024  # path and query string
    body_bytes: int = 1 * MB
    body_routes: dict[str, int] = field(default_factory=_body_routes)
    body_seconds: float = 10.0
    header_seconds: float = 10.0

    def body_limit(self, path: str) -> int:
        best = max((prefix for prefix in self.body_routes if path.startswith(prefix)), key=len, default=None)
        return self.body_limit_of(best)

    def body_limit_of(self, prefix: str | None) -> int:
        return self.body_bytes if prefix is None else self.body_routes[prefix]

    def header_problem(self, headers: list[tuple[bytes, bytes]]) -> str | None:
        """Why these header lines are too large (431), or None."""
        total = 0
        for name, value in headers:
            size = len(name) + len(value) + 4  # ": " and CRLF, as on the wire
            if size > self.header_bytes:
                return f"the header {name.decode('latin-1')[:64]} is larger than {self.header_bytes} bytes"
            total += size
        if total > self.headers_bytes:
            return f"the request headers are larger than {self.headers_bytes} bytes together"
        return None
