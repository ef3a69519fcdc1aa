"""Refresh tokens: rotation (each one works once and is replaced by a new one) and revocation (RFC 7009).

Refresh tokens are opaque keys of the OAuth state, issued together with an access token by the `TokenIssuer`.

Not simulated: refresh token expiry (they live until used or revoked), and narrowing the scope on refresh
(the only scope is `tachoshare`, so no narrower non-empty scope exists; a `scope` beyond the grant is
refused).
"""

from __future__ import annotations

from datetime import datetime

from mockserver.oauth.errors import InvalidGrant, InvalidScope
from mockserver.oauth.scopes import parse_scopes
from mockserver.oauth.state import Grant, OAuthState
from mockserver.oauth.tokens import TokenIssuer, TokenResponse
from mockserver.world.models import World


def grant_still_valid(world: World, grant: Grant) -> bool:
    """A grant outlives neither its account nor its user (a reset or a replaced world may remove them)."""
    account = world.account(grant.account)
    return account is not None and account.user(grant.username) is not None


def rotate(
    world: World,
    state: OAuthState,
    issuer: TokenIssuer,
    refresh_token: str,
    client_id: str,
    scope: str | None,
    now: datetime,
) -> TokenResponse:
    """New tokens for a live refresh token of `client_id`, which dies; the caller holds the write lock."""
    grant = state.refresh_tokens.get(refresh_token)
    if grant is None:
        raise InvalidGrant("The refresh token is unknown, used or revoked.")
    if grant.client_id != client_id:
        raise InvalidGrant("The refresh token was issued to another client.")
    if scope is not None and not set(parse_scopes(scope)) <= set(grant.scopes):
        raise InvalidScope(f"The requested scope exceeds the granted one ({' '.join(grant.scopes)}).")
    del state.refresh_tokens[refresh_token]
    if not grant_still_valid(world, grant):
        raise InvalidGrant("The user or account that consented no longer exists.")
    return issuer.issue(state, grant, now)


def revoke(state: OAuthState, token: str, client_id: str) -> None:
    """Revoke a refresh token of `client_id`. Anything else (access tokens, unknown tokens, other clients'
    tokens) is silently left alone, as RFC 7009 §2.2 answers 200 for them."""
    grant = state.refresh_tokens.get(token)
    if grant is not None and grant.client_id == client_id:
        del state.refresh_tokens[token]
