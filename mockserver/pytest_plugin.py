"""The fleetmock pytest plugin (registered through the `pytest11` entry point when fleetmock is installed).

Fixtures for a downstream project's suite:
- `fleetmock_server`: a live simulator on a free loopback port for the session (clock frozen; `base_url`).
- `fleetmock`: a `Control` handle on it (clock, faults, journal, tenants, scenarios, tokens, state).
- `fleetmock_tenant`: a fresh isolated account for each test, removed afterwards, so tests (and parallel CI jobs
  sharing one server) never see each other's state.

Isolation: before each test that uses one of these fixtures, the simulator is put back as it was when the session
started (a snapshot restored with `PUT /_sim/state`: clock, faults, rate limits, tenants, OAuth grants; and the
journal emptied), about 3 ms a test. A test marked `@pytest.mark.fleetmock_shared` sees what the tests before it
left; `--fleetmock-isolation none` turns isolation off for the run (the default with `--fleetmock-url`, whose
server other jobs may share: there each test's tenant is its isolation).
Not restored: rate-limit buckets already filled (they count real seconds) and the trace-id counter.

Options: `--fleetmock-world FILE`, `--fleetmock-seed N`, `--fleetmock-url URL` (use a server that runs already),
`--fleetmock-isolation restore|none`.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from mockserver.handle import Control

_counter = itertools.count(1)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fleetmock")
    group.addoption("--fleetmock-world", default=None, help="world file for the fleetmock_server fixture")
    group.addoption("--fleetmock-seed", type=int, default=None, help="seed for the fleetmock_server fixture")
    group.addoption("--fleetmock-url", default=None, help="use this running simulator instead of starting one")
    group.addoption(
        "--fleetmock-isolation",
        choices=["restore", "none"],
        default=None,
        help="restore the session's starting state before each fleetmock test (default), or none "
        "(the default with --fleetmock-url)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fleetmock_shared: this test sees the simulator state earlier tests left (no restore before it)"
    )


FIXTURES = frozenset({"fleetmock", "fleetmock_server", "fleetmock_tenant"})


@dataclass
class FleetmockServer:
    base_url: str
    control: Control
    baseline: dict[str, Any] | None = None  # the state to restore before each test; None: no isolation


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
    isolation = request.config.getoption("--fleetmock-isolation") or ("none" if url else "restore")
    if url:
        control = Control(url.rstrip("/"))
        yield FleetmockServer(control.base_url, control, control.state() if isolation == "restore" else None)
        return
    with warnings.catch_warnings():  # the web stack's own warnings on import (Connexion's jsonschema deprecations,
        warnings.simplefilter("ignore")  # Starlette's httpx notice, a UserWarning) are not the downstream's business
        from mockserver.app import create_app
        from mockserver.clock import SimClock
        from mockserver.serving import serve_in_thread
        from mockserver.simulator import Simulator
        from mockserver.world import load_world

        world = load_world(
            request.config.getoption("--fleetmock-world"), seed=request.config.getoption("--fleetmock-seed")
        )
        sim = Simulator(world, SimClock(world.start, rate=0))
        running = serve_in_thread(create_app(sim))
    control = Control(running.base_url)
    yield FleetmockServer(running.base_url, control, control.state() if isolation == "restore" else None)
    running.stop()


@pytest.fixture(autouse=True)
def _fleetmock_isolation(request: pytest.FixtureRequest) -> None:
    """Before a test that uses the simulator: the session's starting state back, the journal empty."""
    if not FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("fleetmock_shared"):
        return
    server: FleetmockServer = request.getfixturevalue("fleetmock_server")
    if server.baseline is not None:
        server.control.restore(server.baseline)
        server.control.clear_journal()


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
