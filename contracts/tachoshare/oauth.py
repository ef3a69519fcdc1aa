"""Webfleet OAuth2 (Authorization Code Grant) for TachoShare: consent URL, code exchange, rotating refresh.

The partner's back end sends the customer's browser to `authorization_url(...)`, receives `?code=...&state=...`
on its redirect URI, and calls `exchange_code`. From then on `access_token()` hands out the stored access token,
refreshing it shortly before it expires, and `refresh()` is what the API client calls after a 401.

Refresh tokens rotate: each refresh answers a new one and the old one stops working. Refreshes are therefore
serialised (a lock), a caller whose stale token was already replaced by another thread gets the new one without a
second exchange, the new tokens are saved before they are returned, and the exchange itself is never repeated
blindly after a dropped connection (see `retry.py`). A dead refresh token (`invalid_grant`) raises
`NotAuthorized`: the customer has to consent again.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

import requests

from contracts.common.clock import Clock, system_clock
from contracts.common.retry import Retrier
from contracts.tachoshare.errors import NotAuthorized, OAuthError
from contracts.tachoshare.token_storage import TokenSet, TokenStorage

DEFAULT_SCOPE = "tachoshare"
REFRESH_MARGIN = timedelta(minutes=2)
TIMEOUT_SECONDS = 30.0


class AccessTokenSource(Protocol):
    """What the API client needs: the current access token, and a new one after a 401 (None if impossible)."""

    def access_token(self) -> str: ...

    def refresh(self, stale: str | None = None) -> str | None: ...


@dataclass(frozen=True)
class StaticToken:
    """A fixed access token (for example one from the simulator's `POST /_sim/tokens`); it cannot be refreshed."""

    token: str

    def access_token(self) -> str:
        return self.token

    def refresh(self, stale: str | None = None) -> str | None:
        return None


@dataclass(frozen=True)
class OAuthSettings:
    """The authorization server and the partner's registered client.

    `base_url` ends with `/uaa/oauth`: the simulator's is `http://127.0.0.1:8080/webfleet-auth/uaa/oauth`.
    """

    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scope: str = DEFAULT_SCOPE

    @property
    def authorize_endpoint(self) -> str:
        return f"{self.base_url.rstrip('/')}/authorize"

    @property
    def token_endpoint(self) -> str:
        return f"{self.base_url.rstrip('/')}/token"

    @property
    def revoke_endpoint(self) -> str:
        return f"{self.base_url.rstrip('/')}/revoke"


@dataclass(frozen=True)
class Pkce:
    """A PKCE (RFC 7636) verifier and its S256 challenge."""

    verifier: str
    challenge: str

    @classmethod
    def generate(cls) -> Pkce:
        verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


def new_state() -> str:
    """An unguessable `state` value; compare it with the one on the redirect (CSRF protection)."""
    return secrets.token_urlsafe(24)


@dataclass
class WebfleetOAuth:
    """The OAuth side of a TachoShare integration: one customer's consent, its tokens in `storage`."""

    settings: OAuthSettings
    storage: TokenStorage
    session: requests.Session = field(default_factory=requests.Session)
    clock: Clock = system_clock
    retrier: Retrier = field(default_factory=Retrier)
    refresh_margin: timedelta = REFRESH_MARGIN
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    def authorization_url(self, state: str, pkce: Pkce | None = None) -> str:
        """Where to send the customer's browser to ask for consent."""
        query = {
            "response_type": "code",
            "client_id": self.settings.client_id,
            "redirect_uri": self.settings.redirect_uri,
            "scope": self.settings.scope,
            "state": state,
        }
        if pkce is not None:
            query.update(code_challenge=pkce.challenge, code_challenge_method="S256")
        return f"{self.settings.authorize_endpoint}?{urlencode(query)}"

    def exchange_code(self, code: str, pkce: Pkce | None = None) -> TokenSet:
        """Redeem the code from the redirect; the tokens are stored and returned."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.settings.redirect_uri}
        if pkce is not None:
            form["code_verifier"] = pkce.verifier
        with self._lock:
            tokens = self._token_request(form, previous=None)
            self.storage.save(tokens)
            return tokens

    def access_token(self) -> str:
        """The stored access token, refreshed first when it expires within `refresh_margin`."""
        with self._lock:
            tokens = self._stored()
            if tokens.expires_within(self.clock(), self.refresh_margin) and tokens.refresh_token:
                tokens = self._rotate(tokens)
            return tokens.access_token

    def refresh(self, stale: str | None = None) -> str | None:
        """A new access token. With `stale`, the token a request was refused with: if another caller has
        already replaced it, that replacement is returned without another exchange."""
        with self._lock:
            tokens = self._stored()
            if stale is not None and tokens.access_token != stale:
                return tokens.access_token
            if not tokens.refresh_token:
                return None
            return self._rotate(tokens).access_token

    def revoke(self) -> None:
        """Revoke the refresh token at the server (RFC 7009) and forget the tokens."""
        with self._lock:
            tokens = self.storage.load()
            if tokens is not None and tokens.refresh_token:
                response = self._post(self.settings.revoke_endpoint, {"token": tokens.refresh_token})
                if response.status_code != 200:
                    raise _oauth_error(response)
            self.storage.clear()

    def _stored(self) -> TokenSet:
        tokens = self.storage.load()
        if tokens is None:
            raise NotAuthorized("no tokens stored: send the customer to authorization_url() first")
        return tokens

    def _rotate(self, tokens: TokenSet) -> TokenSet:
        assert tokens.refresh_token is not None
        form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
        try:
            fresh = self._token_request(form, previous=tokens)
        except OAuthError as error:
            if error.error == "invalid_grant":
                raise NotAuthorized(f"the refresh token was refused ({error.error_description})") from error
            raise
        self.storage.save(fresh)
        return fresh

    def _token_request(self, form: dict[str, str], previous: TokenSet | None) -> TokenSet:
        response = self._post(self.settings.token_endpoint, form)
        if response.status_code != 200:
            raise _oauth_error(response)
        body: dict[str, Any] = response.json()
        expires_in = body.get("expires_in")
        return TokenSet(
            access_token=str(body["access_token"]),
            # a server that does not rotate may leave the refresh token out: keep the one we have
            refresh_token=body.get("refresh_token") or (previous.refresh_token if previous else None),
            token_type=str(body.get("token_type", "bearer")),
            expires_at=self.clock() + timedelta(seconds=float(expires_in)) if expires_in is not None else None,
            scope=body.get("scope"),
        )

    def _post(self, url: str, form: dict[str, str]) -> requests.Response:
        auth = (self.settings.client_id, self.settings.client_secret)
        return self.retrier.call(
            "POST",
            lambda: self.session.post(
                url, data=form, auth=auth, headers={"Accept": "application/json"}, timeout=TIMEOUT_SECONDS
            ),
        )


def _oauth_error(response: requests.Response) -> OAuthError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    return OAuthError(response.status_code, str(body.get("error", "unknown_error")), body.get("error_description"))
