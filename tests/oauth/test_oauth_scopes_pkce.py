"""Scope parsing (RFC 6749 §3.3) and PKCE (RFC 7636)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from oauth_support import RFC_CHALLENGE, RFC_VERIFIER

from mockserver.oauth.errors import InvalidGrant, InvalidRequest, InvalidScope
from mockserver.oauth.pkce import PkceChallenge, s256
from mockserver.oauth.scopes import default_scopes, known_scopes, parse_scopes

WHITESPACE = st.sampled_from([" ", "  ", "\t", " \n "])
VERIFIERS = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", min_size=43, max_size=128
)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_a_missing_scope_means_tachoshare(raw: str | None) -> None:
    assert parse_scopes(raw) == default_scopes() == ("tachoshare",)


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 5), separators=st.lists(WHITESPACE, min_size=5, max_size=5))
def test_known_scopes_parse_to_one_sorted_set_whatever_the_spacing(count: int, separators: list[str]) -> None:
    raw = "".join(f"tachoshare{separators[i]}" for i in range(count))
    assert parse_scopes(raw) == ("tachoshare",)


@settings(max_examples=40, deadline=None)
@given(unknown=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=20))
def test_any_unknown_scope_is_invalid_scope(unknown: str) -> None:
    assume(unknown not in known_scopes())
    with pytest.raises(InvalidScope) as caught:
        parse_scopes(f"tachoshare {unknown}")
    assert caught.value.error == "invalid_scope"
    assert repr(unknown) in caught.value.description


def test_s256_matches_the_rfc_7636_example() -> None:
    assert s256(RFC_VERIFIER) == RFC_CHALLENGE
    PkceChallenge(RFC_CHALLENGE, "S256").verify(RFC_VERIFIER)


@settings(max_examples=40, deadline=None)
@given(verifier=VERIFIERS, other=VERIFIERS, method=st.sampled_from(["S256", "plain"]))
def test_only_the_verifier_behind_a_challenge_answers_it(verifier: str, other: str, method: str) -> None:
    challenge = PkceChallenge.from_request(s256(verifier) if method == "S256" else verifier, method)
    assert challenge is not None
    challenge.verify(verifier)
    if other != verifier:
        with pytest.raises(InvalidGrant):
            challenge.verify(other)


def test_plain_is_the_default_method() -> None:
    assert PkceChallenge.from_request(RFC_VERIFIER, None) == PkceChallenge(RFC_VERIFIER, "plain")


def test_no_challenge_means_no_pkce() -> None:
    assert PkceChallenge.from_request(None, None) is None


@pytest.mark.parametrize(
    ("challenge", "method", "words"),
    [
        (None, "S256", "without a code_challenge"),
        (RFC_CHALLENGE, "S512", "Unsupported code_challenge_method"),
        ("short", "S256", "43 to 128"),
        (RFC_CHALLENGE + "!", "plain", "43 to 128"),
    ],
)
def test_malformed_challenges_are_invalid_requests(challenge: str | None, method: str, words: str) -> None:
    with pytest.raises(InvalidRequest, match=words):
        PkceChallenge.from_request(challenge, method)


@pytest.mark.parametrize("verifier", [None, "", "short", RFC_VERIFIER.replace("d", "!")])
def test_missing_or_malformed_verifiers_are_invalid_grant(verifier: str | None) -> None:
    with pytest.raises(InvalidGrant):
        PkceChallenge(RFC_CHALLENGE, "S256").verify(verifier)
