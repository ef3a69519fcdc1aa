"""Adding an API is a package plus one registration (issue 16, item 1): a throwaway API mounted through the same
registry the real ones use gets its spec served, its routes, its callers resolved, its errors in its own shape, its
state section and its service, with no edit to the core."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.datastructures import Headers
from starlette.testclient import TestClient

from mockserver.apis import ApiPlugin, register, registry, unregister
from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.errors import ApiError
from mockserver.faults import parse_rule
from mockserver.simulator import Simulator, state_sections
from mockserver.world import World
from tests.architecture.tiny_api import SECTION, Counter, TinyService

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "tiny", "version": "1"},
    "paths": {
        "/things/{name}": {
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "getThing", "responses": {"200": {"description": "a thing"}}},
            "put": {"operationId": "makeThing", "responses": {"201": {"description": "made"}}},
        }
    },
}


def tiny_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    body = json.dumps({"oops": error.description, "code": error.status}).encode()
    return ConnexionResponse(status_code=error.status, mimetype="application/x-tiny+json", body=body)


def tiny_caller(sim: Simulator, headers: Headers) -> tuple[str | None, str | None]:
    key = headers.get("x-tiny-key")
    return key, (key.split(":")[0] if key else None)


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[ApiPlugin]:
    spec = tmp_path / "tiny.json"
    spec.write_text(json.dumps(SPEC))
    plugin = register(
        ApiPlugin(
            name="tiny",
            spec=str(spec),  # an absolute path: the file need not live under specs/
            base_path="/tiny",
            handlers="tests.architecture.tiny_api",
            error=tiny_error,
            account=tiny_caller,
            fault_target=True,
            state={SECTION: Counter.from_json},
            service=TinyService,
        )
    )
    try:
        yield plugin
    finally:
        unregister("tiny")
    assert "tiny" not in registry().names()


def test_a_throwaway_api_is_served_through_the_registry(tiny: ApiPlugin, world: World) -> None:
    assert registry()["tiny"] is tiny and "tiny" in state_sections()
    sim = Simulator(world, SimClock(world.start, rate=0))
    with TestClient(create_app(sim)) as client:
        made = client.put("/tiny/things/kettle", headers={"X-Tiny-Key": "acme:1"})
        assert made.status_code == 201 and made.json() == {"name": "kettle", "number": 1}
        assert client.get("/tiny/things/kettle").json() == {"name": "kettle", "number": 1}

        missing = client.get("/tiny/things/teapot")  # the API's own error shape, from its renderer
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/x-tiny+json")
        assert missing.json() == {"oops": "no thing 'teapot'", "code": 404}

        with sim.store.write():  # a fault rule may name it, and its answer takes the API's shape too
            sim.faults.add(parse_rule({"match": {"api": "tiny", "path": "/things/*"}, "respond": {"status": 503}}))
        faulted = client.get("/tiny/things/kettle", headers={"X-Tiny-Key": "acme:2"})
        assert faulted.status_code == 503 and faulted.json()["code"] == 503

    entries = [(e.api, e.operation_id, e.account, e.status) for e in sim.journal.entries()]
    assert entries == [
        ("tiny", "makeThing", "acme", 201),  # the caller resolved by the plugin's account resolver
        ("tiny", "getThing", None, 200),
        ("tiny", "getThing", None, 404),
        ("tiny", "getThing", "acme", 503),
    ]
    assert sim.store.snapshot()["sections"][SECTION] == {"made": 1, "names": ["kettle"]}  # its state section


def test_without_its_registration_the_api_is_not_there(world: World) -> None:
    sim = Simulator(world, SimClock(world.start, rate=0))
    assert "tiny" not in registry().names() and "tiny" not in sim.services
    with TestClient(create_app(sim)) as client:
        assert client.get("/tiny/things/kettle").status_code == 404
