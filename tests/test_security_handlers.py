"""Connexion's security checks without a per-request `inspect.signature` (issue 13): the answers are Connexion's
(401, 403, 200 alike), and after the first request of each scheme no request inspects a signature again."""

from __future__ import annotations

from typing import Any

import pytest
from connexion import security, utils
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.security_handlers import accepts_kwarg
from mockserver.world import World
from tests.conftest import bearer, make_sim


def _requests(client: TestClient, headers: dict[str, str]) -> list[int]:
    return [
        client.get("/tachoshare/vehicles", headers=headers).status_code,
        client.get("/tachoshare/vehicles", headers={"Authorization": "Bearer nope"}).status_code,
        client.get("/tachoshare/drivers").status_code,
    ]


def test_no_signature_is_inspected_per_request(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(make_sim(world), strict=True))  # strict: every request through Connexion
    headers = bearer(client)
    assert _requests(client, headers) == [200, 401, 401]  # the first requests may ask each function once
    inspected: list[Any] = []
    original = utils.inspect_function_arguments

    def counting(function: Any) -> Any:
        inspected.append(function)
        return original(function)

    monkeypatch.setattr(utils, "inspect_function_arguments", counting)
    monkeypatch.setattr(security, "inspect_function_arguments", counting)  # what Connexion's own check calls
    for _ in range(3):
        assert _requests(client, headers) == [200, 401, 401]
    assert inspected == []


def test_the_kept_answer_is_connexions() -> None:
    def scopes_only(token: str, required_scopes: list[str] | None = None) -> None: ...

    def anything(token: str, **kwargs: Any) -> None: ...

    assert accepts_kwarg(scopes_only, "required_scopes") and not accepts_kwarg(scopes_only, "request")
    assert accepts_kwarg(anything, "request") and accepts_kwarg(anything, "required_scopes")
