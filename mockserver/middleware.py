"""The simulator's outer ASGI layer: binds the simulator, then rate limits, fault rules and the journal.

Everything here acts before or around the API (Connexion) and knows nothing of any API's domain: the API, path
and operationId come from `mockserver.routes`; the caller's account, the cacheable reads and which APIs take fault
rules from the registry (`mockserver.apis`); error bodies from the API's own renderer, so a fault or a 429 looks
like the API's own answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver import runtime
from mockserver.apis import registry
from mockserver.faults import EFFECTS, FaultContext
from mockserver.journal import JournalEntry, bounded
from mockserver.queryparams import WARNINGS_KEY
from mockserver.routes import Route, RouteTable
from mockserver.stores.errors import StateUnavailable

if TYPE_CHECKING:
    from mockserver.simulator import Simulator

ErrorRenderer = Callable[[Scope, int, str, dict[str, str]], tuple[int, list[tuple[bytes, bytes]], bytes]]
UNJOURNALED = ("/_sim/journal",)
TOO_MANY = "The user has sent too many requests in a given amount of time."


class SimulatorMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        sim: Simulator,
        routes: RouteTable,
        render_error: ErrorRenderer,
        cache_reads: bool = True,
    ) -> None:
        self.app = app
        self.sim = sim
        self.routes = routes
        self.render_error = render_error
        self.cache_reads = cache_reads
        apis = registry()
        self._resolvers = {name: info.account for name, info in apis.routes.items() if info.account is not None}
        self._cacheable = {name: info.cacheable for name, info in apis.routes.items()}
        self._fault_targets = frozenset(apis.fault_targets())
        self._answers: dict[tuple[Any, ...], tuple[Message, bytes]] = {}
        self._callers: dict[tuple[Any, ...], tuple[str | None, str | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        bound = runtime.bind(self.sim)
        try:
            if scope["type"] != "http":
                await self.app(scope, receive, send)
                return
            await self._exchange(scope, receive, send)
        finally:
            runtime.unbind(bound)

    async def _exchange(self, scope: Scope, receive: Receive, send: Send) -> None:
        sim = self.sim
        began = time.perf_counter()
        method, path = scope["method"], scope["path"]
        route = self.routes.resolve(method, path)
        trace_id = await self._begin(scope, send)
        if trace_id is None:
            return
        trace = runtime.bind_trace(trace_id)
        status = 0
        fault_id: str | None = None
        account: str | None = None
        journaled = path.startswith(UNJOURNALED) or not sim.journal.enabled

        async def tracking(message: Message) -> None:
            nonlocal status, journaled
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif not message.get("more_body", False) and not journaled:  # journaled before the client has it all
                journaled = True
                self._record(scope, route, account, status, fault_id, trace_id, began)
            await send(message)

        try:
            credential, account = self._caller(route, scope)
            retry_after = sim.rate_limiter.check(sim.rate_limits, route.api, credential, account)
            if retry_after:
                await self._error(scope, tracking, 429, TOO_MANY, {"Retry-After": str(retry_after)})
                return
            rule = None
            rules = sim.faults.rules if route.api in self._fault_targets else ()
            if any(r.match.accepts(route.api, method, route.relative_path, route.operation_id, account) for r in rules):
                with sim.store.write():  # only a matching rule counts, so only then is there state to write
                    rule = sim.faults.decide(
                        sim.world.seed, route.api, method, route.relative_path, route.operation_id, account
                    )
            if rule is None:
                if self.cache_reads and route.operation_id in self._cacheable.get(route.api, ()):
                    await self._cached(scope, receive, tracking)
                else:
                    await self.app(scope, receive, tracking)
                return
            fault_id = rule.id

            def error_body(code: int, description: str) -> tuple[bytes, str]:
                _, headers, body = self.render_error(scope, code, description, {})
                media = next((v.decode() for k, v in headers if k == b"content-type"), "application/json")
                return body, media

            context = FaultContext(scope, receive, tracking, self.app, rule, error_body)
            status = await EFFECTS[rule.effect](context) or status
        except StateUnavailable as exc:  # before the API answered (rate limits, fault counters)
            await self._error(scope, tracking, exc.status, exc.description, exc.headers)
        finally:
            runtime.unbind_trace(trace)
            if not journaled:
                self._record(scope, route, account, status, fault_id, trace_id, began)

    async def _begin(self, scope: Scope, send: Send) -> str | None:
        """The request's trace id, or None when the shared state is down (answered 503 in the API's own shape)."""
        try:
            return self.sim.begin_request()
        except StateUnavailable as exc:
            await self._error(scope, send, exc.status, exc.description, exc.headers)
            return None

    async def _cached(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A read answered from memory when the same request was answered 200 at the same instant and state.

        The key holds everything the answer depends on (path, query, credentials, Accept, the simulated instant and
        the state's generation), so a hit is the byte-identical answer the API would give; polling clients and load
        tests hit it. Errors are never cached (their trace ids differ).
        """
        headers = Headers(scope=scope)
        key = (
            scope["path"],
            scope.get("query_string", b""),
            headers.get("authorization"),
            headers.get("accept"),
            self.sim.clock.now(),
            self.sim.store.generation,
        )
        hit = self._answers.get(key)
        if hit is not None:
            await send(hit[0])
            await send({"type": "http.response.body", "body": hit[1]})
            return
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        if start is None or start["status"] != 200:
            return
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        if len(self._answers) > 256:
            self._answers.clear()
        self._answers[key] = (start, body)

    def _caller(self, route: Route, scope: Scope) -> tuple[str | None, str | None]:
        """Who calls, remembered per (API, Authorization header, instant, state): tokens expire with the clock."""
        resolver = self._resolvers.get(route.api)
        if resolver is None:
            return None, None
        headers = Headers(scope=scope)
        key = (route.api, headers.get("authorization"), self.sim.clock.now(), self.sim.store.generation)
        known = self._callers.get(key)
        if known is None:
            known = resolver(self.sim, headers)
            if known[1] is None:  # what failed to verify is never remembered (it would let anyone fill memory)
                return known
            if len(self._callers) > 1024:
                self._callers.clear()
            self._callers[key] = known
        return known

    async def _error(self, scope: Scope, send: Send, status: int, description: str, headers: dict[str, str]) -> None:
        code, raw_headers, body = self.render_error(scope, status, description, headers)
        await send({"type": "http.response.start", "status": code, "headers": raw_headers})
        await send({"type": "http.response.body", "body": body})

    def _record(
        self,
        scope: Scope,
        route: Route,
        account: str | None,
        status: int,
        fault: str | None,
        trace_id: str,
        began: float,
    ) -> None:
        journal = self.sim.journal
        journal.add(
            JournalEntry(
                seq=journal.next_seq(),
                simulated=self.sim.clock.now(),
                wall=time.time(),
                api=route.api,
                method=scope["method"],
                path=bounded(scope["path"]),
                query=bounded(scope.get("query_string", b"").decode("latin-1")),
                status=status,
                account=account,
                operation_id=route.operation_id,
                fault=fault,
                trace_id=trace_id,
                duration_ms=(time.perf_counter() - began) * 1000,
                warnings=tuple(bounded(w) for w in scope.get(WARNINGS_KEY, ())),
            )
        )
