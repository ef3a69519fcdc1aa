"""The route link: which API, relative path and operationId the request is for, and who calls.

The route comes from the specs (`mockserver.routes`); the caller from the API's own resolver
(`ApiPlugin.account`), remembered in a `Memo` keyed by (API, Authorization header, simulated instant, state
generation): a resolver's answer depends on nothing else (tokens expire with the simulated clock, accounts and
grants live in the state), so a hit is exactly what the resolver would answer. Only callers that verified are kept.
"""

from __future__ import annotations

from starlette.datastructures import Headers

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
        resolver = self.resolvers.get(route.api)
        if resolver is None:
            return None
        authorization = call.authorization = header(scope["headers"], b"authorization")
        sim = self.sim
        key = (route.api, authorization, sim.clock.now(), sim.store.generation)
        known = self.callers.get(key)
        if known is None:
            known = resolver(sim, Headers(scope=scope))
            if known[1] is not None:  # what failed to verify is never remembered (it would let anyone fill memory)
                self.callers.put(key, known)
        call.credential, call.account = known
        return None
