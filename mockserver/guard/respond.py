"""Answers the guard sends itself, in the API's own error shape (through the renderer `mockserver.app` gives)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import Scope, Send

ErrorRenderer = Callable[[Scope, int, str, dict[str, str]], tuple[int, list[tuple[bytes, bytes]], bytes]]

REASONS = {
    400: "A request parameter is missing or is not properly specified",
    401: "Unauthorized",
    403: "Forbidden",
    408: "The request was not received in time",
    413: "The request body is too large",
    414: "The request URL is too long",
    431: "The request headers are too large",
    503: "The service is unavailable",
}


def describe(status: int, why: str) -> str:
    return f"{REASONS.get(status, 'Refused')}: {why}."


async def send_error(
    render: ErrorRenderer,
    scope: Scope,
    send: Send,
    status: int,
    description: str,
    headers: dict[str, str] | None = None,
) -> None:
    """One error answer; a refused request's connection is closed when the rest of it may not have been read."""
    extra = dict(headers or {})
    if status in (408, 413, 414, 431):
        extra.setdefault("Connection", "close")
    code, raw, body = render(scope, status, description, extra)
    await send({"type": "http.response.start", "status": code, "headers": raw})
    await send({"type": "http.response.body", "body": body})
