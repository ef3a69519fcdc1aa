"""Bad input gets its documented status and body, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.simulator import Simulator
from tests.conftest import bearer

ERROR_KEYS = {"description", "url", "traceId"}


def _state(client: TestClient, sim: Simulator, auth: dict[str, str]) -> tuple[Any, ...]:
    return (sim.store.snapshot(), client.get("/tachoshare/vehicles", headers=auth).text, sim.clock.now())


Case = Callable[[TestClient, Simulator, dict[str, str]], Any]


def _expired(client: TestClient, sim: Simulator, auth: dict[str, str]) -> Any:
    stale = bearer(client)
    sim.clock.advance(4 * 3600 + 1)
    response = client.get("/tachoshare/vehicles", headers=stale)
    return response


CASES: dict[str, tuple[Case, int]] = {
    "non-ISO VIN": (lambda c, s, a: c.get("/tachoshare/vehicles/NOT-A-VIN", headers=a), 404),
    "VIN with I": (lambda c, s, a: c.get("/tachoshare/vehicles/WDBIPJ0U6RG206822", headers=a), 404),
    "unknown VIN": (lambda c, s, a: c.get("/tachoshare/vehicles/1M8GDM9AXKP042788", headers=a), 404),
    "missing token": (lambda c, s, a: c.get("/tachoshare/vehicles"), 401),
    "garbage token": (
        lambda c, s, a: c.get("/tachoshare/vehicles", headers={"Authorization": "Bearer x.y.z"}),
        401,
    ),
    "wrong scheme": (
        lambda c, s, a: c.get("/tachoshare/drivers", headers={"Authorization": "Basic Zm9vOmJhcg=="}),
        401,
    ),
    "token without scope": (
        lambda c, s, a: c.get("/tachoshare/companyCards", headers=bearer(c, scopes=[])),
        403,
    ),
    "unacceptable Accept": (
        lambda c, s, a: c.get("/tachoshare/drivers", headers={**a, "Accept": "text/csv"}),
        406,
    ),
    "unknown route": (lambda c, s, a: c.get("/tachoshare/trailers", headers=a), 404),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_answered_with_its_status_and_changes_nothing(
    name: str, client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    case, status = CASES[name]
    before = _state(client, sim, auth)
    response = case(client, sim, auth)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS and body["description"] and body["url"].endswith(response.url.path)
    if status == 401:
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    if status == 403:
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert _state(client, sim, auth)[1:] == before[1:]


def test_expired_token_is_401_and_a_fresh_one_works(client: TestClient, sim: Simulator) -> None:
    response = _expired(client, sim, {})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert client.get("/tachoshare/vehicles", headers=bearer(client)).status_code == 200
