"""The authorization endpoint's rules: request validation, where errors go, sign-in and the consent decision."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oauth_support import CLIENT_ID, REDIRECT_URI, RFC_CHALLENGE, Harness, authorization_params, consent_params
from oauth_support import query_of as query

from mockserver.oauth.authorization import (
    RedirectToClient,
    SignIn,
    SignInFailed,
    sign_in,
    validate_request,
    with_query,
)
from mockserver.oauth.errors import InvalidRequest
from mockserver.oauth.params import Params
from mockserver.oauth.pkce import PkceChallenge
from mockserver.oauth.state import Grant
from mockserver.world import World
from mockserver.world.models import User

STATE_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)


@pytest.fixture
def harness(world: World) -> Harness:
    return Harness(world, world.start)


def test_a_valid_request_is_accepted_with_the_default_scope(world: World) -> None:
    request = validate_request(world, authorization_params(code_challenge=RFC_CHALLENGE, code_challenge_method="S256"))
    assert request.client.client_id == CLIENT_ID
    assert request.redirect_uri == REDIRECT_URI
    assert request.scopes == ("tachoshare",)
    assert request.state == "xyz"
    assert request.pkce == PkceChallenge(RFC_CHALLENGE, "S256")


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"client_id": None}, "client_id parameter is missing"),
        ({"client_id": "nobody"}, "Unknown client 'nobody'"),
        ({"redirect_uri": None}, "redirect_uri parameter is missing"),
        ({"redirect_uri": "javascript:alert(1)"}, "absolute http or https"),
    ],
)
def test_while_client_or_redirect_is_in_doubt_nothing_is_redirected(
    world: World, overrides: dict[str, str | None], words: str
) -> None:
    with pytest.raises(InvalidRequest, match=words):
        validate_request(world, authorization_params(**overrides, scope="nonsense", response_type="token"))


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "tachoshare admin"}, "invalid_scope"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"code_challenge_method": "S256"}, "invalid_request"),
    ],
)
def test_other_errors_go_back_to_the_client_with_its_state(
    world: World, overrides: dict[str, str | None], error: str
) -> None:
    with pytest.raises(RedirectToClient) as caught:
        validate_request(world, authorization_params(**overrides))
    assert caught.value.location.startswith(REDIRECT_URI + "?")
    answer = query(caught.value.location)
    assert answer["error"] == error
    assert answer["state"] == "xyz"
    assert answer["error_description"]
    assert "code" not in answer


@settings(max_examples=40, deadline=None)
@given(state=STATE_TEXT, existing=st.dictionaries(st.sampled_from(["a", "b", "tenant"]), STATE_TEXT, max_size=2))
def test_redirects_keep_the_uri_query_and_return_state_unchanged(state: str, existing: dict[str, str]) -> None:
    base = with_query(REDIRECT_URI, sorted(existing.items()))
    location = with_query(base, [("code", "abc"), ("state", state)])
    assert location.startswith(base)
    assert query(location) == {**existing, "code": "abc", "state": state}


def test_sign_in_finds_the_user_without_an_account_name(world: World) -> None:
    account, user = sign_in(world, SignIn(None, "dispatcher-north", "demo"))
    assert (account.name, user.username) == ("demo", "dispatcher-north")


def test_sign_in_with_the_account_name(world: World) -> None:
    account, user = sign_in(world, SignIn("acme", "acme-admin", "acme"))
    assert (account.name, user.username) == ("acme", "acme-admin")


@pytest.mark.parametrize(
    "attempt",
    [
        SignIn(None, "fleetmanager", "wrong"),
        SignIn(None, "nobody", "demo"),
        SignIn("acme", "fleetmanager", "demo"),
        SignIn("no-such-account", "fleetmanager", "demo"),
        SignIn(None, "acme-admin", "demo"),
    ],
)
def test_bad_credentials_fail_with_one_message(world: World, attempt: SignIn) -> None:
    with pytest.raises(SignInFailed, match="account, username or password is not correct"):
        sign_in(world, attempt)


@pytest.mark.parametrize("attempt", [SignIn(None, None, "demo"), SignIn(None, "fleetmanager", None)])
def test_missing_credentials_ask_for_them(world: World, attempt: SignIn) -> None:
    with pytest.raises(SignInFailed, match="Enter your username and password"):
        sign_in(world, attempt)


def test_a_username_in_two_accounts_needs_the_account_name(world: World) -> None:
    acme = world.account("acme")
    assert acme is not None
    twin = dataclasses.replace(acme, users=(*acme.users, User("fleetmanager", "acme", "Twin")))
    doubled = dataclasses.replace(world, accounts=tuple(twin if a.name == "acme" else a for a in world.accounts))
    with pytest.raises(SignInFailed, match="several accounts"):
        sign_in(doubled, SignIn(None, "fleetmanager", "demo"))
    account, _ = sign_in(doubled, SignIn("acme", "fleetmanager", "acme"))
    assert account.name == "acme"


def test_approval_issues_a_code_bound_to_the_grant(harness: Harness) -> None:
    outcome = harness.server.consent(consent_params(username="dispatcher-north"), harness.state, harness.now)
    assert outcome.location is not None and outcome.message is None
    answer = query(outcome.location)
    assert set(answer) == {"code", "state"} and answer["state"] == "xyz"
    pending = harness.state.codes[answer["code"]]
    assert pending.grant == Grant("demo", "dispatcher-north", CLIENT_ID, ("tachoshare",))
    assert pending.redirect_uri == REDIRECT_URI
    assert pending.expires_at == "2026-11-02T08:10:00Z"


def test_refusal_redirects_access_denied_without_a_sign_in(harness: Harness) -> None:
    params = consent_params(username="", password="", decision="deny")
    outcome = harness.server.consent(params, harness.state, harness.now)
    assert outcome.location is not None
    answer = query(outcome.location)
    assert answer["error"] == "access_denied" and answer["state"] == "xyz"
    assert harness.state.codes == {}


@pytest.mark.parametrize(
    ("params", "words"),
    [
        (consent_params(password="wrong"), "not correct"),
        (consent_params(decision="maybe"), "Approve or Deny"),
    ],
)
def test_a_failed_approval_shows_the_form_again(harness: Harness, params: Params, words: str) -> None:
    outcome = harness.server.consent(params, harness.state, harness.now)
    assert outcome.location is None
    assert outcome.message is not None and words in outcome.message
    assert harness.state.codes == {}


def test_an_authorization_request_sent_by_post_shows_the_page(harness: Harness) -> None:
    outcome = harness.server.consent(authorization_params(), harness.state, harness.now)
    assert outcome.location is None and outcome.message is None
    assert outcome.request.state == "xyz"


def test_the_consent_form_is_validated_again(harness: Harness) -> None:
    with pytest.raises(InvalidRequest, match="Unknown client"):
        harness.server.consent(consent_params(client_id="forged"), harness.state, harness.now)
    with pytest.raises(RedirectToClient):
        harness.server.consent(consent_params(scope="everything"), harness.state, harness.now)
    assert harness.state.codes == {}


def test_codes_are_deterministic_under_the_seed(world: World) -> None:
    first, second = Harness(world, world.start), Harness(world, world.start)
    assert [first.code() for _ in range(3)] == [second.code() for _ in range(3)]
    assert len(set(first.state.codes)) == 3


def test_expired_codes_are_dropped_when_new_ones_are_issued(world: World) -> None:
    harness = Harness(world, world.start)
    stale = harness.code()
    harness.now = datetime.fromisoformat("2026-11-02T08:10:00+00:00")
    fresh = harness.code()
    assert set(harness.state.codes) == {fresh} and stale != fresh
