"""Serving the app with uvicorn, the way both `fleetmock serve` and the tests do it.

The HTTP protocol is uvicorn's own (httptools when installed, else h11), extended in two ways: each request's scope
carries its TCP transport under `extensions["fleetmock.transport"]`, so a fault rule can really drop a connection
(ASGI itself has no way to abort one); and an answer's status line and headers leave in one write with its first
body part (`CoalescingTransport`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.auto import AutoHTTPProtocol
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from mockserver.faults.effects import TRANSPORT_KEY

HEADER_SECONDS = 10.0  # a request's headers must be complete this long after its first byte, or it is closed


class CoalescingTransport:
    """The connection's transport as uvicorn's response writer sees it: while `held` is a list, writes are kept there,
    and `release` sends them as one write.

    uvicorn writes an answer's status line and headers when the app sends `http.response.start` and its body at each
    `http.response.body`: two `send` system calls for every answer, each waking the client. Held from the start
    message until its first body part has been written, they leave together: one system call (issue 13: the two
    sends were a third of a read's CPU). Everything else is the transport's own (`__getattr__`)."""

    __slots__ = ("held", "transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.held: list[bytes] | None = None

    def write(self, data: bytes) -> None:
        if self.held is not None:
            self.held.append(data)
        else:
            self.transport.write(data)

    def release(self) -> None:
        held, self.held = self.held, None
        if held and not self.transport.is_closing():  # a dropped connection (a fault rule) takes nothing more
            self.transport.write(b"".join(held))

    def is_closing(self) -> bool:
        return bool(self.transport.is_closing())

    def close(self) -> None:
        """uvicorn closes a connection that is not kept alive (HTTP/1.0, `Connection: close`, a 408) inside the send
        of its last body part, before `release` runs: what is held leaves first, or the answer would be lost."""
        self.release()
        self.transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


class _Answered:
    """uvicorn's request cycle for a request answered early (`TransportExposingProtocol._answer_early`): complete,
    so the parser's later callbacks for that request (`on_body`, `on_message_complete`) and `shutdown` see no
    request in progress."""

    response_complete = True
    disconnected = False
    keep_alive = True
    more_body = False

    class message_event:  # uvicorn calls `cycle.message_event.set()` when the connection is lost
        @staticmethod
        def set() -> None:
            return None


ANSWERED = _Answered()
# Request headers that send a request through uvicorn's own cycle: a body, a proxy's view of the client (uvicorn's
# ProxyHeadersMiddleware rewrites the scope), an upgrade.
NOT_EARLY = frozenset({b"content-length", b"transfer-encoding", b"x-forwarded-for", b"x-forwarded-proto", b"upgrade"})


class TransportExposingProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """Also closes a connection whose request headers do not complete within `HEADER_SECONDS` of their first byte
    (uvicorn waits for them forever: a slow client could hold thousands of connections open), sends each
    answer's head with its first body part (`CoalescingTransport`), and answers a read the app can answer at once
    (`early_answer`, see `_answer_early`) without a task."""

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        early = getattr(self.config.app, "early_answer", None)  # the app as given to uvicorn (the guard)
        logs = self.access_log and self.access_logger.isEnabledFor(logging.INFO)  # uvicorn's access line per request
        plain = self.config.root_path == "" and self.limit_concurrency is None and not logs
        self._fm_early: Callable[[Scope], Any] | None = (
            early if callable(early) and plain and isinstance(self, HttpToolsProtocol) else None
        )
        inner: ASGIApp = self.app  # type: ignore[has-type]
        self._fm_busy = 0  # requests of this connection the app is serving
        self._fm_header_timer: asyncio.TimerHandle | None = None
        coalescing = CoalescingTransport(transport)
        self.transport = coalescing  # what uvicorn hands each request's response writer

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_KEY] = transport
            self._fm_stop_header_timer()
            self._fm_busy += 1

            async def coalesced(message: Message) -> None:
                if message["type"] == "http.response.start":
                    coalescing.held = []
                    await send(message)
                else:
                    try:
                        await send(message)
                    finally:
                        coalescing.release()

            try:
                await inner(scope, receive, coalesced if scope["type"] == "http" else send)
            finally:
                coalescing.release()  # an app that failed after its start message: its head still leaves
                self._fm_busy -= 1

        self.app = app

    def on_headers_complete(self) -> None:
        if self._fm_early is None or not self._answer_early():
            super().on_headers_complete()

    def _answer_early(self) -> bool:
        """Answer the request whose headers were just parsed with the app's `early_answer` (a read the read cache
        holds: `mockserver.chain.early`), in the bytes uvicorn's cycle would write, or leave it to uvicorn (False).

        Only a plain keep-alive HTTP/1.1 GET without a body or query string, on a connection with nothing else in
        progress and its writes flowing: a task and its ASGI messages cost more than the answer itself (issue 13)."""
        url = self.url
        cycle: Any = self.cycle  # type: ignore[has-type]
        early = self._fm_early
        if (
            early is None
            or url[:1] != b"/"  # an origin-form target without a query, fragment or escapes: the path as sent
            or url[:2] == b"//"
            or b"?" in url
            or b"%" in url
            or b"#" in url
            or (cycle is not None and not cycle.response_complete)
            or self.pipeline
            or self.expect_100_continue
            or self.flow.write_paused
            or self.transport.is_closing()
        ):
            return False
        parser = self.parser
        if parser.get_method() != b"GET" or parser.get_http_version() != "1.1" or not parser.should_keep_alive():
            return False
        for name, _ in self.headers:
            if name in NOT_EARLY:
                return False
        try:
            scope = self.scope
            scope.update(method="GET", path=url.decode("ascii"), raw_path=url, query_string=b"")
            kept = early(scope)
        except Exception:  # anything unusual is uvicorn's and the app's to answer, as always
            return False
        if kept is None:
            return False
        self._fm_stop_header_timer()
        content = [STATUS_LINE[int(kept.start["status"])]]
        for name, value in self.server_state.default_headers:
            content += [name.lower(), b": ", value, b"\r\n"]
        content += [kept.wire, b"\r\n", kept.body]
        self.transport.write(b"".join(content))
        self.cycle = ANSWERED
        self.on_response_complete()
        return True

    def data_received(self, data: bytes) -> None:
        if self._fm_busy == 0 and self._fm_header_timer is None:
            loop = asyncio.get_running_loop()
            self._fm_header_timer = loop.call_later(HEADER_SECONDS, self._fm_headers_late)
        super().data_received(data)

    def _fm_stop_header_timer(self) -> None:
        if self._fm_header_timer is not None:
            self._fm_header_timer.cancel()
            self._fm_header_timer = None

    def _fm_headers_late(self) -> None:
        self._fm_header_timer = None
        if self._fm_busy == 0 and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._fm_stop_header_timer()
        super().connection_lost(exc)


def uvicorn_config(app: Any, host: str, port: int, log_level: str = "warning", **extra: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http=TransportExposingProtocol,
        **extra,
    )


# Imported by the first streamed answer otherwise (Starlette's StreamingResponse starts an AnyIO task group, and
# AnyIO loads its asyncio backend on first use): about 12 ms of the first driver ZIP a server sends.
FIRST_REQUEST_IMPORTS = ("anyio._backends._asyncio",)


COLLECT_EVERY = (50_000, 20, 100)
"""The collector's thresholds in a server (Python's default: 700, 10, 10). Building a world and the views of a large
fleet allocate objects that all stay (facts, timelines, kept views): at the default, young collections run every
700 allocations and full ones follow, walking everything made since start-up. Measured in process on the
10,000-vehicle world, CPU time with the freeze below in both arms: the world build about 5% less, the first vehicles
and drivers lists 20-30% less (bench/PROFILE.md). Garbage without reference cycles is freed at once as always; only
cycles wait longer for a collection."""


def collect_less_often() -> None:
    """A server's collector thresholds (`COLLECT_EVERY`), set before its world is built."""
    gc.set_threshold(*COLLECT_EVERY)


def prepare_for_requests() -> None:
    """What a server does once before its first request: import what the first answers would import, then take
    everything start-up left alive (the world, the specs, the libraries: there for the life of the process) out
    of the cyclic garbage collector's sight with `gc.freeze`.

    Without the freeze, every full collection a request happens to trigger walks all of it: one in a few cold
    2-year card ZIPs paid 60-90 ms for that. Objects made later (the archive's caches, each request's garbage)
    are collected as before. The price: once the start-up world is replaced (`/_sim/reset`, a restore), whatever
    of it sits in reference cycles is never freed; that happens once per process, for the first world only.
    """
    for name in FIRST_REQUEST_IMPORTS:
        with contextlib.suppress(ImportError):  # another AnyIO layout: the first answer imports it, as before
            importlib.import_module(name)
    gc.collect()
    gc.freeze()


@dataclass
class ThreadedServer:
    """A uvicorn server in a thread of this process (tests, the pytest plugin); `stop` ends it."""

    server: uvicorn.Server
    thread: threading.Thread
    host: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=timeout)


def listening_socket(host: str, port: int = 0) -> socket.socket:
    """A TCP socket bound to `host:port` (0: a free port the kernel picks) and already listening.

    Binding here, and handing the socket itself to uvicorn, is what leaves no race: a port found free by binding
    and closing a probe socket can be taken by another process before the server binds it again."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart may reuse the port
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def serve_in_thread(
    app: Any, host: str = "127.0.0.1", port: int = 0, *, log_level: str = "error", start_timeout: float = 30.0
) -> ThreadedServer:
    """Serve `app` from a daemon thread on a socket bound before the thread starts; returns once it answers.

    A port that cannot be bound fails here, in the caller, with the `OSError`."""
    sock = listening_socket(host, port)
    bound_port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn_config(app, host, bound_port, log_level=log_level))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="fleetmock-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(timeout=5)
            sock.close()
            raise RuntimeError(f"the server on {host}:{bound_port} did not start")
        time.sleep(0.01)
    return ThreadedServer(server, thread, host, bound_port)
