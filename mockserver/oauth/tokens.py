"""Issuing and checking Webfleet access tokens (signed JWTs) and refresh tokens.

Access tokens are HS256 JWTs signed with a key derived from the world's seed, so the same seed and request
sequence give the same tokens. They carry `exp`, `scope`, `account`, `user`, `client_id` and `jti`, are checked
against the simulated clock, and cannot be revoked (as in the real service). Refresh tokens are opaque and live in
the OAuth state, so they can rotate and be revoked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from mockserver.memo import Memo
from mockserver.oauth.state import Grant, OAuthState
from mockserver.principal import Principal

ACCESS_TOKEN_LIFETIME = timedelta(hours=4)
ISSUER = "fleetmock-webfleet-auth"
AUDIENCE = "tachoshare"
SERVICES = ("TACHOSHARE",)


@dataclass(frozen=True)
class TokenResponse:
    access_token: str
    refresh_token: str
    expires_in: int
    scope: str
    jti: str
    token_type: str = "bearer"

    def to_json(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "refresh_token": self.refresh_token,
            "expires_in": self.expires_in,
            "scope": self.scope,
            "services": list(SERVICES),
            "jti": self.jti,
        }


class TokenIssuer:
    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._key = hashlib.sha256(f"fleetmock-oauth-signing-key:{seed}".encode()).digest()
        # key: a well-signed access token's bytes; value: its expiry and principal. A hit is exact: the signature
        # and the claims are fixed by the token's bytes under this issuer's key (`rekey` clears it); expiry is
        # compared with the instant on every use, not memoised.
        self._verified: Memo[str, tuple[int, Principal]] = Memo(4096, "verified access tokens")

    def rekey(self, secret: str) -> None:
        """Sign with a key derived from `secret` instead of the seed (`fleetmock serve --secret`)."""
        self._key = hashlib.sha256(f"fleetmock-oauth-signing-key:secret:{secret}".encode()).digest()
        self._verified.clear()

    def _token_id(self, state: OAuthState, kind: str) -> str:
        state.issued += 1
        return hashlib.sha256(f"{self._seed}:{kind}:{state.issued}".encode()).hexdigest()[:32]

    def issue(self, state: OAuthState, grant: Grant, now: datetime) -> TokenResponse:
        """A new access token and a new refresh token for `grant`; the caller holds the store's write lock."""
        jti = self._token_id(state, "access")
        scope = " ".join(grant.scopes)
        claims: dict[str, object] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": grant.username,
            "user": grant.username,
            "account": grant.account,
            "client_id": grant.client_id,
            "scope": scope,
            "iat": int(now.timestamp()),
            "exp": int((now + ACCESS_TOKEN_LIFETIME).timestamp()),
            "jti": jti,
        }
        access = jwt.encode(claims, self._key, algorithm="HS256")
        refresh = self._token_id(state, "refresh")
        state.refresh_tokens[refresh] = grant
        return TokenResponse(access, refresh, int(ACCESS_TOKEN_LIFETIME.total_seconds()), scope, jti)

    def verify(self, token: str, now: datetime) -> Principal | None:
        """The principal of a well-signed access token that has not expired at `now`, else None."""
        checked = self._verified.get(token)
        if checked is None:
            checked = self._decode(token)
            if checked is None:  # what failed to verify is never remembered (anyone could fill memory with it)
                return None
            self._verified.put(token, checked)
        if checked is None or checked[0] <= now.timestamp():
            return None
        return checked[1]

    def _decode(self, token: str) -> tuple[int, Principal] | None:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                # expiry is checked against the simulated clock by `verify`, never the wall clock
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "require": ["exp", "account", "user", "client_id", "jti"],
                },
            )
        except jwt.PyJWTError:
            return None
        if not isinstance(claims.get("exp"), int):
            return None
        scopes = frozenset(str(claims.get("scope", "")).split())
        principal = Principal(
            str(claims["account"]), str(claims["user"]), str(claims["client_id"]), scopes, str(claims["jti"])
        )
        return claims["exp"], principal
