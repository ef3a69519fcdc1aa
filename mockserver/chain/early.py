"""A read the read cache holds, answered as soon as its headers are parsed (issue 13): by the server's protocol
(`mockserver.serving`), before uvicorn makes the request's task, its ASGI messages and the chain's `Call`.

What the chain does for such a request, done here in the chain's own order and with the links' own code: the
route and the caller (`RouteLink.caller`: the same memo and resolver), the read cache's key and answer
(`ReadCache.key`), the fault rules (`Faults.matches`), the rate limit (the same `RateLimiter.check`, which takes
the caller's token), the trace id (`Simulator.begin_request`) and the journal entry (`JournalLink.add`, made
before the answer's bytes leave, as the chain makes it). Everything that may send the request on to the chain is
decided before anything is counted: a key the cache does not hold, a fault rule that matches (its effect and
counters are the chain's), a rate limit that refuses (the chain then answers the 429; a refusal takes no token),
a read with a query string or a body. So a request is either answered here with every concern applied, or left
untouched for the chain, which answers it as before.

Only for the default chain (`DEFAULT_CHAIN`, in its order) on a simulator whose state, journal and rate-limit
buckets live in this process: a custom chain may add concerns this module does not know, and a shared store
numbers its trace ids and journal in the database (`create_app`'s strict mode has no read cache, hence nothing
here).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.types import Scope

from mockserver.chain.base import Chain
from mockserver.chain.bind import Bind
from mockserver.chain.exchange import Exchange
from mockserver.chain.faults import Faults
from mockserver.chain.journal import UNJOURNALED, JournalLink
from mockserver.chain.ratelimit import RateLimit
from mockserver.chain.readcache import Kept, ReadCache
from mockserver.chain.route import RouteLink, header
from mockserver.journal import BODY_LIMIT, shown_body
from mockserver.store import MemoryStore

ORDER = (Bind, RouteLink, JournalLink, RateLimit, Faults, ReadCache, Exchange)  # the default chain's link types


class EarlyAnswers:
    """`answer(scope)`: the kept answer of a GET the read cache holds, with the chain's concerns applied, or None
    (nothing done: the request goes through the chain)."""

    def __init__(self, chain: Chain, route: RouteLink, journal: JournalLink, cache: ReadCache, faults: Faults) -> None:
        self.sim = chain.sim
        self.routes = route.routes
        self.route = route
        self.journal = journal
        self.cache = cache
        self.faults = faults

    @classmethod
    def of(cls, chain: Chain) -> EarlyAnswers | None:
        links = chain.links
        if tuple(type(link) for link in links) != ORDER:
            return None
        _, route, journal, _, faults, cache, _ = links
        assert isinstance(route, RouteLink) and isinstance(journal, JournalLink)
        assert isinstance(cache, ReadCache) and isinstance(faults, Faults)
        return cls(chain, route, journal, cache, faults)

    def answer(self, scope: Scope, admitted: Callable[[Scope], bool]) -> Kept | None:
        """`scope`: a GET without a query string or body (the protocol checks), its headers as uvicorn gives them;
        `admitted`: whether the layers outside the chain (the guard's limits) let it through."""
        began = time.perf_counter()
        authorization = header(scope["headers"], b"authorization")
        cache = self.cache
        if (scope["path"], b"", authorization) not in cache.requests:  # no answer held for it: the usual case
            return None
        sim = self.sim
        if sim.store.__class__ is not MemoryStore or sim.journal.shared is not None:
            return None
        if sim.rate_limiter.shared is not None:
            return None
        route = self.routes.resolve("GET", scope["path"])
        if route.operation_id not in cache.cacheable.get(route.api, ()):
            return None
        kept = cache.answers.get(cache.key(scope, authorization))
        if kept is None or kept.wire is None or not admitted(scope):
            return None
        credential, account = self.route.caller(route.api, authorization, scope)
        if self.faults.matches(route, "GET", account):
            return None
        if sim.rate_limiter.check(sim.rate_limits, route.api, credential, account):
            return None
        # Answered here from now on: what the chain would count and record for it.
        trace_id = sim.begin_request()
        if sim.journal.enabled and not scope["path"].startswith(UNJOURNALED):
            body = kept.body
            response = shown_body(body[:BODY_LIMIT], len(body))
            status = int(kept.start["status"])
            self.journal.add(scope, route, status, account, None, trace_id, began, None, response, False)
        return kept
