"""The request chain's own cost, in process: microseconds per cached read through the app, no socket, no wrk.

Drives the ASGI app `create_app` returns with a prepared scope (GET /tachoshare/vehicles with a valid token, the
journal on, ten fault rules that never fire as in bench_faults.py) and times N calls after a warm-up: every call is
a read-cache hit, so what is measured is the chain (bind, route, journal, rate limit, faults, read cache). Also a
cache miss path (the API itself answers: an error for a bad vehicle id), for scale. Rounds alternate; the median and
the best round of each are printed, in CPU microseconds (on a shared machine the best round says most about the
code). Then the engine's reads with a fresh credential per call (`rotating`, issue 13). Compare two checkouts in the
same minutes:

    PYTHONPATH=/path/a .venv/bin/python bench/bench_chain.py; PYTHONPATH=/path/b .venv/bin/python bench/bench_chain.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.faults import parse_rule
from mockserver.simulator import Simulator
from mockserver.world import load_world

RULES = [
    {"match": {"api": "reveal", "path": "/logbook/*"}, "latencyMs": 500},
    {"match": {"api": "tachoshare", "method": "POST", "path": "/vehicles/*/rdl"}, "drop": True},
    {"match": {"api": "tachoshare", "path": "/vehicles/*/files"}, "truncate": True},
    {"match": {"api": "tachoshare", "operationId": "listCompanyCards"}, "respond": {"status": 500}},
    {"match": {"api": "tachoshare", "path": "/vehicles", "account": "acme"}, "respond": {"status": 503}},
    {"match": {"api": "*", "method": "DELETE"}, "drop": True},
]


def _scope(path: str, token: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _time(app: Any, scope: dict[str, Any], calls: int) -> tuple[float, int]:
    status = 0

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    began = time.process_time()  # CPU time: a busy machine's waiting does not count
    for _ in range(calls):
        await app(dict(scope), _receive, send)
    return (time.process_time() - began) / calls * 1e6, status


async def main_async(rounds: int, calls: int) -> dict[str, float]:
    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))
    app = create_app(sim)
    issue = getattr(sim, "issue_token", None) or sim.oauth.issue_token  # before issue 16 / after
    token = issue().access_token
    with sim.store.write():
        for rule in RULES:
            sim.faults.add(parse_rule(rule))
    hit = _scope("/tachoshare/vehicles", token)
    miss = _scope("/tachoshare/vehicles/NOSUCHVIN0000000", token)
    await _time(app, hit, 200)
    await _time(app, miss, 50)
    hits, misses = [], []
    for _ in range(rounds):
        micros, status = await _time(app, hit, calls)
        assert status == 200, status
        hits.append(micros)
        micros, status = await _time(app, miss, calls // 10)
        assert status in (400, 404), status
        misses.append(micros)
        sim.journal.clear()
    return {
        "cached read, median (us)": statistics.median(hits),
        "cached read, best round (us)": min(hits),
        "API answer, an error, median (us)": statistics.median(misses),
        "API answer, an error, best round (us)": min(misses),
    }


async def rotating(rounds: int, tokens: int = 1200) -> dict[str, float]:
    """Issue 13's engine rows in process: each call with the next of `tokens` fresh credentials (no read-cache hit:
    bench_engine.py's docstring says why), GET /tachoshare/vehicles/{vin} over every VIN and GET /tachoshare/drivers,
    journal off as `bench_engine.py` serves it; CPU microseconds per call, the median of `rounds` passes over them."""
    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))
    sim.journal.enabled = False
    app = create_app(sim)
    minted = [sim.oauth.issue_token().access_token for _ in range(tokens)]
    vins = [v.vin for v in world.accounts[0].vehicles]
    routes: dict[str, Callable[[int], str]] = {
        "vehicles/{vin}": lambda i: f"/tachoshare/vehicles/{vins[i % len(vins)]}",
        "drivers": lambda i: "/tachoshare/drivers",
    }
    found = {}
    for name, path in routes.items():
        scopes = [_scope(path(i), token) for i, token in enumerate(minted)]
        passes = []
        for _ in range(rounds + 1):  # the first pass verifies each token's signature once: not counted
            began = time.process_time()
            for scope in scopes:
                await app(dict(scope), _receive, _ignore)
            passes.append((time.process_time() - began) / len(scopes) * 1e6)
        found[f"fresh token, GET /tachoshare/{name}, median (us)"] = statistics.median(passes[1:])
    return found


async def _ignore(message: dict[str, Any]) -> None:
    return None


async def hits_only(calls: int) -> None:
    """Setup, warm-up, then `calls` cached reads and nothing else: for an instruction count (`perf stat -e
    instructions:u`) of two runs with different `calls`, whose difference over the calls is the chain's cost per
    cached read, immune to a busy machine."""
    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))
    app = create_app(sim)
    issue = getattr(sim, "issue_token", None) or sim.oauth.issue_token
    hit = _scope("/tachoshare/vehicles", issue().access_token)
    await _time(app, hit, 50)
    if calls:
        await _time(app, hit, calls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--hits-only", type=int, default=None, metavar="N", help="N cached reads, for perf stat")
    args = parser.parse_args()
    if args.hits_only is not None:
        asyncio.run(hits_only(args.hits_only))
        return 0
    found = asyncio.run(main_async(args.rounds, args.calls))
    print(json.dumps({**found, **asyncio.run(rotating(args.rounds))}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
