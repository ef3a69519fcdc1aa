"""The authorization server over HTTP, in process (responses validated against specs/webfleet-oauth.yaml)."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from oauth_support import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI
from oauth_support import query_of as query
from starlette.testclient import TestClient

from mockserver.simulator import Simulator

BASE = "/webfleet-auth/uaa/oauth"
AUTH = (CLIENT_ID, CLIENT_SECRET)


def authorize_query(**overrides: str | None) -> dict[str, str]:
    values: dict[str, str | None] = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "tachoshare",
        "state": "s1",
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def approve(client: TestClient, username: str = "fleetmanager", password: str = "demo", **extra: str) -> Any:
    form = {**authorize_query(), "username": username, "password": password, "decision": "approve", **extra}
    return client.post(f"{BASE}/authorize", data=form, follow_redirects=False)


def code(client: TestClient, **extra: str) -> str:
    response = approve(client, **extra)
    assert response.status_code == 302, response.text
    return query(response.headers["location"])["code"]


def exchange(client: TestClient, the_code: str, **kwargs: Any) -> Any:
    form = {"grant_type": "authorization_code", "code": the_code, "redirect_uri": REDIRECT_URI}
    return client.post(f"{BASE}/token", data=form, **{"auth": AUTH, **kwargs})


def test_the_consent_page(client: TestClient) -> None:
    response = client.get(f"{BASE}/authorize", params=authorize_query(state="<script>alert(1)</script>"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "Demo Partner App" in response.text
    assert "<script>" not in response.text and "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "nobody"},
        {"client_id": None},
        {"redirect_uri": "javascript:alert(1)"},
        {"redirect_uri": "https://evil.example/cb#x"},
        {"redirect_uri": "https://evil.example/cb"},  # issue 15: was a 302 to it (the demo client had no URIs)
    ],
)
def test_requests_that_cannot_be_redirected_get_an_html_400(
    client: TestClient, overrides: dict[str, str | None]
) -> None:
    response = client.get(f"{BASE}/authorize", params=authorize_query(**overrides, scope="bad"), follow_redirects=False)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "invalid_request" in response.text


@pytest.mark.parametrize(
    ("overrides", "error"),
    [({"scope": "fleet"}, "invalid_scope"), ({"response_type": "token"}, "unsupported_response_type")],
)
def test_other_bad_requests_are_redirected(client: TestClient, overrides: dict[str, str], error: str) -> None:
    response = client.get(f"{BASE}/authorize", params=authorize_query(**overrides), follow_redirects=False)
    assert response.status_code == 302
    answer = query(response.headers["location"])
    assert answer["error"] == error and answer["state"] == "s1"


def test_a_repeated_query_parameter_is_refused(client: TestClient) -> None:
    url = f"{BASE}/authorize?response_type=code&client_id={CLIENT_ID}&redirect_uri={REDIRECT_URI}&state=a&state=b"
    response = client.get(url, follow_redirects=False)
    assert response.status_code == 400 and "must not be repeated" in response.text


def test_bad_credentials_show_the_form_again(client: TestClient) -> None:
    response = approve(client, password="wrong")
    assert response.status_code == 200
    assert "not correct" in response.text and 'value="fleetmanager"' in response.text


def test_refusal_redirects_with_access_denied(client: TestClient) -> None:
    form = {**authorize_query(), "decision": "deny"}
    response = client.post(f"{BASE}/authorize", data=form, follow_redirects=False)
    assert response.status_code == 302
    answer = query(response.headers["location"])
    assert answer == {"error": "access_denied", "error_description": answer["error_description"], "state": "s1"}


def test_code_exchange_answers_webfleets_token_shape(client: TestClient) -> None:
    response = exchange(client, code(client, username="dispatcher-north"))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store" and response.headers["pragma"] == "no-cache"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "refresh_token", "expires_in", "scope", "services", "jti"}
    assert body["token_type"] == "bearer" and body["scope"] == "tachoshare" and body["services"] == ["TACHOSHARE"]
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert (claims["account"], claims["user"], claims["jti"]) == ("demo", "dispatcher-north", body["jti"])


def test_client_credentials_in_the_form_work_too(client: TestClient) -> None:
    the_code = code(client)
    form = {
        "grant_type": "authorization_code",
        "code": the_code,
        "redirect_uri": REDIRECT_URI,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    assert client.post(f"{BASE}/token", data=form).status_code == 200


@pytest.mark.parametrize(
    "kwargs",
    [{"auth": (CLIENT_ID, "wrong")}, {"auth": None}, {"auth": None, "headers": {"Authorization": "Basic %%%"}}],
    ids=["wrong-secret", "no-credentials", "garbled-basic"],
)
def test_failed_client_authentication_is_401_invalid_client(client: TestClient, kwargs: dict[str, Any]) -> None:
    response = exchange(client, code(client), **kwargs)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="webfleet-auth"'
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "password", "username": "u", "password": "p"}, "unsupported_grant_type"),
        ({"grant_type": "authorization_code", "code": "nope", "redirect_uri": REDIRECT_URI}, "invalid_grant"),
        ({"grant_type": "refresh_token", "refresh_token": "nope"}, "invalid_grant"),
        ({"grant_type": "authorization_code"}, "invalid_request"),
        ({"code": "nope"}, "invalid_request"),
        ({"grant_type": "authorization_code", "client_secret": CLIENT_SECRET}, "invalid_request"),
    ],
)
def test_token_errors_are_rfc_6749_shaped(client: TestClient, form: dict[str, str], error: str) -> None:
    response = client.post(f"{BASE}/token", data=form, auth=AUTH)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == error and isinstance(body["error_description"], str)


def test_a_json_body_is_refused_as_invalid_request(client: TestClient) -> None:
    response = client.post(f"{BASE}/token", json={"grant_type": "refresh_token"}, auth=AUTH)
    assert response.status_code == 415 and response.json()["error"] == "invalid_request"


def test_expiry_follows_the_simulated_clock(client: TestClient, sim: Simulator) -> None:
    the_code = code(client)
    sim.clock.advance(10 * 60)
    response = exchange(client, the_code)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_revocation(client: TestClient) -> None:
    tokens = exchange(client, code(client)).json()
    for token in ("unknown", tokens["access_token"], tokens["refresh_token"]):
        response = client.post(f"{BASE}/revoke", data={"token": token, "token_type_hint": "refresh_token"}, auth=AUTH)
        assert response.status_code == 200 and response.content == b""
    refreshed = client.post(
        f"{BASE}/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, auth=AUTH
    )
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"
    wrong = client.post(f"{BASE}/revoke", data={"token": "x"}, auth=(CLIENT_ID, "nope"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    missing = client.post(f"{BASE}/revoke", data={"token_type_hint": "refresh_token"}, auth=AUTH)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"


def test_the_oauth_state_survives_a_snapshot_round_trip(client: TestClient, sim: Simulator) -> None:
    the_code = code(client)
    snapshot = sim.store.snapshot()
    sim.reset()
    sim.store.restore(snapshot)
    assert exchange(client, the_code).status_code == 200
