"""The chain's machinery: `Setup`, `Call`, `Chain` (see the package docstring for how it runs)."""


from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver import runtime
from mockserver.errors import ApiError, StateUnavailable

if TYPE_CHECKING:
    from mockserver.apis import Registry
    from mockserver.routes import Route, RouteTable
    from mockserver.simulator import Simulator

ErrorRenderer = Callable[[Scope, int, str, dict[str, str]], tuple[int, list[tuple[bytes, bytes]], bytes]]
Answer = Callable[["Call"], Awaitable[None]]


@dataclass(frozen=True)
class Setup:
    """What links are built from, once per app."""

    app: ASGIApp  # the APIs (Connexion)
    sim: Simulator
    routes: RouteTable
    apis: Registry
    render_error: ErrorRenderer  # (scope, status, description, headers) -> an error in the API's own shape
    strict: bool = False  # responses are validated against the specs: nothing may be answered from memory


class Call:
    """One request on its way through the chain: what the links found out and what they pass on.

    Fields have class-level defaults, so a link sets only what it knows; `forward` is the `send` every answer
    uses (it notes the status, lets the read cache keep the messages and the journal record before the end).
    """

    route: Route
    credential: str | None = None  # what identifies the caller (a token), from the API's resolver
    account: str | None = None  # the caller's account
    authorization: str | None = None  # the request's Authorization header
    trace_id: str = ""
    began: float = 0.0
    status: int = 0  # of the answer's http.response.start
    fault_id: str | None = None  # the fault rule that fired
    refusal: ApiError | None = None  # what `refuse` answers
    kept: list[Message] | None = None  # the answer's messages, while the read cache keeps them
    cache_key: Any = None  # the read cache's key for this request, while it keeps the answer
    hit: Any = None  # the read cache's answer for this request (`readcache.Kept`)
    rule: Any = None  # the fault rule that fired
    on_complete: Callable[[Call], None] | None = None  # called once, before the answer's last body message
    bound: object = None  # the runtime's binding of the simulator (bind)
    trace_bound: object = None  # and of the trace id
    extra: Any = None  # for a link of your own

    def __init__(self, sim: Simulator, scope: Scope, receive: Receive, send: Send, setup: Setup) -> None:
        self.sim = sim
        self.scope = scope
        self.receive = receive
        self.send = send
        self.setup = setup

    async def forward(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.status = int(message["status"])
        elif self.on_complete is not None and not message.get("more_body", False):
            complete, self.on_complete = self.on_complete, None
            complete(self)
        if self.kept is not None:
            if message.get("more_body", False):  # a streamed answer (a large list, a ZIP) is never held whole
                self.kept = None
            else:
                self.kept.append(message)
        await self.send(message)


async def refuse(call: Call) -> None:
    """Answer `call.refusal` in the API's own error shape (a link's `enter` returns this after setting it)."""
    error = call.refusal
    assert error is not None
    code, headers, body = call.setup.render_error(call.scope, error.status, error.description, error.headers)
    await call.forward({"type": "http.response.start", "status": code, "headers": headers})
    await call.forward({"type": "http.response.body", "body": body})


class Link(Protocol):
    """A link: `enter` on the way in; optionally `leave(call)` on the way out and `enabled = False` to leave itself
    out of this app (decided once, when the chain is built)."""

    def enter(self, call: Call) -> Answer | None: ...


LinkFactory = Callable[[Setup], Link | None]


class Chain:
    """The ASGI app: the links in order around `setup.app`."""

    def __init__(self, setup: Setup, factories: Sequence[LinkFactory]) -> None:
        built = (make(setup) for make in factories)
        links = [link for link in built if link is not None and getattr(link, "enabled", True)]
        self.setup = setup
        self.sim = setup.sim
        self.app = setup.app
        self.links: tuple[Link, ...] = tuple(links)
        self._enters = tuple(link.enter for link in links)
        self._leaves: tuple[Callable[[Call], None] | None, ...] = tuple(getattr(link, "leave", None) for link in links)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: no request to route, but handlers may ask for the simulator
            bound = runtime.bind(self.sim)
            try:
                await self.app(scope, receive, send)
            finally:
                runtime.unbind(bound)
            return
        call = Call(self.sim, scope, receive, send, self.setup)
        entered = 0
        try:
            answer: Answer | None = None
            try:
                for enter in self._enters:
                    entered += 1
                    answer = enter(call)
                    if answer is not None:
                        break
            except StateUnavailable as error:  # the shared state is down: answered before the API ran
                call.refusal, answer = error, refuse
            if answer is not None:
                await answer(call)
        finally:
            leaves = self._leaves
            while entered:
                entered -= 1
                leave = leaves[entered]
                if leave is not None:
                    leave(call)


