"""The request chain: the simulator's outer ASGI layer, an ordered list of small links around the APIs.

Every HTTP request passes the links in order (LocalStack-style); the default order is `DEFAULT_CHAIN`:

    bind      the simulator and the request's trace id (catches up with a shared store; 503 if it is down)
    route     which API, relative path and operationId (from the specs), and who calls (the API's resolver)
    journal   records the exchange (before the last body byte leaves, so a client that got it can find it)
    ratelimit 429 in the API's own shape when the caller's bucket is empty
    faults    a matching fault rule's effect instead of (or around) the API
    readcache a byte-identical 200 from memory for a repeated read at the same instant and state
    exchange  hands the request to the API (Connexion)

How it runs (built for the hot path, see bench/bench_chain.py): `create_app(sim, chain=[...])` builds each link
once and the `Chain` keeps two flat tuples of their bound `enter` and `leave` methods. Per request it makes one
`Call` and runs the `enter`s in order; each is a plain (synchronous) function that reads or sets fields of the
call and returns None to pass the request on, or an `Answer` (an async function of the call) to answer it then and
there; the first answer is awaited. Then the `leave`s of the links that were entered run in reverse order (always,
also after an error). No coroutine per link, no closure per request: a cached read costs the enters, one await and
the leaves. `StateUnavailable` raised by an `enter` (the shared state is down) is answered 503 in the API's own
shape; other errors propagate to the guard (`mockserver.guard`), which answers them.

How to add a link: write `mockserver/chain/<name>.py` with a class taking a `Setup` (or returning None from its
factory when it has nothing to do in this app), with `enter(call) -> Answer | None` and, if it needs to act after
the answer, `leave(call) -> None`; keep `enter` cheap and synchronous (it runs on every request); put what it
passes on to later links in a field of `Call` (add the field there with its default); add it to `DEFAULT_CHAIN`
where it belongs. To remove a concern, leave its link out: `create_app(sim, chain=[...])`.
"""

from __future__ import annotations

from mockserver.chain import bind, exchange, faults, journal, ratelimit, readcache, route
from mockserver.chain.base import Answer, Call, Chain, Link, LinkFactory, Setup, refuse

# The links every app has unless `create_app(chain=...)` says otherwise, in the order a request meets them.
DEFAULT_CHAIN: tuple[LinkFactory, ...] = (
    bind.Bind,
    route.RouteLink,
    journal.JournalLink,
    ratelimit.RateLimit,
    faults.Faults,
    readcache.ReadCache,
    exchange.Exchange,
)

__all__ = ["DEFAULT_CHAIN", "Answer", "Call", "Chain", "Link", "LinkFactory", "Setup", "refuse"]
