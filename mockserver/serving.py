"""Serving the app with uvicorn, the way both `fleetmock serve` and the tests do it.

The HTTP protocol is uvicorn's own (httptools when installed, else h11), extended in one way: each request's scope
carries its TCP transport under `extensions["fleetmock.transport"]`, so a fault rule can really drop a connection
(ASGI itself has no way to abort one).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.auto import AutoHTTPProtocol

from mockserver.faults.effects import TRANSPORT_KEY


class TransportExposingProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        inner: ASGIApp = self.app  # type: ignore[has-type]

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_KEY] = transport
            await inner(scope, receive, send)

        self.app = app


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
