"""The simulator: one world, one clock, one store, and the API domains built on them.

Everything the HTTP layer needs hangs off a `Simulator`; handlers reach the one serving their request through
`mockserver.runtime.current()`.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from datetime import datetime

from mockserver.clock import SimClock
from mockserver.errors import BadRequest
from mockserver.oauth.state import SECTION as OAUTH_SECTION
from mockserver.oauth.state import Grant, OAuthState
from mockserver.oauth.tokens import TokenIssuer, TokenResponse
from mockserver.principal import Principal
from mockserver.reveal.service import RevealService
from mockserver.reveal.state import SECTION as REVEAL_SECTION
from mockserver.reveal.state import RevealState
from mockserver.store import MemoryStore
from mockserver.tachoshare.service import SCOPE as TACHOSHARE_SCOPE
from mockserver.tachoshare.service import TachoShareService
from mockserver.tachoshare.state import SECTION as TACHOSHARE_SECTION
from mockserver.tachoshare.state import RdlRequests
from mockserver.world.models import Account, World

DEMO_CLIENT_ID = "demo-partner"


class Simulator:
    def __init__(self, world: World, clock: SimClock) -> None:
        self.initial_world = world
        self.world = world
        self.clock = clock
        self.tokens = TokenIssuer(world.seed)
        self.store = MemoryStore(
            {
                OAUTH_SECTION: OAuthState.from_json,
                TACHOSHARE_SECTION: RdlRequests.from_json,
                REVEAL_SECTION: RevealState.from_json,
            }
        )
        self.tachoshare = TachoShareService(self.account, clock.now, self.store)
        self.reveal = RevealService(
            world.seed, lambda: self.world.accounts, self.account, lambda: self.world.start, clock.now, self.store
        )
        self._trace_lock = threading.Lock()
        self._trace = itertools.count(1)

    # -- world -----------------------------------------------------------------------------------------------
    def account(self, name: str) -> Account | None:
        return self.world.account(name)

    @property
    def default_account(self) -> Account:
        return self.world.accounts[0]

    # -- identity ----------------------------------------------------------------------------------------------
    @property
    def oauth_state(self) -> OAuthState:
        return self.store.section(OAUTH_SECTION, OAuthState)

    def principal(self, access_token: str) -> Principal | None:
        principal = self.tokens.verify(access_token, self.clock.now())
        if principal is None or self.account(principal.account) is None:
            return None
        return principal

    def issue_token(
        self, account: str | None = None, scopes: list[str] | None = None, username: str | None = None
    ) -> TokenResponse:
        """A token for CI, as if `username` (default: the account's first user) consented to the demo client."""
        acc = self.account(account) if account is not None else self.default_account
        if acc is None:
            raise BadRequest(f"unknown account {account!r}; known: {', '.join(a.name for a in self.world.accounts)}")
        user = acc.user(username) if username is not None else acc.users[0]
        if user is None:
            raise BadRequest(f"account {acc.name!r} has no user {username!r}")
        grant = Grant(
            acc.name,
            user.username,
            DEMO_CLIENT_ID,
            tuple(scopes if scopes is not None else [TACHOSHARE_SCOPE]),
        )
        with self.store.write():
            return self.tokens.issue(self.oauth_state, grant, self.clock.now())

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def reset(self) -> datetime:
        """Back to the world as loaded: initial state, and the clock at the world's start."""
        with self.store.write():
            self.world = self.initial_world
            self.store.reset()
            self.tachoshare.forget()
            self.clock.set_anchor(self.world.start)
            with self._trace_lock:
                self._trace = itertools.count(1)
        return self.world.start

    def next_trace_id(self) -> str:
        with self._trace_lock:
            n = next(self._trace)
        return hashlib.sha256(f"{self.world.seed}:trace:{n}".encode()).hexdigest()[:16]
