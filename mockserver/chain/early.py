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
from collections.abc import Callable, Coroutine
from contextvars import Context
from typing import Any

from starlette.responses import Response
from starlette.types import Message, Scope

from mockserver import runtime
from mockserver.chain.base import Chain
from mockserver.chain.bind import Bind
from mockserver.chain.exchange import Exchange
from mockserver.chain.faults import Faults
from mockserver.chain.journal import UNJOURNALED, JournalLink
from mockserver.chain.ratelimit import RateLimit
from mockserver.chain.readcache import Kept, ReadCache
from mockserver.chain.route import RouteLink, header
from mockserver.fastlane import FastLane, bind_request
from mockserver.journal import BODY_LIMIT, shown_body
from mockserver.queryparams import QueryBinding
from mockserver.store import MemoryStore

ORDER = (Bind, RouteLink, JournalLink, RateLimit, Faults, ReadCache, Exchange)  # the default chain's link types


class EarlyAnswers:
    """`answer(scope, admitted)`: the answer of a cacheable GET the read cache holds or the fast lane gives at once,
    with the chain's concerns applied, or None (nothing done: the request goes through the chain)."""

    def __init__(
        self, chain: Chain, route: RouteLink, journal: JournalLink, cache: ReadCache, faults: Faults, lane: Any
    ) -> None:
        self.sim = chain.sim
        self.routes = route.routes
        self.route = route
        self.journal = journal
        self.cache = cache
        self.faults = faults
        self.lane: FastLane | None = lane if isinstance(lane, FastLane) else None

    @classmethod
    def of(cls, chain: Chain) -> EarlyAnswers | None:
        links = chain.links
        if tuple(type(link) for link in links) != ORDER:
            return None
        _, route, journal, _, faults, cache, exchange = links
        assert isinstance(route, RouteLink) and isinstance(journal, JournalLink) and isinstance(exchange, Exchange)
        assert isinstance(cache, ReadCache) and isinstance(faults, Faults)
        binding = exchange.app  # the real services' query binding, which passes a request without a query string on
        lane = binding.app if isinstance(binding, QueryBinding) else None
        return cls(chain, route, journal, cache, faults, lane)

    def answer(self, scope: Scope, admitted: Callable[[Scope], bool]) -> Kept | None:
        """`scope`: a GET without a query string or body (the protocol checks), its headers as uvicorn gives them;
        `admitted`: whether the layers outside the chain (the guard's limits) let it through."""
        began = time.perf_counter()
        authorization = header(scope["headers"], b"authorization")
        cache = self.cache
        held = (scope["path"], b"", authorization) in cache.requests  # else no answer is held for it
        if not held and self.lane is None:
            return None
        sim = self.sim
        if sim.store.__class__ is not MemoryStore or sim.journal.shared is not None:
            return None
        if sim.rate_limiter.shared is not None:
            return None
        route = self.routes.resolve("GET", scope["path"])
        if route.operation_id not in cache.cacheable.get(route.api, ()):
            return None
        key = cache.key(scope, authorization)
        kept = cache.answers.get(key) if held else None
        made = kept is None
        if kept is None:
            kept = self._made(scope)
        if kept is None or kept.wire is None or not admitted(scope):
            return None
        credential, account = self.route.caller(route.api, authorization, scope)
        if self.faults.matches(route, "GET", account):
            return None
        if sim.rate_limiter.check(sim.rate_limits, route.api, credential, account):
            return None
        # Answered here from now on: what the chain would count, keep and record for it.
        trace_id = sim.begin_request()
        if made:
            cache.keep(key, kept)
        if sim.journal.enabled and not scope["path"].startswith(UNJOURNALED):
            body = kept.body
            response = shown_body(body[:BODY_LIMIT], len(body))
            status = int(kept.start["status"])
            self.journal.add(scope, route, status, account, None, trace_id, began, None, response, False)
        return kept

    def _made(self, scope: Scope) -> Kept | None:
        """The fast lane's answer, when its handler gives a plain 200 without waiting for anything (a read: nothing
        it does is counted, so an answer not given here is simply made again by the chain)."""
        if self.lane is None:
            return None
        return Context().run(self._run_handler, self.lane, scope)  # the context vars it sets go with it

    def _run_handler(self, lane: FastLane, scope: Scope) -> Kept | None:
        runtime.bind(self.sim)
        try:
            prepared = lane.prepare(scope)
            if prepared is None:
                return None
            handler, kwargs, info = prepared
            bind_request(scope, _no_body, info)
            running: Coroutine[Any, Any, Response] = handler(**kwargs)  # type: ignore[assignment]
            try:
                running.send(None)
            except StopIteration as done:
                response = done.value
            else:  # it waits for something: the chain's task runs it
                running.close()
                return None
        except Exception:  # an API error: the chain (Connexion) answers it in the API's shape
            return None
        if type(response) is not Response or response.status_code != 200 or response.background is not None:
            return None  # a streamed answer (a large list), another status: the chain's
        body = response.body
        start = {"type": "http.response.start", "status": 200, "headers": response.raw_headers}
        return Kept(start, bytes(body))


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}
