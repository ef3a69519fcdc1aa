"""What the reference clients sent and received during the smoke flows, kept to explain a failure.

`RecordingSession` is a `requests.Session` that remembers its last exchange (the prepared request, and the answer
or the transport error); the clients take it as their `session`. Requests are rendered as curl commands with the
credentials masked, so a report can be pasted into a ticket.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

import requests

from contracts.verify.report import Exchange

MASKED_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
MASK = "[Filtered]"
EXCERPT_CHARS = 600
_TEXT_TYPES = ("json", "xml", "text", "html", "problem")


def curl_command(request: requests.PreparedRequest) -> str:
    parts = ["curl", "-X", str(request.method)]
    for name, value in request.headers.items():
        if name.lower() in {"user-agent", "accept-encoding", "connection", "content-length"}:
            continue
        shown = MASK if name.lower() in MASKED_HEADERS else value
        parts += ["-H", f"{name}: {shown}"]
    body = request.body
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        parts += ["-d", text]
    parts.append(str(request.url))
    return " ".join(shlex.quote(part) for part in parts)


def body_excerpt(content: bytes, content_type: str | None, limit: int = EXCERPT_CHARS) -> str:
    """The start of a body as text; a binary body is described, not dumped."""
    if not content:
        return "(empty body)"
    kind = (content_type or "").lower()
    if kind and not any(marker in kind for marker in _TEXT_TYPES):
        return f"({len(content)} bytes of {content_type})"
    text = content[:limit].decode("utf-8", "replace")
    if len(content) > limit:
        text += f" ... ({len(content)} bytes in all)"
    return text


@dataclass(frozen=True)
class Recorded:
    request: requests.PreparedRequest
    response: requests.Response | None
    error: BaseException | None

    def exchange(self) -> Exchange:
        curl = curl_command(self.request)
        if self.response is None:
            return Exchange(curl, excerpt=f"no answer: {type(self.error).__name__}: {self.error}")
        content_type = self.response.headers.get("Content-Type")
        try:
            content = self.response.content
        except requests.RequestException as exc:  # a body cut short
            return Exchange(curl, self.response.status_code, content_type, f"body unreadable: {exc}")
        return Exchange(curl, self.response.status_code, content_type, body_excerpt(content, content_type))


class RecordingSession(requests.Session):
    """A session that remembers its last exchange (`last`), for the report of a failed flow step."""

    def __init__(self) -> None:
        super().__init__()
        self.last: Recorded | None = None

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.last = Recorded(request, None, None)
        try:
            response = super().send(request, **kwargs)
        except requests.RequestException as exc:
            self.last = Recorded(request, None, exc)
            raise
        self.last = Recorded(request, response, None)
        return response

    def forget(self) -> None:
        self.last = None
