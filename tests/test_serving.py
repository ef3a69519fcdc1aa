"""`serve_in_thread`: the one way tests (and the pytest plugin) start a server in process, with no free-port race."""

from __future__ import annotations

import socket
import threading

import pytest
import requests
from starlette.types import Receive, Scope, Send

from mockserver.serving import listening_socket, serve_in_thread

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
