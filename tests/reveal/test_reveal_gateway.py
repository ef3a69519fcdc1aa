"""Reveal's token gateway as a domain object: the Atmosphere header, token lifetime, app ids, determinism."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.reveal.errors import Denied, InvalidToken
from mockserver.reveal.gateway import TOKEN_LIFETIME, RevealGateway, RevealPrincipal, parse_atmosphere
from mockserver.world import World

APP_IDS = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), min_size=1)
TOKENS = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.="), min_size=1)


@settings(max_examples=40)
@given(app_id=APP_IDS, token=TOKENS, prefixed=st.booleans(), realm=st.booleans(), spaces=st.sampled_from(["", " "]))
def test_both_header_forms_carry_the_app_id_and_token(
    app_id: str, token: str, prefixed: bool, realm: bool, spaces: str
) -> None:
    given_id = f"fleetmatics-p-us-{app_id}" if prefixed else app_id
    params = (
        f"realm=http://atmosphere,{spaces}atmosphere_app_id={given_id}" if realm else f"atmosphere_app_id={given_id}"
    )
    credentials = parse_atmosphere(f"Atmosphere {params},{spaces} Bearer {token}")
    assert credentials.token == token
    assert credentials.app_id == (
        app_id[len("fleetmatics-p-us-") :] if app_id.startswith("fleetmatics-p-us-") else app_id
    )


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer abc",
        "Basic ZGVtbzpkZW1v",
        "Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID",
        "Atmosphere realm=http://atmosphere, Bearer abc",
        "Atmosphere atmosphere_app_id=, Bearer abc",
        "Atmosphere atmosphere_app_id=DEMOAPPID, Bearer",
    ],
)
def test_anything_else_is_denied(header: str) -> None:
    with pytest.raises(Denied):
        parse_atmosphere(header)


def _gateway(world: World, seed: int | None = None) -> RevealGateway:
    return RevealGateway(world.seed if seed is None else seed, lambda: world.accounts)


def _header(token: str, app_id: str = "DEMOAPPID") -> str:
    return f"Atmosphere atmosphere_app_id=fleetmatics-p-us-{app_id}, Bearer {token}"


@settings(max_examples=20, deadline=None)
@given(seconds=st.integers(0, 3 * 3600))
def test_a_token_lives_exactly_twenty_simulated_minutes(world: World, seconds: int) -> None:
    gateway = _gateway(world)
    issued = world.start
    token = gateway.issue("demo", "demo", issued, 1)
    at = issued + timedelta(seconds=seconds)
    if timedelta(seconds=seconds) < TOKEN_LIFETIME:
        assert gateway.authenticate(_header(token), at) == RevealPrincipal("demo", "demo", "DEMOAPPID")
    else:
        with pytest.raises(InvalidToken):
            gateway.authenticate(_header(token), at)


def test_a_token_from_the_future_is_not_valid_yet(world: World) -> None:
    gateway = _gateway(world)
    token = gateway.issue("demo", "demo", world.start + timedelta(minutes=5), 1)
    with pytest.raises(InvalidToken):
        gateway.authenticate(_header(token), world.start)


def test_unknown_forged_and_foreign_seed_tokens_are_invalid(world: World) -> None:
    gateway = _gateway(world)
    good = gateway.issue("demo", "demo", world.start, 1)
    forged = jwt.encode({"iss": "fleetmock-reveal", "sub": "demo", "account": "demo"}, "guess", algorithm="HS256")
    other_seed = _gateway(world, world.seed + 1).issue("demo", "demo", world.start, 1)
    for bad in ("not-a-token", good[:-2] + "xx", forged, other_seed):
        with pytest.raises(InvalidToken):
            gateway.authenticate(_header(bad), world.start)


def test_app_ids_are_checked_against_the_tokens_account(world: World) -> None:
    gateway = _gateway(world)
    demo_token = gateway.issue("demo", "demo", world.start, 1)
    acme_token = gateway.issue("acme", "acme-reveal", world.start, 2)
    assert gateway.authenticate(_header(acme_token, "ACMEAPPID"), world.start).account == "acme"
    with pytest.raises(Denied):  # a known app id, but not the token account's
        gateway.authenticate(_header(demo_token, "ACMEAPPID"), world.start)
    with pytest.raises(Denied):  # an app id no account allows, whatever the token
        gateway.authenticate(_header("garbage", "NOSUCHAPP"), world.start)
    with pytest.raises(InvalidToken):  # a known app id with a bad token
        gateway.authenticate(_header("garbage"), world.start)


def test_login_checks_user_and_password(world: World) -> None:
    gateway = _gateway(world)
    assert gateway.login("demo", "demo") == "demo"
    assert gateway.login("acme-reveal", "acme") == "acme"
    assert gateway.login("demo", "wrong") is None
    assert gateway.login("fleetmanager", "demo") is None  # a Webfleet user is not a Reveal user


def test_tokens_are_deterministic_under_the_seed(world: World) -> None:
    first = _gateway(world).issue("demo", "demo", world.start, 3)
    assert first == _gateway(world).issue("demo", "demo", world.start, 3)
    assert first != _gateway(world).issue("demo", "demo", world.start, 4)
    assert first != _gateway(world, world.seed + 1).issue("demo", "demo", world.start, 3)
