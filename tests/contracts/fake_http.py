"""A fake HTTP layer for the clients' tests: a requests transport adapter that answers from Python code.

Mounted on a `requests.Session`, it hands every prepared request to a handler, which returns a `FakeAnswer`
(status, headers, body) or raises a `requests` exception (a dropped connection, a timeout), and records the calls.
Nothing leaves the process, and the clients run their real code paths (retries, status handling, parsing).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


@dataclass(frozen=True)
class FakeAnswer:
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value: Any, headers: Mapping[str, str] | None = None) -> FakeAnswer:
        return cls(status, json.dumps(value).encode(), {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def error(cls, status: int, description: str, headers: Mapping[str, str] | None = None) -> FakeAnswer:
        return cls.json(status, {"description": description, "url": "http://fake/", "traceId": "t"}, headers)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    body: str


Handler = Callable[[Call], FakeAnswer]


class FakeAdapter(BaseAdapter):
    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler
        self.calls: list[Call] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(request.url or "")
        body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
        call = Call(request.method or "GET", url.path, dict(parse_qsl(url.query)), dict(request.headers), body)
        self.calls.append(call)
        answer = self.handler(call)
        response = requests.Response()
        response.status_code = answer.status
        response._content = answer.body
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass


def fake_session(handler: Handler) -> tuple[requests.Session, FakeAdapter]:
    session = requests.Session()
    adapter = FakeAdapter(handler)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session, adapter


class NoSleep:
    """Records the waits the retrier asks for instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
