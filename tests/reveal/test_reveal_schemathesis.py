"""Schemathesis over specs/reveal.yaml, in-process: every answer is declared, conforms to its schema, content
type and headers, and nothing is a server error. Authentication goes through the gateway (Basic for `/token`,
the Atmosphere header with a fresh token for the LogBook), so the generated cases reach the real handlers."""

from __future__ import annotations

from functools import cache
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.world import load_world
from tests.conftest import make_sim
from tests.reveal.reveal_support import atmosphere

SIM = make_sim(load_world())
APP = create_app(SIM, strict=True)
schema = schemathesis.openapi.from_asgi("/reveal/openapi.json", APP)

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@cache
def _token() -> str:
    """One token serves the whole run: the simulator's clock is frozen, so it never expires."""
    with TestClient(APP) as client:
        return client.get("/reveal/token", auth=("demo", "demo")).text


def _headers(case: Any) -> dict[str, str]:
    if case.path == "/token":
        return {}  # the generated case carries (or deliberately lacks) its own Basic credentials
    return atmosphere(_token())


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_reveal_api_conforms_to_its_spec(case: Any) -> None:
    headers = _headers(case)
    if case.path == "/token" and not case.headers.get("Authorization"):
        headers = {"Authorization": "Basic ZGVtbzpkZW1v"}  # demo:demo, so that the 200 answer is exercised too
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_the_spec_is_served_with_every_operation() -> None:
    operations = {result.ok().label for result in schema.get_all_operations()}  # type: ignore[union-attr]
    assert operations == {
        "GET /token",
        "GET /logbook/v1/driver/{driverNumber}/statuscurrent",
        "GET /logbook/v1/driver/{driverNumber}/statushistory",
        "GET /logbook/v1/driver/{driverNumber}/remainingtime",
    }
