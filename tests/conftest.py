"""Shared fixtures: the default world, a simulator with a frozen clock, an in-process client, a live server."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import yaml
from hypothesis import settings
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.resources import default_world_path
from mockserver.serving import ThreadedServer, serve_in_thread
from mockserver.simulator import Simulator
from mockserver.world import World, load_world
from mockserver.world.models import Vehicle

# Timings on a shared 2-core machine say nothing about correctness: no per-example deadline. In CI the examples are
# derandomized, so a run that lands is repeatable (new examples are explored on every developer run).
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def world() -> World:
    return load_world()


def make_sim(world: World) -> Simulator:
    return Simulator(world, SimClock(world.start, rate=0))


@pytest.fixture(scope="session")
def _session_app(world: World) -> tuple[Simulator, Any]:
    sim = make_sim(world)
    return sim, create_app(sim, strict=True)


@pytest.fixture
def sim(_session_app: tuple[Simulator, Any]) -> Simulator:
    """The session's simulator, reset to the world's start for each test."""
    simulator, _ = _session_app
    simulator.reset()
    return simulator


@pytest.fixture
def client(sim: Simulator, _session_app: tuple[Simulator, Any]) -> Iterator[TestClient]:
    """An in-process client of the session's app (responses validated against the specs: strict mode)."""
    with TestClient(_session_app[1], raise_server_exceptions=True) as test_client:
        yield test_client


def bearer(client: TestClient, **body: Any) -> dict[str, str]:
    response = client.post("/_sim/tokens", json=body)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    """Headers with a token of the demo account's full-view user."""
    return bearer(client)


def vehicle_by_key(sim: Simulator, key: str) -> Vehicle:
    """A vehicle of the default world's demo account by its key in fixtures/default.yaml (they keep that order)."""
    keys = [v["key"] for v in yaml.safe_load(default_world_path().read_text())["accounts"][0]["vehicles"]]
    account = sim.world.account("demo")
    assert account is not None
    return account.vehicles[keys.index(key)]


def free_port() -> int:
    """A port free right now, for a server in a subprocess (`fleetmock serve --port N`) only: another process may
    take it before the subprocess binds it. A server in this process uses `serve_in_thread`, which has no such race."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    base_url: str
    sim: Simulator

    def token(self, **body: Any) -> str:
        response = requests.post(f"{self.base_url}/_sim/tokens", json=body, timeout=10)
        response.raise_for_status()
        return str(response.json()["access_token"])


def start_live_server(sim: Simulator, *, strict: bool = True) -> tuple[LiveServer, ThreadedServer]:
    """`sim` served over real HTTP on loopback, on a socket bound before uvicorn starts (no free-port race)."""
    running = serve_in_thread(create_app(sim, strict=strict))
    return LiveServer(running.base_url, sim), running


@pytest.fixture(scope="session")
def live_server(world: World) -> Iterator[LiveServer]:
    """A real uvicorn server on a free loopback port, serving its own simulator (clock frozen)."""
    live, running = start_live_server(make_sim(world))
    yield live
    running.stop()


@pytest.fixture
def live(live_server: LiveServer) -> LiveServer:
    """The live server, reset to the world's start."""
    live_server.sim.reset()
    return live_server


@pytest.fixture(scope="session")
def pg() -> Iterator[Any]:
    """One real PostgreSQL server per test process (`tests/pg/pgharness.py`), for tests/pg and the stress run.
    Its postmaster dies with this process, however it ends."""
    from tests.pg.pgharness import PgServer

    server = PgServer()
    server.init()
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop("immediate")
        finally:
            server.remove()
