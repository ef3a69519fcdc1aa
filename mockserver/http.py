"""Small HTTP helpers shared by the API packages: compact JSON, content negotiation, date formats."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import orjson
from starlette.responses import Response

from mockserver.errors import NotAcceptable


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON, as `json.dumps(body, separators=(",", ":"), ensure_ascii=False)` writes it, made by
    orjson (about 10x faster on a large list). What orjson refuses (keys that are not strings, integers beyond 64
    bits) goes to the standard library. One difference in form, not in value: a float below 1e-4 is written
    in plain decimals (0.00001, not 1e-05)."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None, media_type: str = "application/json"
) -> Response:
    return Response(dumps(body), status_code=status, headers=headers, media_type=media_type)


def iso_date(value: date) -> str:
    return value.isoformat()


def iso_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def compact(fields: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object without the fields whose value is None: optional fields are absent, never null."""
    return {key: value for key, value in fields if value is not None}


def _accepts(accept: str, media_type: str) -> bool:
    major = media_type.split("/")[0]
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind = fields[0].lower()
        q = next((f[2:] for f in fields[1:] if f.startswith("q=")), "1")
        try:
            if float(q) <= 0:
                continue
        except ValueError:
            continue
        if kind in ("*/*", media_type, f"{major}/*"):
            return True
    return False


def negotiate(accept: str | None, offered: tuple[str, ...]) -> str:
    """The first offered media type the Accept header allows; a missing header allows anything."""
    if not accept or not accept.strip():
        return offered[0]
    for media_type in offered:
        if _accepts(accept, media_type):
            return media_type
    raise NotAcceptable("The requested MIME types are not acceptable.")
