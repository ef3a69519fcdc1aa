"""The Webfleet authorization server, free of HTTP: what each endpoint decides, given parsed parameters.

Handlers (`mockserver.oauth.handlers`) parse requests into `Params` and `ClientCredentials`, hold the store's
write lock around the calls that change `OAuthState`, and format what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mockserver.oauth import codes, refresh
from mockserver.oauth.authorization import (
    ACCESS_DENIED_DESCRIPTION,
    AuthorizationRequest,
    Decision,
    SignIn,
    SignInFailed,
    sign_in,
    validate_request,
)
from mockserver.oauth.clients import ClientCredentials, authenticate_client
from mockserver.oauth.errors import AccessDenied, UnsupportedGrantType
from mockserver.oauth.grants import GRANT_TYPES, TokenContext
from mockserver.oauth.params import Params
from mockserver.oauth.state import Grant, OAuthState
from mockserver.oauth.tokens import TokenIssuer, TokenResponse
from mockserver.world.models import World


@dataclass(frozen=True)
class ConsentOutcome:
    """The consent form's result: a redirect to the client, or the form again with a message."""

    request: AuthorizationRequest
    location: str | None = None
    message: str | None = None


class AuthorizationServer:
    def __init__(self, world: World, issuer: TokenIssuer) -> None:
        self.world = world
        self.issuer = issuer

    def authorization_request(self, params: Params) -> AuthorizationRequest:
        """The request to show a consent page for; raises `OAuthError` or `RedirectToClient`."""
        return validate_request(self.world, params)

    def consent(self, params: Params, state: OAuthState, now: datetime) -> ConsentOutcome:
        """Apply the user's decision; the caller holds the store's write lock.

        The original parameters come back from the browser and are validated again like a fresh request.
        Without a decision the form is shown (again).
        """
        request = validate_request(self.world, params)
        decision = Decision.parse(params.get("decision"))
        if decision is Decision.DENY:
            denied = AccessDenied(ACCESS_DENIED_DESCRIPTION)
            return ConsentOutcome(request, location=request.error_location(denied))
        if decision is None:
            # No decision and no sign-in: a plain authorization request sent by POST (RFC 6749 §3.1 allows it).
            fresh = params.get("username") is None and params.get("password") is None
            return ConsentOutcome(request, message=None if fresh else "Choose Approve or Deny.")
        try:
            account, user = sign_in(self.world, SignIn.from_params(params))
        except SignInFailed as failure:
            return ConsentOutcome(request, message=str(failure))
        grant = Grant(account.name, user.username, request.client.client_id, request.scopes)
        code = codes.issue_code(state, self.world.seed, grant, request.redirect_uri, request.pkce, now)
        return ConsentOutcome(request, location=request.answer([("code", code)]))

    def token(self, credentials: ClientCredentials, params: Params, state: OAuthState, now: datetime) -> TokenResponse:
        """The token endpoint; the caller holds the store's write lock."""
        client = authenticate_client(self.world, credentials)
        grant_type = params.require("grant_type")
        handler = GRANT_TYPES.get(grant_type)
        if handler is None:
            raise UnsupportedGrantType(
                f"The grant type {grant_type!r} is not supported; supported: {', '.join(GRANT_TYPES)}."
            )
        return handler(TokenContext(self.world, state, self.issuer, now), client, params)

    def revoke(self, credentials: ClientCredentials, params: Params, state: OAuthState) -> None:
        """The revocation endpoint (RFC 7009); the caller holds the store's write lock."""
        client = authenticate_client(self.world, credentials)
        refresh.revoke(state, params.require("token"), client.client_id)
