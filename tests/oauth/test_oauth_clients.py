"""Client authentication (RFC 6749 §2.3.1) and redirect URI rules (§3.1.2)."""

from __future__ import annotations

import base64

import pytest
from oauth_support import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, with_client

from mockserver.oauth.clients import (
    BasicCredentials,
    ClientCredentials,
    authenticate_client,
    resolve_redirect_uri,
)
from mockserver.oauth.errors import BASIC_CHALLENGE, InvalidClient, InvalidRequest
from mockserver.oauth.params import Params
from mockserver.world import World
from mockserver.world.models import OAuthClient


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def credentials(authorization: str | None = None, **form: str) -> ClientCredentials:
    return ClientCredentials.from_request(authorization, Params(form))


def test_basic_credentials_authenticate(world: World) -> None:
    client = authenticate_client(world, credentials(basic(CLIENT_ID, CLIENT_SECRET)))
    assert client.client_id == CLIENT_ID


def test_form_credentials_authenticate(world: World) -> None:
    client = authenticate_client(world, credentials(client_id=CLIENT_ID, client_secret=CLIENT_SECRET))
    assert client.client_id == CLIENT_ID


def test_basic_credentials_may_be_form_urlencoded_as_rfc_6749_says(world: World) -> None:
    odd = OAuthClient("odd client", "s3cret+/:%", "Odd")
    encoded = basic("odd+client", "s3cret%2B%2F%3A%25")
    assert authenticate_client(with_client(world, odd), credentials(encoded)) == odd
    assert authenticate_client(with_client(world, odd), credentials(basic("odd client", "s3cret+/:%"))) == odd


def test_basic_with_a_matching_form_client_id_is_fine(world: World) -> None:
    found = authenticate_client(world, credentials(basic(CLIENT_ID, CLIENT_SECRET), client_id=CLIENT_ID))
    assert found.client_id == CLIENT_ID


@pytest.mark.parametrize(
    "creds",
    [
        credentials(),
        credentials(basic(CLIENT_ID, "wrong")),
        credentials(basic("nobody", CLIENT_SECRET)),
        credentials(client_id=CLIENT_ID),
        credentials(client_id=CLIENT_ID, client_secret="wrong"),
        credentials(client_id="nobody", client_secret=CLIENT_SECRET),
        credentials(basic(CLIENT_ID, CLIENT_SECRET), client_id="someone-else"),
    ],
    ids=[
        "none",
        "basic-wrong-secret",
        "basic-unknown",
        "form-no-secret",
        "form-wrong-secret",
        "form-unknown",
        "basic-and-another-client-id",
    ],
)
def test_failed_client_authentication_is_invalid_client_with_a_basic_challenge(
    world: World, creds: ClientCredentials
) -> None:
    with pytest.raises(InvalidClient) as caught:
        authenticate_client(world, creds)
    assert caught.value.status == 401
    assert caught.value.error == "invalid_client"
    assert caught.value.headers == {"WWW-Authenticate": BASIC_CHALLENGE}


@pytest.mark.parametrize("header", ["Basic !!!notbase64", "Basic " + base64.b64encode(b"no-colon").decode()])
def test_malformed_basic_credentials_are_invalid_client(header: str) -> None:
    with pytest.raises(InvalidClient):
        BasicCredentials.from_header(header)


def test_other_authorization_schemes_are_not_client_credentials() -> None:
    assert BasicCredentials.from_header("Bearer abc") is None
    assert BasicCredentials.from_header(None) is None


def test_two_authentication_methods_at_once_are_an_invalid_request(world: World) -> None:
    with pytest.raises(InvalidRequest, match="not both"):
        authenticate_client(
            world, credentials(basic(CLIENT_ID, CLIENT_SECRET), client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        )


OPEN = OAuthClient("open", "x", "Open")  # no registered URIs: loopback ones only
ONE = OAuthClient("one", "x", "One", (REDIRECT_URI,))
TWO = OAuthClient("two", "x", "Two", (REDIRECT_URI, "http://localhost:8000/cb"))


@pytest.mark.parametrize(
    ("client", "requested", "expected"),
    [
        (OPEN, "http://127.0.0.1:5000/cb?keep=1", "http://127.0.0.1:5000/cb?keep=1"),
        (OPEN, "http://localhost/cb", "http://localhost/cb"),
        (OPEN, "http://[::1]:8080/", "http://[::1]:8080/"),
        (ONE, "http://127.0.0.1:5000/cb", "http://127.0.0.1:5000/cb"),
        (ONE, None, REDIRECT_URI),
        (ONE, REDIRECT_URI, REDIRECT_URI),
        (TWO, "http://localhost:8000/cb", "http://localhost:8000/cb"),
    ],
)
def test_acceptable_redirect_uris(client: OAuthClient, requested: str | None, expected: str) -> None:
    assert resolve_redirect_uri(client, requested) == expected


@pytest.mark.parametrize(
    ("client", "requested", "words"),
    [
        (OPEN, None, "missing"),
        (TWO, None, "missing"),
        (OPEN, "javascript:alert(1)", "absolute http or https"),
        (OPEN, "/relative/cb", "absolute http or https"),
        (OPEN, "https://partner.example/cb#frag", "without a fragment"),
        (OPEN, "https:///no-host", "absolute http or https"),
        (ONE, REDIRECT_URI + "/other", "not registered"),
        (OPEN, "https://evil.example/cb", "not registered"),  # issue 15: a client without URIs redirected anywhere
        (OPEN, "https://127.0.0.1/cb", "not registered"),  # loopback means plain http (RFC 8252 §7.3)
        (OPEN, "http://localhost.evil.example/cb", "not registered"),
        (ONE, REDIRECT_URI.upper(), "not registered"),
    ],
)
def test_unacceptable_redirect_uris_are_refused(client: OAuthClient, requested: str | None, words: str) -> None:
    with pytest.raises(InvalidRequest, match=words):
        resolve_redirect_uri(client, requested)
