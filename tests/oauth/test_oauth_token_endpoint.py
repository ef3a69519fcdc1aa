"""The token and revocation endpoints' rules: code redemption, refresh rotation, revocation."""

from __future__ import annotations

import base64
import dataclasses
from datetime import timedelta

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oauth_support import (
    CLIENT_ID,
    CLIENT_SECRET,
    REDIRECT_URI,
    RFC_CHALLENGE,
    RFC_VERIFIER,
    Harness,
    with_client,
)

from mockserver.oauth.clients import ClientCredentials
from mockserver.oauth.errors import InvalidClient, InvalidGrant, InvalidRequest, InvalidScope, UnsupportedGrantType
from mockserver.oauth.params import Params
from mockserver.oauth.tokens import TokenResponse
from mockserver.world import World
from mockserver.world.models import OAuthClient

OTHER = OAuthClient("other-partner", "other-secret", "Other Partner")
ONE_URI = OAuthClient("one-uri", "one-secret", "One URI", (REDIRECT_URI,))


def basic(client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> ClientCredentials:
    header = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return ClientCredentials.from_request(header, Params())


@pytest.fixture
def harness(world: World) -> Harness:
    return Harness(with_client(with_client(world, OTHER), ONE_URI), world.start)


def token(harness: Harness, creds: ClientCredentials | None = None, /, **form: str) -> TokenResponse:
    return harness.server.token(creds or basic(), Params(form), harness.state, harness.now)


def redeem(harness: Harness, code: str, creds: ClientCredentials | None = None, **extra: str) -> TokenResponse:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, **extra}
    return token(harness, creds, **form)


def refresh(harness: Harness, refresh_token: str, creds: ClientCredentials | None = None) -> TokenResponse:
    return token(harness, creds, grant_type="refresh_token", refresh_token=refresh_token)


def test_a_code_buys_a_signed_token_with_the_grant_in_its_claims(harness: Harness) -> None:
    answer = redeem(harness, harness.code(username="dispatcher-north"))
    claims = jwt.decode(answer.access_token, options={"verify_signature": False})
    assert claims["account"] == "demo" and claims["user"] == "dispatcher-north"
    assert claims["scope"] == "tachoshare" and claims["client_id"] == CLIENT_ID
    assert claims["exp"] - claims["iat"] == answer.expires_in == 4 * 3600
    assert answer.to_json()["token_type"] == "bearer"
    principal = harness.issuer.verify(answer.access_token, harness.now)
    assert principal is not None and principal.username == "dispatcher-north"
    assert answer.refresh_token in harness.state.refresh_tokens


def test_a_code_works_once(harness: Harness) -> None:
    code = harness.code()
    redeem(harness, code)
    with pytest.raises(InvalidGrant, match="unknown or already used"):
        redeem(harness, code)


def test_a_code_lives_ten_minutes(harness: Harness) -> None:
    fresh, stale = harness.code(), harness.code()
    harness.now += timedelta(minutes=9, seconds=59)
    redeem(harness, fresh)
    harness.now += timedelta(seconds=1)
    with pytest.raises(InvalidGrant, match="expired"):
        redeem(harness, stale)


@pytest.mark.parametrize(
    ("creds", "extra", "words"),
    [
        (basic(OTHER.client_id, OTHER.secret), {}, "another client"),
        (None, {"redirect_uri": REDIRECT_URI + "/x"}, "does not match"),
        (None, {"code_verifier": RFC_VERIFIER}, "no code_challenge"),
    ],
)
def test_a_misused_code_is_invalid_grant_and_dies(
    harness: Harness, creds: ClientCredentials | None, extra: dict[str, str], words: str
) -> None:
    code = harness.code()
    with pytest.raises(InvalidGrant, match=words):
        redeem(harness, code, creds, **extra)
    with pytest.raises(InvalidGrant, match="unknown or already used"):
        redeem(harness, code)


def test_the_redirect_uri_must_be_repeated(harness: Harness) -> None:
    code = harness.code()
    with pytest.raises(InvalidGrant, match="must be repeated"):
        token(harness, grant_type="authorization_code", code=code)


def test_a_client_with_one_registered_uri_may_leave_it_out_everywhere(harness: Harness) -> None:
    code = harness.code(client_id=ONE_URI.client_id, redirect_uri=None)
    answer = token(harness, basic(ONE_URI.client_id, ONE_URI.secret), grant_type="authorization_code", code=code)
    assert answer.access_token


def test_pkce_is_checked_when_a_challenge_was_given(harness: Harness) -> None:
    with_pkce = {"code_challenge": RFC_CHALLENGE, "code_challenge_method": "S256"}
    redeem(harness, harness.code(**with_pkce), code_verifier=RFC_VERIFIER)
    with pytest.raises(InvalidGrant, match="code_verifier is missing"):
        redeem(harness, harness.code(**with_pkce))
    with pytest.raises(InvalidGrant, match="does not match"):
        redeem(harness, harness.code(**with_pkce), code_verifier=RFC_VERIFIER[::-1])


def test_a_code_of_a_vanished_user_is_refused(harness: Harness) -> None:
    code = harness.code(username="dispatcher-north")
    world = harness.world
    demo = world.account("demo")
    assert demo is not None
    fewer = dataclasses.replace(demo, users=tuple(u for u in demo.users if u.username != "dispatcher-north"))
    harness.server.world = dataclasses.replace(
        world, accounts=tuple(fewer if a.name == "demo" else a for a in world.accounts)
    )
    with pytest.raises(InvalidGrant, match="no longer exists"):
        redeem(harness, code)


def test_client_authentication_comes_before_the_grant(harness: Harness) -> None:
    with pytest.raises(InvalidClient):
        token(harness, basic(CLIENT_ID, "wrong"), grant_type="password")


@pytest.mark.parametrize("grant_type", ["password", "client_credentials", "implicit", "AUTHORIZATION_CODE"])
def test_other_grant_types_are_unsupported(harness: Harness, grant_type: str) -> None:
    with pytest.raises(UnsupportedGrantType, match=repr(grant_type)):
        token(harness, grant_type=grant_type)


@pytest.mark.parametrize(
    ("form", "missing"),
    [
        ({}, "grant_type"),
        ({"grant_type": "authorization_code"}, "code"),
        ({"grant_type": "refresh_token"}, "refresh_token"),
    ],
)
def test_missing_parameters_are_invalid_requests(harness: Harness, form: dict[str, str], missing: str) -> None:
    with pytest.raises(InvalidRequest, match=f"'{missing}' is missing"):
        token(harness, **form)


def test_a_repeated_parameter_is_an_invalid_request(harness: Harness) -> None:
    with pytest.raises(InvalidRequest, match="must not be repeated"):
        harness.server.token(basic(), Params({"grant_type": ["refresh_token", "password"]}), harness.state, harness.now)


def test_refresh_rotates(harness: Harness) -> None:
    first = redeem(harness, harness.code())
    second = refresh(harness, first.refresh_token)
    assert second.refresh_token != first.refresh_token and second.access_token != first.access_token
    assert first.refresh_token not in harness.state.refresh_tokens
    with pytest.raises(InvalidGrant, match="unknown, used or revoked"):
        refresh(harness, first.refresh_token)
    refresh(harness, second.refresh_token)


def test_another_client_can_neither_use_nor_kill_a_refresh_token(harness: Harness) -> None:
    mine = redeem(harness, harness.code())
    with pytest.raises(InvalidGrant, match="another client"):
        refresh(harness, mine.refresh_token, basic(OTHER.client_id, OTHER.secret))
    harness.server.revoke(basic(OTHER.client_id, OTHER.secret), Params({"token": mine.refresh_token}), harness.state)
    refresh(harness, mine.refresh_token)


def test_refresh_may_repeat_the_scope_but_not_widen_it(harness: Harness) -> None:
    answer = redeem(harness, harness.code())
    answer = token(harness, grant_type="refresh_token", refresh_token=answer.refresh_token, scope="tachoshare")
    with pytest.raises(InvalidScope):
        token(harness, grant_type="refresh_token", refresh_token=answer.refresh_token, scope="tachoshare admin")


def test_revocation_kills_a_refresh_token_and_ignores_anything_else(harness: Harness) -> None:
    answer = redeem(harness, harness.code())
    for anything in ("not-a-token", answer.access_token):
        harness.server.revoke(basic(), Params({"token": anything}), harness.state)
    refreshed = refresh(harness, answer.refresh_token)
    harness.server.revoke(basic(), Params({"token": refreshed.refresh_token}), harness.state)
    with pytest.raises(InvalidGrant):
        refresh(harness, refreshed.refresh_token)


def test_revocation_needs_client_authentication_and_a_token(harness: Harness) -> None:
    with pytest.raises(InvalidClient):
        harness.server.revoke(basic(CLIENT_ID, "wrong"), Params({"token": "x"}), harness.state)
    with pytest.raises(InvalidRequest, match="'token' is missing"):
        harness.server.revoke(basic(), Params(), harness.state)


# -- properties ----------------------------------------------------------------------------------------------

ATTEMPTS = st.lists(
    st.tuples(
        st.booleans(),  # right client
        st.booleans(),  # right redirect URI
        st.booleans(),  # right code verifier
        st.integers(0, 12),  # minutes that pass before the attempt
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(attempts=ATTEMPTS)
def test_a_code_is_redeemed_at_most_once_and_only_by_a_correct_first_attempt(
    world: World, attempts: list[tuple[bool, bool, bool, int]]
) -> None:
    harness = Harness(with_client(world, OTHER), world.start)
    code = harness.code(code_challenge=RFC_CHALLENGE, code_challenge_method="S256")
    successes = []
    for index, (right_client, right_redirect, right_verifier, minutes) in enumerate(attempts):
        harness.now += timedelta(minutes=minutes)
        creds = basic() if right_client else basic(OTHER.client_id, OTHER.secret)
        try:
            redeem(
                harness,
                code,
                creds,
                redirect_uri=REDIRECT_URI if right_redirect else REDIRECT_URI + "?x=1",
                code_verifier=RFC_VERIFIER if right_verifier else RFC_VERIFIER.lower(),
            )
            successes.append(index)
        except InvalidGrant:
            pass
    first_right, first_in_time = all(attempts[0][:3]), attempts[0][3] < 10
    assert successes == ([0] if first_right and first_in_time else [])
    assert harness.state.codes == {}


@settings(max_examples=60, deadline=None)
@given(moves=st.lists(st.one_of(st.integers(0, 8), st.just("revoke")), min_size=1, max_size=10))
def test_only_the_newest_refresh_token_of_a_chain_works(world: World, moves: list[int | str]) -> None:
    """Model: a chain of refresh tokens where the last is live until used or revoked, and every older one is
    dead; a move picks a token `n` steps back from the newest (clamped) and refreshes it, or revokes the newest.
    """
    harness = Harness(world, world.start)
    chain = [redeem(harness, harness.code()).refresh_token]
    live = True
    for move in moves:
        if move == "revoke":
            harness.server.revoke(basic(), Params({"token": chain[-1]}), harness.state)
            live = False
            continue
        assert isinstance(move, int)
        pick = chain[max(0, len(chain) - 1 - move)]
        expected_ok = live and pick == chain[-1]
        try:
            chain.append(refresh(harness, pick).refresh_token)
            assert expected_ok, "a dead refresh token worked"
        except InvalidGrant:
            assert not expected_ok, "the live refresh token was refused"
        assert len(set(chain)) == len(chain)
    assert set(harness.state.refresh_tokens) == ({chain[-1]} if live else set())
