"""The simulator: one world, one clock, one store, and the services of every registered API on them.

Everything the HTTP layer needs hangs off a `Simulator`; handlers reach the one serving their request through
`mockserver.runtime.current()`, and an API's service through `sim.services[name]` (or `sim.<name>`). The state
sections, services and principal lookups come from the registry (`mockserver.apis`); this module names no API.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from mockserver.apis import registry
from mockserver.clock import SimClock
from mockserver.errors import BadRequest, Conflict, NotFound
from mockserver.faults import FaultBook
from mockserver.faults.book import SECTION as FAULTS_SECTION
from mockserver.journal import Journal
from mockserver.memo import Memo
from mockserver.principal import Principal
from mockserver.ratelimit import SECTION as RATELIMITS_SECTION
from mockserver.ratelimit import RateLimiter, RateLimits
from mockserver.store import MemoryStore, SectionFactory
from mockserver.tenants import NAME as TENANT_NAME
from mockserver.tenants import SECTION as TENANTS_SECTION
from mockserver.tenants import Tenants, client_secret, default_seed
from mockserver.world.build import build_tenant_account
from mockserver.world.models import Account, OAuthClient, World
from mockserver.world.patches import SECTION as PATCHES_SECTION
from mockserver.world.patches import WorldPatches, patch_world

# The core's own sections of mutable state; the APIs add theirs (`ApiPlugin.state`).
CORE_SECTIONS: dict[str, SectionFactory] = {
    FAULTS_SECTION: FaultBook.from_json,
    RATELIMITS_SECTION: RateLimits.from_json,
    TENANTS_SECTION: Tenants.from_json,
    PATCHES_SECTION: WorldPatches.from_json,
}


def state_sections() -> dict[str, SectionFactory]:
    """Every section of mutable state, by name: what snapshots, `--state` files and resets cover."""
    return {**registry().state_sections(), **CORE_SECTIONS}


class Simulator:
    def __init__(self, world: World, clock: SimClock, store: MemoryStore | None = None) -> None:
        self.initial_world = world
        self.world = world
        self.clock = clock
        self.initial_rate = clock.rate
        self._tenant_accounts: dict[tuple[str, int], Account] = {}
        self._secret: str | None = None  # `sign_with`'s: tenant client secrets derive from it, else from the seed
        self.store = store if store is not None else MemoryStore(state_sections())
        if hasattr(self.store, "on_reload"):  # a store shared with other processes (SQLite, PostgreSQL)
            self.store.on_reload = self._state_changed_elsewhere
        self.journal = Journal()
        self.rate_limiter = RateLimiter()
        apis = registry()
        self._principals = [p.principals for p in apis if p.principals is not None]
        # each API's domain service, by API name (`ApiPlugin.service`)
        self.services: dict[str, Any] = {p.name: p.service(self) for p in apis if p.service is not None}
        for name, service in self.services.items():  # `sim.<api>` found at once, not through `__getattr__`'s miss
            if not hasattr(type(self), name) and name not in self.__dict__:
                self.__dict__[name] = service
        self._trace_lock = threading.Lock()
        self._trace = itertools.count(1)
        # (token, simulated instant, state generation) -> the principal: a lookup depends on nothing else (expiry
        # is against the instant; grants, tenants and keys live in the state, or `sign_with` clears this), so a
        # hit is what the lookups would answer. The route link and the security check both ask, once each per
        # request (issue 13). Only tokens that verified are kept (anyone could fill memory with the others).
        self._principal_memo: Memo[tuple[str, datetime, int], Principal] = Memo(1024, "principals")
        self._account_index: tuple[World | None, dict[str, Account]] = (None, {})

    def __getattr__(self, name: str) -> Any:
        """`sim.<api>` is that API's service (`sim.services[<api>]`)."""
        services = self.__dict__.get("services")
        if services is not None and name in services:
            return services[name]
        raise AttributeError(f"{type(self).__name__!s} has no attribute or API service {name!r}")

    # -- world -----------------------------------------------------------------------------------------------
    def account(self, name: str) -> Account | None:
        """`world.account(name)` by a dict made once per world (the world's lookup walks every account)."""
        world, index = self._account_index
        if world is not self.world:
            world, index = self.world, {}
            for account in world.accounts:
                index.setdefault(account.name, account)  # the first of a name, as `World.account` finds it
            self._account_index = (world, index)
        return index.get(name)

    @property
    def default_account(self) -> Account:
        return self.world.accounts[0]

    # -- control plane state -------------------------------------------------------------------------------------
    @property
    def faults(self) -> FaultBook:
        return self.store.section(FAULTS_SECTION, FaultBook)

    @property
    def rate_limits(self) -> RateLimits:
        return self.store.section(RATELIMITS_SECTION, RateLimits)

    # -- identity ----------------------------------------------------------------------------------------------
    def principal(self, access_token: str) -> Principal | None:
        """Who an access token stands for, asked of every API that issues tokens (`ApiPlugin.principals`)."""
        key = (access_token, self.clock.now(), self.store.generation)
        known = self._principal_memo.get(key)
        if known is not None:
            return known
        for lookup in self._principals:
            principal = lookup(self, access_token)
            if principal is not None:
                return self._principal_memo.put(key, principal)
        return None

    def sign_with(self, secret: str) -> None:
        """Sign every token, and derive tenants' OAuth client secrets, from `secret`, not from the printed seed
        (`fleetmock serve`)."""
        for service in self.services.values():
            rekey = getattr(service, "rekey", None)  # the services that sign tokens
            if rekey is not None:
                rekey(secret)
        self._principal_memo.clear()
        with self.store.write():
            self._secret = secret
            self.rebuild_world()  # the tenants already in the state get their clients from the secret

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def reset(self) -> datetime:
        """Back to the world as loaded: initial state, the clock at the world's start and its initial rate."""
        with self.store.write():
            self.store.reset()
            self.rebuild_world()  # no tenants, no patches: the world as loaded, derived caches dropped
            self.journal.clear()
            self.rate_limiter.reset()
            self.clock.set_anchor(self.world.start)
            self.clock.set(rate=self.initial_rate)
            with self._trace_lock:
                self._trace = itertools.count(1)
        return self.world.start

    @classmethod
    def persistent(cls, world: World, store: MemoryStore, rate: float) -> Simulator:
        """A simulator whose state and clock live in a SQLite or PostgreSQL store (its clock wins over `rate`)."""
        clock = SimClock(world.start, rate=rate, wall=time.time, shared=store)  # type: ignore[arg-type]
        sim = cls(world, clock, store)
        with store.write():
            sim.rebuild_world()
        return sim

    def _state_changed_elsewhere(self) -> None:
        self.rebuild_world()  # also drops the timelines derived from the old state

    def after_restore(self) -> None:
        """Rebuild the tenants and drop what was derived from the replaced state (the caller holds the lock)."""
        self.rebuild_world()
        self.rate_limiter.reset()

    # -- tenants ---------------------------------------------------------------------------------------------------
    @property
    def tenants(self) -> Tenants:
        return self.store.section(TENANTS_SECTION, Tenants)

    def _tenant_client(self, name: str) -> OAuthClient:
        return OAuthClient(f"{name}-client", client_secret(self.world.seed, name, self._secret), f"Tenant {name}")

    @property
    def world_patches(self) -> WorldPatches:
        return self.store.section(PATCHES_SECTION, WorldPatches)

    def rebuild_world(self) -> None:
        """The world file's accounts, the tenants, then the scenarios' patches (the caller holds the lock)."""
        base = self.initial_world
        template = base.tenant_template
        accounts = list(base.accounts)
        clients = list(base.clients)
        for name, seed in self.tenants.seeds.items():
            if template is None:
                raise BadRequest("this world has no account to make tenants from")
            key = (name, seed)
            if key not in self._tenant_accounts:  # building an account costs milliseconds: keep them
                self._tenant_accounts[key] = build_tenant_account(template, name, seed, base.start)
            accounts.append(self._tenant_accounts[key])
            clients.append(self._tenant_client(name))
        world = replace(base, accounts=tuple(accounts), clients=tuple(clients))
        self.world = patch_world(world, self.world_patches.patches)
        self._forget()

    def _forget(self, account: str | None = None) -> None:
        """Tell every service that keeps read models that the world's facts changed (all, or one account's)."""
        for service in self.services.values():
            forget = getattr(service, "forget", None)
            if forget is not None:
                forget(account)

    def create_tenant(self, name: str, seed: int | None = None) -> tuple[Account, OAuthClient, int]:
        if not TENANT_NAME.match(name):
            raise BadRequest(f"name: {name!r} must be 1-63 lowercase letters, digits or dashes")
        with self.store.write():
            if self.account(name) is not None:
                raise Conflict(f"name: an account {name!r} already exists")
            chosen = default_seed(self.world.seed, name) if seed is None else seed
            self.tenants.seeds[name] = chosen
            try:
                self.rebuild_world()
            except Exception:
                del self.tenants.seeds[name]
                raise
            account = self.account(name)
            assert account is not None
            return account, self._tenant_client(name), chosen

    def delete_tenant(self, name: str) -> None:
        with self.store.write():
            if name not in self.tenants.seeds:
                raise NotFound(f"no tenant {name!r} (world accounts cannot be deleted)")
            del self.tenants.seeds[name]
            self.rebuild_world()
            self._forget(name)

    def begin_request(self) -> str:
        """Catch up with a shared store (may raise `StateUnavailable`); the request's trace id."""
        return self.next_trace_id(self.store.begin_request())

    def next_trace_id(self, number: int | None = None) -> str:
        with self._trace_lock:
            n = next(self._trace) if number is None else number
        return hashlib.sha256(f"{self.world.seed}:trace:{n}".encode()).hexdigest()[:16]
