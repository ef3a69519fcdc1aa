"""`serve_in_thread`: the one way tests (and the pytest plugin) start a server in process, with no free-port race."""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest
import requests
from starlette.types import Receive, Scope, Send

from mockserver.serving import CoalescingTransport, listening_socket, serve_in_thread

pytestmark = pytest.mark.live


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hello"})


def test_the_server_answers_on_the_socket_bound_before_it_started() -> None:
    running = serve_in_thread(hello)
    try:
        assert requests.get(running.base_url, timeout=5).text == "hello"
        listeners = [s.getsockname()[1] for server in running.server.servers for s in server.sockets]
        assert listeners == [running.port]  # uvicorn serves the handed socket: it never binds a port itself
    finally:
        running.stop()
    assert not running.thread.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(running.base_url, timeout=5)


def test_a_port_that_is_taken_fails_in_the_caller_before_any_thread_starts() -> None:
    """The bind happens in the caller: a clash is an `OSError` here, not a server thread that dies on its own."""
    with listening_socket("127.0.0.1") as taken:
        threads = threading.active_count()
        with pytest.raises(OSError):
            serve_in_thread(hello, port=taken.getsockname()[1])
        assert threading.active_count() == threads


def test_the_socket_listens_as_soon_as_it_is_bound() -> None:
    """A client that connects before uvicorn runs waits in the backlog instead of being refused."""
    with listening_socket("127.0.0.1") as sock, socket.create_connection(sock.getsockname(), timeout=5):
        pass


def test_servers_started_at_once_each_get_their_own_port() -> None:
    started: list[int] = []
    servers = []

    def start() -> None:
        running = serve_in_thread(hello)
        servers.append(running)
        started.append(running.port)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    try:
        assert len(set(started)) == 4
        assert all(requests.get(s.base_url, timeout=5).text == "hello" for s in servers)
    finally:
        for running in servers:
            running.stop()



class Recorder:
    """A TCP transport noting every write (uvloop's transports take no attribute of their own)."""

    def __init__(self, transport: Any, writes: list[bytes]) -> None:
        self.transport, self.writes = transport, writes

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))
        self.transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[list[bytes]]:
    """The writes reaching each connection's TCP transport, a list per connection."""
    connections: list[list[bytes]] = []
    original = CoalescingTransport.__init__

    def recording(self: CoalescingTransport, transport: Any) -> None:
        connections.append([])
        original(self, Recorder(transport, connections[-1]))

    monkeypatch.setattr(CoalescingTransport, "__init__", recording)
    return connections


def _answering(parts: list[bytes]) -> Any:
    """An app answering `parts` as its body (streamed when more than one)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/plain")]
        if len(parts) == 1:
            headers.append((b"content-length", str(len(parts[0])).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for index, part in enumerate(parts):
            await send({"type": "http.response.body", "body": part, "more_body": index < len(parts) - 1})

    return app


def test_an_answers_head_leaves_with_its_body_in_one_write(writes: list[list[bytes]]) -> None:
    """Issue 13: uvicorn writes the status line and headers at the start message and the body at the next one, two
    send system calls; held until the body, they leave in one."""
    running = serve_in_thread(_answering([b"hello"]))
    try:
        assert requests.get(running.base_url, timeout=5).text == "hello"
        assert requests.head(running.base_url, timeout=5).status_code == 200  # no body written: the head still leaves
    finally:
        running.stop()
    get, head = writes
    assert len(get) == 1 and get[0].startswith(b"HTTP/1.1 200 OK\r\n") and get[0].endswith(b"\r\n\r\nhello")
    assert len(head) == 1 and head[0].endswith(b"\r\n\r\n")


def test_a_streamed_answer_sends_each_part_as_it_comes(writes: list[list[bytes]]) -> None:
    running = serve_in_thread(_answering([b"one", b"two", b"three"]))
    try:
        assert requests.get(running.base_url, timeout=5).text == "onetwothree"
    finally:
        running.stop()
    (seen,) = writes
    assert len(seen) == 3  # the head with the first part, then each part (the last with the chunked end)
    assert seen[0].startswith(b"HTTP/1.1 200 OK\r\n") and seen[0].endswith(b"\r\n\r\n3\r\none\r\n")


@pytest.mark.parametrize("request_line", [b"GET / HTTP/1.0\r\n\r\n", b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"])
def test_an_answer_on_a_connection_not_kept_alive_still_leaves(request_line: bytes) -> None:
    """uvicorn closes such a connection inside the last body part's send, before the held head and body were
    released: the close must let them leave first (the image's healthcheck speaks HTTP/1.0)."""
    running = serve_in_thread(_answering([b"hello"]))
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as sock:
            sock.sendall(request_line)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
    finally:
        running.stop()
    assert received.startswith(b"HTTP/1.1 200 OK\r\n") and received.endswith(b"\r\n\r\nhello")
