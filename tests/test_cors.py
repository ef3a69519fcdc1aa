"""CORS (issue 18): off by default (a preflight is a 405 as before); with `--cors-origin` a preflight from an
allowed origin is answered with the methods the specs declare, and answers carry Access-Control-Allow-Origin."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.cli import build_parser
from mockserver.cors import with_cors
from tests.conftest import bearer

APP_ORIGIN = "http://localhost:3000"


def _preflight(client: TestClient, path: str, method: str = "GET", origin: str = APP_ORIGIN) -> Any:
    headers = {"Origin": origin, "Access-Control-Request-Method": method,
               "Access-Control-Request-Headers": "authorization"}
    return client.options(path, headers=headers)


@pytest.fixture
def cors_client(sim: Any, _session_app: tuple[Any, Any]) -> Iterator[TestClient]:
    with TestClient(with_cors(_session_app[1], [APP_ORIGIN, "https://qa.example/"])) as test_client:
        yield test_client


def test_off_by_default(client: TestClient) -> None:
    assert with_cors(client.app, []) is client.app  # nothing in front of the APIs
    answer = _preflight(client, "/tachoshare/vehicles")
    assert answer.status_code == 405 and "access-control-allow-origin" not in answer.headers


def test_a_preflight_is_answered_as_the_spec_declares(cors_client: TestClient) -> None:
    answer = _preflight(cors_client, "/tachoshare/vehicles/WDB9634031L123456/rdl", "POST")
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == APP_ORIGIN
    assert answer.headers["access-control-allow-methods"] == "OPTIONS, POST"
    assert answer.headers["access-control-allow-headers"] == "authorization"
    reveal = _preflight(cors_client, "/reveal/logbook/v1/driver/99/remainingtime", origin="https://qa.example")
    assert reveal.status_code == 204 and reveal.headers["access-control-allow-origin"] == "https://qa.example"


def test_undeclared_methods_paths_and_origins_get_no_cors(cors_client: TestClient) -> None:
    for answer in (
        _preflight(cors_client, "/tachoshare/vehicles", "DELETE"),
        _preflight(cors_client, "/tachoshare/nothing-here"),
        _preflight(cors_client, "/tachoshare/vehicles", origin="https://evil.example"),
    ):
        assert answer.status_code in (404, 405) and "access-control-allow-origin" not in answer.headers


def test_answers_to_an_allowed_origin_carry_cors_headers(cors_client: TestClient) -> None:
    headers = {**bearer(cors_client), "Origin": APP_ORIGIN}
    answer = cors_client.get("/tachoshare/vehicles", headers=headers)
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "WWW-Authenticate" in answer.headers["access-control-expose-headers"]
    refused = cors_client.get("/tachoshare/vehicles", headers={"Origin": APP_ORIGIN})
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == APP_ORIGIN
    other = cors_client.get("/tachoshare/vehicles", headers={**headers, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_any_origin_and_the_option_from_the_environment(
    sim: Any, _session_app: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLEETMOCK_CORS_ORIGIN", "*")
    origins = build_parser().parse_args(["serve"]).cors_origin
    assert origins == ["*"]
    with TestClient(with_cors(_session_app[1], origins)) as any_client:
        answer = _preflight(any_client, "/tachoshare/vehicles", origin="https://anywhere.example")
    assert answer.status_code == 204 and answer.headers["access-control-allow-origin"] == "*"


def test_the_same_origins_may_use_the_control_plane_and_no_other(sim: Any) -> None:
    from mockserver.app import create_app
    from mockserver.cli.serve import control_access

    origins = [APP_ORIGIN, "*"]
    with TestClient(with_cors(create_app(sim, access=control_access(origins)), origins)) as browser:
        allowed = browser.post("/_sim/clock/advance", json={"seconds": 60}, headers={"Origin": APP_ORIGIN})
        assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "*"
        other = browser.post("/_sim/clock/advance", json={"seconds": 60}, headers={"Origin": "https://evil.example"})
        assert other.status_code == 403  # "*" opens the APIs, never the control plane
