"""The server's own CPU per request without sockets or wrk (issue 13): raw HTTP requests fed to the protocol
`fleetmock serve` uses (`mockserver.serving.TransportExposingProtocol`, uvicorn's httptools protocol) over a
transport that only counts the bytes written, on uvloop.

So what is measured is everything the server process does for a request except the kernel's socket work: parsing,
uvicorn's cycle and task (or the early answer), the guard, the chain, the fast lane or Connexion, the handler. Each
route takes the next of 1,200 credentials per request (as bench_engine.py, so no read-cache hit), `cached` the same
one (every request a hit); CPU microseconds per request (`time.process_time`), median and best of the rounds. Stable
enough to compare two checkouts in the same minutes on a busy machine:

    PYTHONPATH=/path/a python bench/bench_protocol.py; PYTHONPATH=/path/b python bench/bench_protocol.py

`--profile ROUTE` prints a cProfile of one round of that route, with the share of each module (cProfile's own cost
per call inflates the small functions; the proportions between layers are what it is for).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import statistics
import time
from collections.abc import Callable
from typing import Any

import uvloop
from uvicorn.server import ServerState

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.reveal.models import reveal_of
from mockserver.serving import TransportExposingProtocol, collect_less_often, prepare_for_requests, uvicorn_config
from mockserver.simulator import Simulator
from mockserver.world import load_world

TOKENS = 1200
ROUTES = ("cached", "vehicles", "vehicle", "drivers", "statuscurrent")


class CountingTransport:
    """A connection's transport that keeps nothing: the bytes written are counted."""

    def __init__(self) -> None:
        self.written = 0
        self.closing = False

    def write(self, data: bytes) -> None:
        self.written += len(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8080), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        return None

    def resume_reading(self) -> None:
        return None


def _request(path: str, authorization: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAuthorization: {authorization}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()


def _requests(sim: Simulator) -> dict[str, list[bytes]]:
    world = sim.world
    bearer = [f"Bearer {sim.oauth.issue_token().access_token}" for _ in range(TOKENS)]
    atmosphere = [
        f"Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer {sim.reveal.issue_token('demo', 'demo')}"
        for _ in range(TOKENS)
    ]
    vins = [v.vin for v in world.accounts[0].vehicles]
    reveal = reveal_of(world.accounts[0])
    numbers = [d.driver_number for d in reveal.drivers if d.in_data_plan] if reveal else []
    logbook = "/reveal/logbook/v1/driver/{}/statuscurrent"
    return {
        "cached": [_request("/tachoshare/vehicles", bearer[0])],
        "vehicles": [_request("/tachoshare/vehicles", b) for b in bearer],
        "vehicle": [_request(f"/tachoshare/vehicles/{vins[i % len(vins)]}", b) for i, b in enumerate(bearer)],
        "drivers": [_request("/tachoshare/drivers", b) for b in bearer],
        "statuscurrent": [_request(logbook.format(numbers[i % len(numbers)]), a) for i, a in enumerate(atmosphere)],
    }


async def measure(
    routes: list[str], calls: int, rounds: int, profile: str | None, rate: float = 0
) -> dict[str, Any]:
    collect_less_often()
    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))  # credentials minted at one instant, then the clock runs
    sim.journal.enabled = False  # as bench_engine.py serves it (--no-journal)
    config = uvicorn_config(create_app(sim), "127.0.0.1", 8080)
    config.load()
    state = ServerState()
    state.default_headers = [(b"date", b"Sun, 06 Dec 2026 20:00:00 GMT"), (b"server", b"uvicorn")]
    protocol = TransportExposingProtocol(config=config, server_state=state, app_state={})
    protocol.connection_made(CountingTransport())  # type: ignore[arg-type]
    requests = _requests(sim)
    sim.clock.set(rate=rate)
    prepare_for_requests()
    found: dict[str, Any] = {}
    for route in routes:
        lines = requests[route]

        async def serve(count: int, lines: list[bytes] = lines) -> None:
            done = state.total_requests
            for i in range(count):
                protocol.data_received(lines[i % len(lines)])
                while state.total_requests <= done + i:  # the answer is written when the request is counted
                    await asyncio.sleep(0)

        await serve(max(calls, len(lines)))  # warm-up: every credential verified once
        if route == profile:
            found["profile"] = await _profiled(lambda: serve(calls), calls)
        passes = []
        for _ in range(rounds):
            began = time.process_time()
            await serve(calls)
            passes.append((time.process_time() - began) / calls * 1e6)
        found[route] = {"median_us": round(statistics.median(passes), 1), "best_us": round(min(passes), 1)}
    return found


async def _profiled(run: Callable[[], Any], calls: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    await run()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    shares: dict[str, float] = {}
    for (file, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        module = file if file.startswith("~") else "/".join(file.split("/")[-2:])
        shares[module] = shares.get(module, 0.0) + own
    total = sum(shares.values())
    rows = sorted(shares.items(), key=lambda item: -item[1])[:30]
    return "\n".join(f"{own / total * 100:5.1f}%  {own / calls * 1e6:6.2f} us (profiled)  {m}" for m, own in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--calls", type=int, default=2400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default=None, metavar="ROUTE")
    parser.add_argument("--rate", type=float, default=0, help="simulated seconds per second (bench_engine: 0, 60)")
    args = parser.parse_args()
    uvloop.install()
    found = asyncio.run(measure(args.routes.split(","), args.calls, args.rounds, args.profile, args.rate))
    profile = found.pop("profile", None)
    print(json.dumps(found, indent=1))
    if profile:
        print(profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
