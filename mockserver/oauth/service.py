"""The Webfleet authorization server's domain facade on a simulator: token issue, principal lookup, the token store.

It owns the `TokenIssuer` (signing key derived from the world's seed) and the OAuth state section; handlers
(`mockserver.oauth.handlers`) and the control plane (`POST /_sim/tokens`) call one method here per request, and
this is the only OAuth module that opens `store.write()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mockserver.errors import BadRequest
from mockserver.oauth.authorization import AuthorizationRequest
from mockserver.oauth.clients import ClientCredentials
from mockserver.oauth.params import Params
from mockserver.oauth.scopes import default_scopes
from mockserver.oauth.server import AuthorizationServer, ConsentOutcome
from mockserver.oauth.state import SECTION, Grant, OAuthState
from mockserver.oauth.tokens import TokenIssuer, TokenResponse
from mockserver.principal import Principal
from mockserver.store import MemoryStore
from mockserver.world.models import Account, World

DEMO_CLIENT_ID = "demo-partner"


class OAuthService:
    def __init__(
        self,
        seed: int,
        world: Callable[[], World],
        now: Callable[[], datetime],
        store: MemoryStore,
    ) -> None:
        self._world = world
        self._now = now
        self._store = store
        self.tokens = TokenIssuer(seed)

    def rekey(self, secret: str) -> None:
        """Sign access tokens with a key derived from `secret` (`Simulator.sign_with`)."""
        self.tokens.rekey(secret)

    @property
    def state(self) -> OAuthState:
        return self._store.section(SECTION, OAuthState)

    def server(self) -> AuthorizationServer:
        """The authorization server over the world as it is now (tenants come and go)."""
        return AuthorizationServer(self._world(), self.tokens)

    def principal(self, access_token: str) -> Principal | None:
        """Who a valid, unexpired access token of a still existing account stands for."""
        principal = self.tokens.verify(access_token, self._now())
        if principal is None or self._world().account(principal.account) is None:
            return None
        return principal

    def issue_token(
        self, account: str | None = None, scopes: list[str] | None = None, username: str | None = None
    ) -> TokenResponse:
        """A token for CI, as if `username` (default: the account's first user) consented to the demo client."""
        world = self._world()
        acc: Account | None = world.account(account) if account is not None else world.accounts[0]
        if acc is None:
            raise BadRequest(f"unknown account {account!r}; known: {', '.join(a.name for a in world.accounts)}")
        user = acc.user(username) if username is not None else acc.users[0]
        if user is None:
            raise BadRequest(f"account {acc.name!r} has no user {username!r}")
        granted = tuple(scopes) if scopes is not None else default_scopes()
        grant = Grant(acc.name, user.username, DEMO_CLIENT_ID, granted)
        with self._store.write():
            return self.tokens.issue(self.state, grant, self._now())

    # -- the endpoints that change the token store (each under the store's write lock) ---------------------------
    def authorization_request(self, params: Params) -> AuthorizationRequest:
        return self.server().authorization_request(params)

    def consent(self, params: Params) -> ConsentOutcome:
        with self._store.write():
            return self.server().consent(params, self.state, self._now())

    def token(self, credentials: ClientCredentials, params: Params) -> TokenResponse:
        with self._store.write():
            return self.server().token(credentials, params, self.state, self._now())

    def revoke(self, credentials: ClientCredentials, params: Params) -> None:
        with self._store.write():
            self.server().revoke(credentials, params, self.state)
