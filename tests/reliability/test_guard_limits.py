"""Sizes and times are bounded before anything reads the request (issue 15, items 2, 4 and 8)."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.chain.route import RouteLink
from mockserver.guard import Guard, Limits
from mockserver.guard.limits import MB
from mockserver.journal import FIELD_LIMIT
from mockserver.serving import serve_in_thread
from mockserver.simulator import Simulator
from mockserver.world import World
from tests.conftest import make_sim


class CountingApp:
    """An inner app that counts the requests reaching it (the guard must refuse before it)."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _render(scope: Any, status: int, description: str, headers: dict[str, str]) -> Any:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return status, raw, description.encode()


@pytest.fixture
def counted() -> tuple[TestClient, CountingApp]:
    inner = CountingApp()
    return TestClient(Guard(inner, _render)), inner


def test_a_64_kb_header_is_431_before_the_app(counted: tuple[TestClient, CountingApp]) -> None:
    client, inner = counted
    header = {"Authorization": "Atmosphere " + " " * 65536}
    answer = client.get("/reveal/logbook/v1/driver/99/statuscurrent", headers=header)
    assert answer.status_code == 431
    assert inner.calls == 0
    assert client.get("/x", headers={"X-A": "a" * 8000}).status_code == 200  # under the limit: served


def test_many_headers_together_are_431(counted: tuple[TestClient, CountingApp]) -> None:
    client, inner = counted
    assert client.get("/x", headers={f"X-{i}": "v" * 7000 for i in range(10)}).status_code == 431
    assert inner.calls == 0


def test_a_long_url_is_414(counted: tuple[TestClient, CountingApp]) -> None:
    client, inner = counted
    assert client.get("/x", params={"q": "x" * 60_000}).status_code == 414
    assert client.get("/" + "p" * 9000).status_code == 414
    assert inner.calls == 0


def test_a_large_body_is_413_declared_or_streamed(counted: tuple[TestClient, CountingApp]) -> None:
    client, inner = counted
    assert client.post("/_sim/faults", content=b"x" * (1024 * 1024 + 1)).status_code == 413

    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 65536

    assert client.post("/_sim/faults", content=chunks()).status_code == 413  # no Content-Length: counted
    assert inner.calls == 0
    assert client.put("/_sim/state", content=b"x" * (2 * 1024 * 1024)).status_code == 200  # a route that needs more


def test_a_body_that_never_comes_is_408() -> None:
    inner = CountingApp()
    guard = Guard(inner, _render, Limits(body_seconds=0.2))
    scope = {"type": "http", "method": "POST", "path": "/_sim/faults", "headers": [(b"content-length", b"10")]}
    sent: list[Any] = []

    async def receive() -> Any:
        await asyncio.sleep(3600)

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(asyncio.wait_for(guard(scope, receive, send), 30))
    assert sent[0]["status"] == 408
    assert inner.calls == 0


def _raw_exchange(port: int, data: bytes, wait: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        sock.settimeout(wait)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
        return received


def test_a_short_body_on_a_real_connection_is_408_and_closed(world: World) -> None:
    sim = make_sim(world)
    server = serve_in_thread(create_app(sim, limits=Limits(body_seconds=0.5)))
    try:
        request = (
            b"POST /_sim/tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{}"
        )
        began = time.monotonic()
        answer = _raw_exchange(server.port, request, 20)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert time.monotonic() - began < 20  # answered and closed, not left waiting for the rest
        assert b"connection: close" in answer.lower()
    finally:
        server.stop()


def test_invalid_tokens_are_not_remembered_and_journal_fields_are_bounded(client: TestClient, sim: Simulator) -> None:
    chain = client.app.app  # type: ignore[attr-defined]
    route = next(link for link in chain.links if isinstance(link, RouteLink))
    for n in range(20):
        client.get("/tachoshare/vehicles", headers={"Authorization": f"Bearer invalid-{n}-" + "x" * 4000})
    assert not [key for key in route.callers.held_keys() if "invalid-" in str(key[1])]
    client.get("/tachoshare/vehicles/" + "V" * 3000, params={"q": "x" * 4000})
    entry = sim.journal.entries()[-1]
    assert len(entry.query) <= FIELD_LIMIT and len(entry.path) <= FIELD_LIMIT


def test_signature_memos_keep_only_what_verified(sim: Simulator) -> None:
    """Issue 15, item 4: invalid bearer and Reveal tokens were remembered (1 MB tokens grew RSS by gigabytes)."""
    for n in range(50):
        assert sim.principal(f"not-a-token-{n}") is None
    assert not [token for token in sim.oauth.tokens._verified.held_keys() if token.startswith("not-a-token")]
    good = sim.oauth.issue_token().access_token
    assert sim.principal(good) is not None and good in sim.oauth.tokens._verified
    with pytest.raises(Exception):  # noqa: B017 (the gateway's own InvalidToken)
        sim.reveal.gateway._verify("not-a-token", sim.clock.now())
    assert "not-a-token" not in sim.reveal.gateway._checked


def test_larger_bodies_are_allowed_where_a_plugin_says_so() -> None:
    """The guard names no API: the Reveal plugin allows a whole duty log on its control route (16 MB)."""
    limits = Limits()
    assert limits.body_limit("/_sim/reveal/drivers/99/log") == 16 * MB
    assert limits.body_limit("/_sim/state") == 64 * MB
    assert limits.body_limit("/_sim/clock") == limits.body_bytes == 1 * MB
