"""Small HTTP helpers shared by the API packages: compact JSON, content negotiation, date formats."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import orjson
from connexion.context import _scope
from starlette.datastructures import URL
from starlette.responses import Response

from mockserver.errors import NotAcceptable


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON, as `json.dumps(body, separators=(",", ":"), ensure_ascii=False)` writes it, made by
    orjson (about 10x faster on a large list). What orjson refuses (keys that are not strings, integers beyond 64
    bits) goes to the standard library. One difference in form, not in value: a float below 1e-4 is written
    in plain decimals (0.00001, not 1e-05).

    orjson's bytes keep the buffer it wrote into (4 kB or more, whatever the length): the answer is copied to its
    own length, since kept encodings (a view each, 20,000 of them in a 10,000-vehicle world) would hold ten times
    their size (issue 13: RSS)."""
    try:
        return memoryview(orjson.dumps(body)).tobytes()
    except TypeError:
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None, media_type: str = "application/json"
) -> Response:
    return Response(dumps(body), status_code=status, headers=headers, media_type=media_type)


def iso_date(value: date) -> str:
    return value.isoformat()


def iso_instant(value: datetime) -> str:
    """`value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")`, made from `isoformat` (a third of the time; a
    10,000-vehicle list writes one per vehicle) for the years both spell alike (four digits)."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    if value.year < 1000:
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()[:19] + "Z"  # the seconds lead whatever follows; a keyword costs a fifth more


def compact(fields: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object without the fields whose value is None: optional fields are absent, never null."""
    return {key: value for key, value in fields if value is not None}


# Spellings clients send for the types the APIs offer: the Reveal reference's own `Accept: application/json, xml`,
# and `text/xml`, which RFC 7303 makes an alias of `application/xml`.
_ALIASES = {"xml": "application/xml", "json": "application/json", "text/xml": "application/xml"}


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: `type/subtype` (or a wildcard) and its quality."""

    kind: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """How closely this range names `media_type`: 3 exactly, 2 `type/*`, 1 `*/*`, 0 not at all."""
        if self.kind == media_type:
            return 3
        if self.kind == media_type.split("/")[0] + "/*":
            return 2
        return 1 if self.kind == "*/*" else 0


def media_ranges(accept: str) -> list[MediaRange]:
    """The ranges of an Accept header (RFC 9110 §12.5.1); a malformed quality counts as 0 (not acceptable)."""
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        if not kind:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(_ALIASES.get(kind, kind), quality))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The quality the most specific matching range gives `media_type` (0 when none matches)."""
    best = max(ranges, key=lambda r: r.specificity(media_type), default=None)
    if best is None or best.specificity(media_type) == 0:
        return 0.0
    return best.quality


def request_header(name: bytes) -> str | None:
    """The first value of a (lower-case) header of the request being served, as `connexion.request.headers.get`
    answers it, read from the ASGI scope Connexion (or the fast lane) sets for the handler: without building
    Connexion's and Starlette's request objects, which cost 6% of a read's CPU (issue 13)."""
    for key, value in _scope.get()["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


@lru_cache(maxsize=256)
def _origin(scheme: str, host: bytes | None, server: tuple[str, int | None] | None) -> str:
    """`scheme://netloc` as Starlette's `URL` makes it from a scope with these parts (its `Host` header parsing and
    default-port rules); a function of its arguments alone."""
    headers = [(b"host", host)] if host is not None else []
    url = URL(scope={"scheme": scheme, "server": server, "path": "/", "headers": headers, "query_string": b""})
    return f"{url.scheme}://{url.netloc}"


def request_origin() -> str:
    """`scheme://host[:port]` of the request being served, as `connexion.request.url` gives it, from the ASGI scope
    (Reveal's links are built from it on every read; through Connexion's request object it was about 6 µs of a
    statuscurrent read, issue 13)."""
    scope = _scope.get()
    host = None
    for key, value in scope["headers"]:
        if key == b"host":
            host = value
            break
    server = scope.get("server")
    return _origin(scope.get("scheme", "http"), host, tuple(server) if server is not None else None)


def negotiate(accept: str | None, offered: tuple[str, ...]) -> str:
    """The offered media type the Accept header prefers (highest quality; on a tie, the first offered); a missing
    header allows anything; 406 when the header allows none of them."""
    if not accept or not accept.strip():
        return offered[0]
    best = _negotiated(accept, offered)
    if best is None:
        raise NotAcceptable("The requested MIME types are not acceptable.")
    return best


@lru_cache(maxsize=256)
def _negotiated(accept: str, offered: tuple[str, ...]) -> str | None:
    """`negotiate`'s choice (None: none acceptable); a function of its arguments alone, so clients sending the same
    Accept header again (all of them, in practice) are answered from the cache."""
    ranges = media_ranges(accept)
    scored = [(quality(ranges, media_type), -index, media_type) for index, media_type in enumerate(offered)]
    best = max(scored)
    return None if best[0] <= 0 else best[2]
