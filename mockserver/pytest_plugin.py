"""The fleetmock pytest plugin (registered through the `pytest11` entry point when fleetmock is installed).

Fixtures for a downstream project's suite:
- `fleetmock_server`: a live simulator on a free loopback port for the session (clock frozen; `base_url`).
- `fleetmock`: a `Control` handle on it (clock, faults, journal, tenants, scenarios, tokens, state).
- `fleetmock_tenant`: a fresh isolated account for each test, removed afterwards, so tests (and parallel CI jobs
  sharing one server) never see each other's state.

Options: `--fleetmock-world FILE`, `--fleetmock-seed N`, `--fleetmock-url URL` (use a server that runs already).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from mockserver.control.handle import Control

_counter = itertools.count(1)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fleetmock")
    group.addoption("--fleetmock-world", default=None, help="world file for the fleetmock_server fixture")
    group.addoption("--fleetmock-seed", type=int, default=None, help="seed for the fleetmock_server fixture")
    group.addoption("--fleetmock-url", default=None, help="use this running simulator instead of starting one")


@dataclass
class FleetmockServer:
    base_url: str
    control: Control


@dataclass
class FleetmockTenant:
    name: str
    credentials: dict[str, Any]
    control: Control

    def token(self, scopes: list[str] | None = None) -> str:
        return self.control.token(account=self.name, scopes=scopes)


@pytest.fixture(scope="session")
def fleetmock_server(request: pytest.FixtureRequest) -> Iterator[FleetmockServer]:
    url = request.config.getoption("--fleetmock-url")
    if url:
        yield FleetmockServer(url.rstrip("/"), Control(url.rstrip("/")))
        return
    from mockserver.app import create_app
    from mockserver.clock import SimClock
    from mockserver.serving import serve_in_thread
    from mockserver.simulator import Simulator
    from mockserver.world import load_world

    world = load_world(request.config.getoption("--fleetmock-world"), seed=request.config.getoption("--fleetmock-seed"))
    sim = Simulator(world, SimClock(world.start, rate=0))
    running = serve_in_thread(create_app(sim))
    yield FleetmockServer(running.base_url, Control(running.base_url))
    running.stop()


@pytest.fixture
def fleetmock(fleetmock_server: FleetmockServer) -> Control:
    return fleetmock_server.control


@pytest.fixture
def fleetmock_tenant(fleetmock_server: FleetmockServer) -> Iterator[FleetmockTenant]:
    name = f"t{os.getpid()}-{next(_counter)}"
    control = fleetmock_server.control
    credentials = control.create_tenant(name)
    yield FleetmockTenant(name, credentials, control)
    control.delete_tenant(name)
