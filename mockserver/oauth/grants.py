"""The token endpoint's grant types (RFC 6749 §4.1.3, §6), registered by name in `GRANT_TYPES`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mockserver.oauth import codes, refresh
from mockserver.oauth.errors import InvalidGrant
from mockserver.oauth.params import Params
from mockserver.oauth.state import OAuthState
from mockserver.oauth.tokens import TokenIssuer, TokenResponse
from mockserver.world.models import OAuthClient, World


@dataclass(frozen=True)
class TokenContext:
    """What a grant type works with; the caller holds the store's write lock for `state`."""

    world: World
    state: OAuthState
    issuer: TokenIssuer
    now: datetime


GrantType = Callable[[TokenContext, OAuthClient, Params], TokenResponse]


def authorization_code(ctx: TokenContext, client: OAuthClient, params: Params) -> TokenResponse:
    grant = codes.redeem_code(
        ctx.state,
        params.require("code"),
        client,
        params.get("redirect_uri"),
        params.get("code_verifier"),
        ctx.now,
    )
    if not refresh.grant_still_valid(ctx.world, grant):
        raise InvalidGrant("The user or account that consented no longer exists.")
    return ctx.issuer.issue(ctx.state, grant, ctx.now)


def refresh_token(ctx: TokenContext, client: OAuthClient, params: Params) -> TokenResponse:
    return refresh.rotate(
        ctx.world,
        ctx.state,
        ctx.issuer,
        params.require("refresh_token"),
        client.client_id,
        params.get("scope"),
        ctx.now,
    )


GRANT_TYPES: dict[str, GrantType] = {
    "authorization_code": authorization_code,
    "refresh_token": refresh_token,
}
