"""The route link: which API, relative path and operationId the request is for, and who calls.

The route comes from the specs (`mockserver.routes`); the caller from the API's own resolver
(`ApiPlugin.account`), remembered in a `Memo` keyed by (API, Authorization header, simulated instant, state
generation): a resolver's answer depends on nothing else (tokens expire with the simulated clock, accounts and
grants live in the state), so a hit is exactly what the resolver would answer. Only callers that verified are kept.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Scope

from mockserver.chain.base import Answer, Call, Setup
from mockserver.memo import Memo

CALLERS = 1024


def header(scope_headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The first value of a (lower-case) header, without building a `Headers` object."""
    for key, value in scope_headers:
        if key == name:
            return value.decode("latin-1")
    return None


class RouteLink:
    def __init__(self, setup: Setup) -> None:
        self.sim = setup.sim
        self.routes = setup.routes
        self.resolvers = {name: info.account for name, info in setup.apis.routes.items() if info.account is not None}
        self.callers: Memo[tuple[str, str | None, object, int], tuple[str | None, str | None]] = Memo(
            CALLERS, "callers"
        )

    def enter(self, call: Call) -> Answer | None:
        scope = call.scope
        route = call.route = self.routes.resolve(scope["method"], scope["path"])
        if route.api not in self.resolvers:
            return None
        authorization = call.authorization = header(scope["headers"], b"authorization")
        call.credential, call.account = self.caller(route.api, authorization, scope)
        return None

    def caller(self, api: str, authorization: str | None, scope: Scope) -> tuple[str | None, str | None]:
        """(credential, account) of the request, by the API's resolver or from memory."""
        resolver = self.resolvers.get(api)
        if resolver is None:
            return None, None
        sim = self.sim
        key = (api, authorization, sim.clock.now(), sim.store.generation)
        known = self.callers.get(key)
        if known is None:
            known = resolver(sim, Headers(scope=scope))
            if known[1] is not None:  # what failed to verify is never remembered (it would let anyone fill memory)
                self.callers.put(key, known)
        return known
