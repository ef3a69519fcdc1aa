"""The API registry: every API the simulator serves is one `ApiPlugin`, registered by its own package.

The core (app, middleware chain, simulator, CLI) iterates this registry and names no API. An API package
`mockserver/<name>/` holds a `plugin.py` whose import registers its descriptor::

    # mockserver/myapi/plugin.py
    from mockserver.apis import ApiPlugin, register
    register(ApiPlugin(name="myapi", spec="myapi.yaml", base_path="/myapi", handlers="mockserver.myapi.handlers",
                       error=described_error))

`mockserver.discovery` finds every `mockserver/*/plugin.py` on first use of `registry()`; nothing else needs
editing. `tests/architecture/test_plugin_registry.py` mounts a throwaway API this way.

How to add a plugin field: add it to `ApiPlugin` with a default that means "this API does not take part" (so
existing plugins need no edit), give it a one-line comment saying who reads it, and read it where the concern lives
(e.g. `registry().cacheable_reads()`), never by testing an API's name. Keep the hot-path lookups (`route_info`)
precomputed at `Registry` build time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockserver import discovery
from mockserver.queryparams import BindingPolicy
from mockserver.world import extensions
from mockserver.world.extensions import WorldExtension

if TYPE_CHECKING:
    from connexion.lifecycle import ConnexionRequest, ConnexionResponse
    from starlette.datastructures import Headers

    from mockserver.errors import ApiError
    from mockserver.principal import Principal
    from mockserver.store import SectionFactory
    from mockserver.world.models import Account

# The simulator (`mockserver.simulator.Simulator`), which this module cannot name: the simulator imports the registry.
Simulator = Any

# (simulator, request, error) -> the error in the API's own body shape
ErrorRenderer = Callable[["Simulator", "ConnexionRequest", "ApiError"], "ConnexionResponse"]
# (simulator, request headers) -> (the credential that identifies the caller, its account), each possibly None
AccountResolver = Callable[["Simulator", "Headers"], tuple[str | None, str | None]]
# (simulator, access token) -> who the token stands for, or None
PrincipalLookup = Callable[["Simulator", str], "Principal | None"]


@dataclass(frozen=True)
class OAuthScope:
    """A scope the authorization server grants for this API, with the sentence its consent page shows."""

    name: str
    consent: str
    default: bool = True  # granted when a client asks for no scope


@dataclass(frozen=True)
class ListState:
    """What an API answers now about each item of one of an account's world lists (`vehicles`, `drivers`, ...), for
    `GET /_sim/world/accounts/{account}/{list}?state=<api>`: a page of a large fleet with its statuses without the
    API's whole list, and a filter by status on the server."""

    statuses: Callable[[Simulator, Account], Sequence[str]]  # every item's status now, in the list's order
    answers: Callable[[Simulator, Account, Sequence[Any]], list[dict[str, Any]]]  # those items as the API answers
    values: tuple[str, ...] = ()  # every status an item can have (the console's filter offers them)


@dataclass(frozen=True)
class ApiPlugin:
    """One API: where it is mounted, how its callers and errors look, and what it adds to the simulator."""

    name: str  # the API's name in the journal, fault rules and rate limits
    spec: str  # its OpenAPI document under specs/
    base_path: str  # URL prefix ("" is the site root; the longest matching prefix serves a path)
    handlers: str  # the module whose snake_case functions serve the spec's camelCase operationIds
    error: ErrorRenderer  # every error of this mount (and faults/429s on it) in the API's own shape
    title: str = ""  # shown on the landing page and in `fleetmock serve`'s banner ("" = not listed)
    account: AccountResolver | None = None  # who calls (rate limits per token/account, journal, fault matching)
    principals: PrincipalLookup | None = None  # access tokens this API issues -> Principal (`Simulator.principal`)
    oauth_scope: OAuthScope | None = None  # the scope its bearer tokens carry (read by the OAuth plugin)
    bearer_challenge: bool = False  # answer 401/403 with RFC 6750 WWW-Authenticate headers
    strict_parameters: bool = False  # an undeclared query parameter is a 400 (with --strict: mockserver.queryparams)
    query_binding: BindingPolicy | None = None  # how the real service binds query parameter names (queryparams)
    cacheable_reads: frozenset[str] = frozenset()  # operationIds whose 200 depends only on request, instant, state
    fault_target: bool = False  # fault rules and rate limits may name it (a stand-in for a vendor API)
    state: Mapping[str, SectionFactory] = field(default_factory=dict)  # its sections of mutable state
    service: Callable[[Simulator], object] | None = None  # built once per simulator: `sim.services[name]`
    world: WorldExtension | None = None  # what it adds to each account of the world (Account.parts[key])
    # operations it serves in another API's spec: {that API's name: {operationId: "module.function"}}
    serves: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    world_summary: Callable[[Account], dict[str, Any]] | None = None  # its part of GET /_sim/world, per account
    world_state: Mapping[str, ListState] = field(default_factory=dict)  # world list name -> its items' state (control)
    tenant_summary: Callable[[Account], tuple[str, Any]] | None = None  # (key, credentials) in POST /_sim/tenants
    cli: tuple[str, ...] = ()  # modules that each define `register(subparsers)` for `fleetmock`
    banner: Callable[[Simulator, str], list[str]] | None = None  # (sim, base URL) -> its lines in serve's banner
    credentials: Callable[[Simulator], list[str]] | None = None  # (sim) -> its demo credentials in the banner
    verify_target: bool = False  # `fleetmock verify --api NAME` checks it (a reference client in contracts/)
    body_limits: Mapping[str, int] = field(default_factory=dict)  # URL prefix -> bytes a body there may exceed 1 MB to


@dataclass(frozen=True)
class RouteInfo:
    """What the request path needs per API, precomputed once (the middleware reads it on every request)."""

    plugin: ApiPlugin
    account: AccountResolver | None
    cacheable: frozenset[str]


class Registry:
    """The registered plugins, most specific mount first, with the lookups the core needs."""

    def __init__(self, plugins: Iterable[ApiPlugin]) -> None:
        ordered = sorted(plugins, key=lambda p: (-len(p.base_path), p.name))
        names = [p.name for p in ordered]
        if len(set(names)) != len(names):
            raise ValueError(f"two APIs share a name: {sorted(names)}")
        self.plugins: tuple[ApiPlugin, ...] = tuple(ordered)
        self._by_name = {p.name: p for p in ordered}
        self.routes = {p.name: RouteInfo(p, p.account, p.cacheable_reads) for p in ordered}

    def __iter__(self) -> Iterator[ApiPlugin]:
        return iter(self.plugins)

    def __getitem__(self, name: str) -> ApiPlugin:
        return self._by_name[name]

    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.plugins)

    def fault_targets(self) -> tuple[str, ...]:
        """The APIs fault rules and rate limits may name, in name order."""
        return tuple(sorted(p.name for p in self.plugins if p.fault_target))

    def verify_targets(self) -> tuple[str, ...]:
        return tuple(sorted(p.name for p in self.plugins if p.verify_target))

    def cacheable_reads(self) -> frozenset[str]:
        """Every API's cacheable reads (operationIds), together."""
        return frozenset(op for p in self.plugins for op in p.cacheable_reads)

    def rate_limit_targets(self) -> tuple[str, ...]:
        """The APIs rate limits may name: fault targets whose callers can be told apart."""
        return tuple(sorted(p.name for p in self.plugins if p.fault_target and p.account is not None))

    def mount_for(self, path: str) -> ApiPlugin:
        """The plugin serving `path`: the longest prefix that matches, else the root mount."""
        for plugin in self.plugins:
            prefix = plugin.base_path
            if not prefix or path == prefix or path.startswith(prefix + "/"):
                return plugin
        raise LookupError(f"no API is mounted at {path!r} and none at the root")

    def body_limits(self) -> dict[str, int]:
        """Every plugin's larger body allowances by URL prefix (read by the guard)."""
        return {prefix: size for p in self for prefix, size in p.body_limits.items()}

    def state_sections(self) -> dict[str, SectionFactory]:
        sections: dict[str, SectionFactory] = {}
        for plugin in self.plugins:
            for name, factory in plugin.state.items():
                if name in sections:
                    raise ValueError(f"state section {name!r} is registered twice")
                sections[name] = factory
        return sections

    def operations_served_for(self, name: str) -> dict[str, str]:
        """operationId -> "module.function" that other packages serve in API `name`'s spec."""
        return {op: target for p in self.plugins for op, target in p.serves.get(name, {}).items()}

    def world_states(self, name: str) -> dict[str, ListState]:
        """API name -> what it answers about the items of the world list `name` (`ApiPlugin.world_state`)."""
        return {p.name: p.world_state[name] for p in self.plugins if name in p.world_state}

    def oauth_scopes(self) -> tuple[OAuthScope, ...]:
        return tuple(p.oauth_scope for p in self.plugins if p.oauth_scope is not None)


_plugins: dict[str, ApiPlugin] = {}
_lock = threading.Lock()
_cached: Registry | None = None


def register(plugin: ApiPlugin) -> ApiPlugin:
    """Add an API (its package's `plugin.py` calls this once); its world extension is registered with it."""
    global _cached
    with _lock:
        if plugin.name in _plugins:
            raise ValueError(f"an API named {plugin.name!r} is registered already")
        _plugins[plugin.name] = plugin
        if plugin.world is not None:
            extensions.register(plugin.world)
        _cached = None
    return plugin


def unregister(name: str) -> None:
    """Remove an API (tests mount throwaway APIs and take them away again)."""
    global _cached
    with _lock:
        plugin = _plugins.pop(name, None)
        if plugin is not None and plugin.world is not None:
            extensions.unregister(plugin.world.key)
        _cached = None


def registry() -> Registry:
    """Every registered API (the API packages are discovered on the first call)."""
    global _cached
    discovery.discover()
    current = _cached
    if current is None:
        with _lock:
            current = _cached = Registry(_plugins.values())
    return current


def one_of(value: str, allowed: Iterable[str]) -> str:
    """`value` if it is one of `allowed`, else a pydantic error worded like a `Literal`'s (for rule validators)."""
    from pydantic_core import PydanticCustomError

    choices = list(allowed)
    if value in choices:
        return value
    quoted = [repr(c) for c in choices]
    expected = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
