"""The authorization endpoint's rules (RFC 6749 §4.1.1, §4.1.2): validating a request, signing the user in,
and the redirect that answers the client after consent or refusal.

Errors come in two kinds. While the client or its redirect URI is in doubt, nothing may be redirected
(§4.1.2.1): those are plain `OAuthError`s, shown to the user. Once both are established, every other error
goes back to the client through its redirect URI: `RedirectToClient` carries that location.
"""

from __future__ import annotations

import enum
import hmac
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from mockserver.oauth.clients import resolve_redirect_uri
from mockserver.oauth.errors import InvalidRequest, OAuthError, UnsupportedResponseType
from mockserver.oauth.params import Params
from mockserver.oauth.pkce import PkceChallenge
from mockserver.oauth.scopes import parse_scopes
from mockserver.world.models import Account, OAuthClient, User, World

RESPONSE_TYPE_CODE = "code"

# The parameters of an authorization request, in the order the consent form carries them along.
REQUEST_PARAMETERS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def with_query(uri: str, params: list[tuple[str, str]]) -> str:
    """`uri` with `params` appended to its query, keeping the query it already has (RFC 6749 §3.1.2)."""
    parts = urlsplit(uri)
    extra = urlencode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


class RedirectToClient(Exception):
    """An authorization error the client learns through its redirect URI (`location` already carries it)."""

    def __init__(self, error: OAuthError, location: str) -> None:
        super().__init__(error.description)
        self.error = error
        self.location = location


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated authorization request: safe to show a consent page for and to redirect to."""

    client: OAuthClient
    redirect_uri: str  # where the answer goes
    redirect_uri_param: str | None  # as the client sent it; the token request must repeat it
    scopes: tuple[str, ...]
    state: str | None
    pkce: PkceChallenge | None

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The parameters the consent form sends back with the decision (validated again on arrival)."""
        values = {
            "response_type": RESPONSE_TYPE_CODE,
            "client_id": self.client.client_id,
            "redirect_uri": self.redirect_uri_param,
            "scope": " ".join(self.scopes),
            "state": self.state,
            "code_challenge": self.pkce.challenge if self.pkce else None,
            "code_challenge_method": self.pkce.method if self.pkce else None,
        }
        return [(name, value) for name in REQUEST_PARAMETERS if (value := values[name]) is not None]

    def answer(self, params: list[tuple[str, str]]) -> str:
        """The redirect location answering the client with `params` and its `state`."""
        state = [("state", self.state)] if self.state is not None else []
        return with_query(self.redirect_uri, [*params, *state])

    def error_location(self, error: OAuthError) -> str:
        return self.answer([("error", error.error), ("error_description", error.description)])


def validate_request(world: World, params: Params) -> AuthorizationRequest:
    """The request behind `params`: `OAuthError` while the client or redirect URI is in doubt, then
    `RedirectToClient` for anything else that is wrong."""
    client_id = params.get("client_id")
    if client_id is None:
        raise InvalidRequest("The client_id parameter is missing.")
    client = world.client(client_id)
    if client is None:
        raise InvalidRequest(f"Unknown client {client_id!r}.")
    redirect_uri_param = params.get("redirect_uri")
    redirect_uri = resolve_redirect_uri(client, redirect_uri_param)
    state = params.get("state")
    partial = AuthorizationRequest(client, redirect_uri, redirect_uri_param, (), state, None)
    try:
        response_type = params.get("response_type")
        if response_type is None:
            raise InvalidRequest("The response_type parameter is missing.")
        if response_type != RESPONSE_TYPE_CODE:
            raise UnsupportedResponseType(f"Unsupported response_type {response_type!r}; only 'code' is.")
        scopes = parse_scopes(params.get("scope"))
        pkce = PkceChallenge.from_request(params.get("code_challenge"), params.get("code_challenge_method"))
    except OAuthError as error:
        raise RedirectToClient(error, partial.error_location(error)) from error
    return AuthorizationRequest(client, redirect_uri, redirect_uri_param, scopes, state, pkce)


class Decision(enum.Enum):
    APPROVE = "approve"
    DENY = "deny"

    @classmethod
    def parse(cls, raw: str | None) -> Decision | None:
        return next((d for d in cls if d.value == raw), None)


class SignInFailed(Exception):
    """Bad Webfleet credentials: the consent form is shown again with this message (nothing is redirected)."""


@dataclass(frozen=True)
class SignIn:
    """A Webfleet sign-in; `account` may be left out when the username exists in one account only."""

    account: str | None
    username: str | None
    password: str | None

    @classmethod
    def from_params(cls, params: Params) -> SignIn:
        return cls(params.get("account"), params.get("username"), params.get("password"))


_BAD_CREDENTIALS = "The account, username or password is not correct."


def sign_in(world: World, attempt: SignIn) -> tuple[Account, User]:
    """The account and user `attempt` proves, or `SignInFailed` (one message for every cause)."""
    if not attempt.username or not attempt.password:
        raise SignInFailed("Enter your username and password.")
    accounts = [world.account(attempt.account)] if attempt.account else list(world.accounts)
    matches = [(a, u) for a in accounts if a is not None and (u := a.user(attempt.username)) is not None]
    if len(matches) > 1:
        raise SignInFailed("This username exists in several accounts: enter your account name too.")
    if not matches:
        raise SignInFailed(_BAD_CREDENTIALS)
    account, user = matches[0]
    if not hmac.compare_digest(user.password.encode(), attempt.password.encode()):
        raise SignInFailed(_BAD_CREDENTIALS)
    return account, user


ACCESS_DENIED_DESCRIPTION = "The user denied access to the application."
