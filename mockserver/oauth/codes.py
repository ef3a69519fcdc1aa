"""Authorization codes: issued on consent, bound to their grant, redirect URI, PKCE challenge and expiry, and
redeemable at most once.

Codes live 10 minutes of simulated time. Any redemption attempt consumes the code, whether it succeeds or not
(as Spring's UAA, which Webfleet's `/uaa/oauth` paths come from, does): a code that leaked into a failed
attempt can never be used afterwards. Codes derive from the world's seed and a counter, so runs repeat.

Not simulated: revoking the tokens already issued from a code that is presented a second time (an RFC 6749
§4.1.2 SHOULD); the second attempt is refused, the first tokens stay valid.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from mockserver.clock import format_instant, parse_instant
from mockserver.oauth.errors import InvalidGrant
from mockserver.oauth.pkce import PkceChallenge
from mockserver.oauth.state import Grant, OAuthState, PendingCode
from mockserver.world.models import OAuthClient

CODE_LIFETIME = timedelta(minutes=10)


def _new_code(state: OAuthState, seed: int) -> str:
    state.issued += 1
    return hashlib.sha256(f"fleetmock-authorization-code:{seed}:{state.issued}".encode()).hexdigest()[:32]


def _expired(code: PendingCode, now: datetime) -> bool:
    return now >= parse_instant(code.expires_at)


def issue_code(
    state: OAuthState,
    seed: int,
    grant: Grant,
    redirect_uri: str,
    pkce: PkceChallenge | None,
    now: datetime,
) -> str:
    """A new code for `grant`, answered to `redirect_uri`; the caller holds the store's write lock.

    Expired codes are dropped on the way, so the state does not grow with abandoned consents.
    """
    for stale in [key for key, pending in state.codes.items() if _expired(pending, now)]:
        del state.codes[stale]
    code = _new_code(state, seed)
    state.codes[code] = PendingCode(
        grant=grant,
        redirect_uri=redirect_uri,
        expires_at=format_instant(now + CODE_LIFETIME),
        code_challenge=pkce.challenge if pkce else None,
        code_challenge_method=pkce.method if pkce else None,
    )
    return code


def redeem_code(
    state: OAuthState,
    code: str,
    client: OAuthClient,
    redirect_uri: str | None,
    code_verifier: str | None,
    now: datetime,
) -> Grant:
    """The grant behind `code`, consumed; `invalid_grant` for an unknown, used, expired, foreign or unproven
    code.

    RFC 6749 §4.1.3: the token request repeats the `redirect_uri` the code was answered to. It may leave it out
    only when the client has exactly one registered URI (the one case where the authorization request could).
    """
    pending = state.codes.pop(code, None)
    if pending is None:
        raise InvalidGrant("The authorization code is unknown or already used.")
    if _expired(pending, now):
        raise InvalidGrant("The authorization code has expired (codes live 10 minutes).")
    if pending.grant.client_id != client.client_id:
        raise InvalidGrant("The authorization code was issued to another client.")
    if redirect_uri is None and client.redirect_uris != (pending.redirect_uri,):
        raise InvalidGrant("The redirect_uri of the authorization request must be repeated.")
    if redirect_uri is not None and redirect_uri != pending.redirect_uri:
        raise InvalidGrant("The redirect_uri does not match the one of the authorization request.")
    if pending.code_challenge is not None:
        PkceChallenge(pending.code_challenge, pending.code_challenge_method or "plain").verify(code_verifier)
    elif code_verifier is not None:
        raise InvalidGrant("A code_verifier was sent, but the authorization request had no code_challenge.")
    return pending.grant
