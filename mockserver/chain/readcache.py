"""The read-cache link: a read answered from memory when the same request was answered 200 at the same instant and
state.

Only the operations an API declares cacheable (`ApiPlugin.cacheable_reads`: answers that depend only on the request,
the simulated instant and the state). The `Memo`'s key holds everything such an answer depends on (path, query,
Authorization, Accept, the simulated instant and the state's generation), so a hit is the byte-identical answer the
API would give; polling clients and load tests hit it. Errors are never kept (their trace ids differ). It sits after
the rate limit and the faults, so a hit is still limited and faulted; strict mode (responses validated against the
specs) leaves it out.
"""

from __future__ import annotations

from typing import Any

from starlette.types import Message

from mockserver.chain.base import Answer, Call, Setup
from mockserver.chain.route import header
from mockserver.memo import Memo

ANSWERS = 256


class ReadCache:
    def __init__(self, setup: Setup) -> None:
        self.enabled = not setup.strict
        self.sim = setup.sim
        self.cacheable = {name: info.cacheable for name, info in setup.apis.routes.items() if info.cacheable}
        self.answers: Memo[tuple[Any, ...], tuple[Message, bytes]] = Memo(ANSWERS, "read answers")

    def enter(self, call: Call) -> Answer | None:
        route = call.route
        if route.operation_id not in self.cacheable.get(route.api, ()):
            return None
        scope, sim = call.scope, self.sim
        headers = scope["headers"]
        authorization = call.authorization if call.authorization is not None else header(headers, b"authorization")
        key = (
            scope["path"],
            scope.get("query_string", b""),
            authorization,
            header(headers, b"accept"),
            sim.clock.now(),
            sim.store.generation,
        )
        hit = self.answers.get(key)
        if hit is not None:
            call.hit = hit
            return self.replay
        call.cache_key = key
        call.kept = []
        return None

    async def replay(self, call: Call) -> None:
        assert call.hit is not None
        start, body = call.hit
        await call.forward(start)
        await call.forward({"type": "http.response.body", "body": body})

    def leave(self, call: Call) -> None:
        kept = call.kept
        if kept is None or call.cache_key is None or call.status != 200:
            return
        start = next((m for m in kept if m["type"] == "http.response.start"), None)
        if start is None:
            return
        body = b"".join(m.get("body", b"") for m in kept if m["type"] == "http.response.body")
        self.answers.put(call.cache_key, (start, body))
