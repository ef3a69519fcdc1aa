"""Reveal's token gateway: `GET /token` with HTTP Basic, and the Atmosphere header on every other call.

Tokens are HS256 JWTs signed with a key derived from the world's seed; their ids come from the seed and a counter
kept in the Reveal state section, so the same seed and request sequence give the same tokens. They live 20 minutes
of simulated time and there is no refresh token: clients ask again (reference/api-context.md).

Header forms accepted (both documented)::

    Atmosphere atmosphere_app_id=fleetmatics-p-us-<AppID>, Bearer <token>
    Atmosphere realm=http://atmosphere,atmosphere_app_id=<AppID>, Bearer <token>

The app id may be given with or without the `fleetmatics-p-us-` prefix in either form.
Not simulated: password policies, locked users, and the rate of token requests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from mockserver.memo import Memo
from mockserver.reveal.errors import Denied, InvalidToken
from mockserver.reveal.models import RevealAccount, normalise_app_id, reveal_of
from mockserver.world.models import Account

TOKEN_LIFETIME = timedelta(minutes=20)
ISSUER = "fleetmock-reveal"

_SCHEME = "atmosphere"
_BEARER = "bearer"


@dataclass(frozen=True)
class RevealPrincipal:
    """Who calls the LogBook API: a Reveal user of an account, through an app id the account allows."""

    account: str
    username: str
    app_id: str


@dataclass(frozen=True)
class AtmosphereCredentials:
    app_id: str
    token: str


def parse_atmosphere(header: str) -> AtmosphereCredentials:
    """The app id and token of an Atmosphere Authorization header; `Denied` (401) if it is not one."""
    split = split_atmosphere(header)
    if split is None:
        raise Denied()
    raw_params, token = split
    params: dict[str, str] = {}
    for part in raw_params.split(","):
        key, sep, value = part.partition("=")
        if sep:
            params[key.strip().lower()] = value.strip().strip('"')
    app_id = params.get("atmosphere_app_id", "")
    if not app_id:
        raise Denied()
    return AtmosphereCredentials(normalise_app_id(app_id), token)


def split_atmosphere(header: str) -> tuple[str, str] | None:
    """`Atmosphere <params>, Bearer <token>` as (params, token), or None; in one pass from each end.

    The grammar of `^\\s*Atmosphere\\s+(.+?)\\s*,\\s*Bearer\\s+([^\\s,]+)\\s*$` (case-insensitive), without a
    regex: that one backtracked cubically on long runs of spaces and held the event loop for seconds.
    """
    text = header.strip()
    if text[: len(_SCHEME)].casefold() != _SCHEME or not text[len(_SCHEME) : len(_SCHEME) + 1].isspace():
        return None
    rest = text[len(_SCHEME) :].lstrip()
    words = rest.rsplit(None, 1)
    if len(words) != 2 or "," in words[1]:
        return None
    before, token = words[0].rstrip(), words[1]
    if before[-len(_BEARER) :].casefold() != _BEARER:
        return None
    before = before[: -len(_BEARER)].rstrip()
    if not before.endswith(","):
        return None
    params = before[:-1]
    if not params or "\n" in params:
        return None
    return params, token


class RevealGateway:
    """Issues and checks tokens for the Reveal users of the world's accounts (looked up at each call)."""

    def __init__(self, seed: int, accounts: Callable[[], Iterable[Account]]) -> None:
        self._seed = seed
        self._accounts = accounts
        self._key = hashlib.sha256(f"fleetmock-reveal-signing-key:{seed}".encode()).digest()
        # key: a well-signed token's bytes; value: its account, user, issue and expiry times. A hit is exact: all of
        # it is fixed by the token's bytes under this gateway's key (`rekey` clears it); the instant is compared on
        # every use, not memoised.
        self._checked: Memo[str, tuple[str, str, int, int]] = Memo(4096, "verified Reveal tokens")

    def rekey(self, secret: str) -> None:
        """Sign with a key derived from `secret` instead of the seed (`fleetmock serve --secret`)."""
        self._key = hashlib.sha256(f"fleetmock-reveal-signing-key:secret:{secret}".encode()).digest()
        self._checked.clear()

    def _reveal_accounts(self) -> Iterable[tuple[str, RevealAccount]]:
        for account in self._accounts():
            reveal = reveal_of(account)
            if reveal is not None:
                yield account.name, reveal

    def login(self, username: str, password: str) -> str | None:
        """The account whose Reveal user has these credentials, or None."""
        for name, reveal in self._reveal_accounts():
            user = reveal.user(username)
            if user is not None and user.password == password:
                return name
        return None

    def issue(self, account: str, username: str, now: datetime, serial: int) -> str:
        """A token for a user who passed `login`; `serial` is the gateway's counter (held in the state)."""
        jti = hashlib.sha256(f"{self._seed}:reveal-token:{serial}".encode()).hexdigest()[:32]
        issued = int(now.timestamp())
        claims = {
            "iss": ISSUER,
            "sub": username,
            "account": account,
            "iat": issued,
            "exp": issued + int(TOKEN_LIFETIME.total_seconds()),
            "jti": jti,
        }
        return jwt.encode(claims, self._key, algorithm="HS256")

    def authenticate(self, header: str, now: datetime) -> RevealPrincipal:
        """The principal of an Atmosphere header at `now`.

        401 for a header that is not an Atmosphere header or names an app id no account allows, 400 (plain
        text) for an unknown, malformed or expired token, 401 when the token's account does not allow the app id.
        """
        return self.authenticate_window(header, now)[0]

    def authenticate_window(self, header: str, now: datetime) -> tuple[RevealPrincipal, int, int]:
        """`authenticate`, with the token's validity (issued, expires: epoch seconds): the only part of the answer
        that depends on the instant, so a caller may keep the principal and compare the instant with it."""
        credentials = parse_atmosphere(header)
        accounts = dict(self._reveal_accounts())
        if not any(reveal.allows_app(credentials.app_id) for reveal in accounts.values()):
            raise Denied()
        account, username, issued, expires = self._verify(credentials.token, now)
        reveal = accounts.get(account)
        if reveal is None or reveal.user(username) is None:
            raise InvalidToken()
        if not reveal.allows_app(credentials.app_id):
            raise Denied()
        return RevealPrincipal(account, username, credentials.app_id), issued, expires

    def _verify(self, token: str, now: datetime) -> tuple[str, str, int, int]:
        checked = self._checked.get(token)
        if checked is None:
            decoded = self._decode(token)
            if not decoded:  # what failed to verify is never remembered (anyone could fill memory with it)
                raise InvalidToken()
            checked = self._checked.put(token, decoded)
        if not checked[2] <= now.timestamp() < checked[3]:
            raise InvalidToken()
        return checked

    def _decode(self, token: str) -> tuple[str, str, int, int] | tuple[()]:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                issuer=ISSUER,
                # times are checked against the simulated clock by `_verify`, never the wall clock
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "require": ["exp", "iat", "sub", "account"],
                },
            )
        except jwt.PyJWTError:
            return ()
        issued, expires = claims.get("iat"), claims.get("exp")
        if not isinstance(issued, int) or not isinstance(expires, int):
            return ()
        return str(claims["account"]), str(claims["sub"]), issued, expires
