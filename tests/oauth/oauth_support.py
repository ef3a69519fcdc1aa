"""Helpers shared by the OAuth tests: a consent in one call, and reading codes and errors out of redirects."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from mockserver.oauth.params import Params
from mockserver.oauth.server import AuthorizationServer
from mockserver.oauth.state import OAuthState
from mockserver.oauth.tokens import TokenIssuer
from mockserver.world.models import OAuthClient, World

CLIENT_ID = "demo-partner"
CLIENT_SECRET = "demo-secret"
REDIRECT_URI = "https://partner.example/callback"
# RFC 7636 appendix B.
RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def authorization_params(**overrides: str | None) -> Params:
    values: dict[str, str | None] = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": "xyz",
    }
    values.update(overrides)
    return Params({name: value for name, value in values.items() if value is not None})


def consent_params(**overrides: str | None) -> Params:
    """The consent form: the authorization parameters, the demo fleet manager's sign-in and "approve"."""
    defaults: dict[str, str | None] = {"username": "fleetmanager", "password": "demo", "decision": "approve"}
    return authorization_params(**{**defaults, **overrides})


def query_of(location: str) -> dict[str, str]:
    """The query parameters of a redirect location, each expected exactly once."""
    parsed = parse_qs(urlsplit(location).query, keep_blank_values=True)
    assert all(len(values) == 1 for values in parsed.values()), location
    return {name: values[0] for name, values in parsed.items()}


def with_client(world: World, client: OAuthClient) -> World:
    return dataclasses.replace(world, clients=(*world.clients, client))


class Harness:
    """An authorization server over a world, with its own OAuth state and a hand-moved clock."""

    def __init__(self, world: World, now: datetime) -> None:
        self.world = world
        self.issuer = TokenIssuer(world.seed)
        self.server = AuthorizationServer(world, self.issuer)
        self.state = OAuthState()
        self.now = now

    def code(self, **overrides: str | None) -> str:
        """A fresh code from an approved consent (default: the full-view demo user, the demo client)."""
        outcome = self.server.consent(consent_params(**overrides), self.state, self.now)
        assert outcome.location is not None, outcome.message
        return query_of(outcome.location)["code"]
