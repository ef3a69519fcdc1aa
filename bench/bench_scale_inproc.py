"""Large worlds in process (issue 13): the CPU time of the first lists, without a socket, a second process or wrk.

Builds `--vehicles N --drivers N` as `fleetmock serve` does (its collector thresholds, the freeze once ready), drives
the ASGI app with one token: GET /tachoshare/vehicles, GET /tachoshare/drivers, the vehicles again at the same
instant, a 30-day POST /_sim/clock/advance, the vehicles again. Prints the CPU seconds (`time.process_time`: a busy
machine's waiting does not count) of each step, the time in the cyclic collector, and a digest of the answers (two
checkouts give the same bytes when the digests agree). Compare two checkouts in the same minutes:

    PYTHONPATH=/path/a .venv/bin/python bench/bench_scale_inproc.py --size 10000
    PYTHONPATH=/path/b .venv/bin/python bench/bench_scale_inproc.py --size 10000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import time
from typing import Any

from mockserver import serving
from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.world import load_world

_gc_spent = [0.0, 0.0]


def _gc_timer(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _gc_spent[1] = time.process_time()
    else:
        _gc_spent[0] += time.process_time() - _gc_spent[1]


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


async def call(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> bytes:
    parts: list[bytes] = []
    status = 0

    sent_body = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if sent_body.is_set():  # a streamed answer listens for a disconnect: the client stays
            await asyncio.Event().wait()
        sent_body.set()
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    if body:
        headers = [*headers, (b"content-length", str(len(body)).encode())]
    await app(_scope(method, path, headers), receive, send)
    if status != 200:
        raise RuntimeError(f"{method} {path}: {status} {b''.join(parts)[:200]!r}")
    return b"".join(parts)


async def run(size: int, steps: list[str]) -> dict[str, Any]:
    serving.collect_less_often()
    gc.callbacks.append(_gc_timer)
    began = time.process_time()
    world = load_world(vehicles=size, drivers=size)
    sim = Simulator(world, SimClock(world.start, rate=0))
    sim.journal.enabled = False
    app = create_app(sim)
    serving.prepare_for_requests()
    found: dict[str, Any] = {"ready (s)": round(time.process_time() - began, 3)}
    json_type = [(b"content-type", b"application/json")]

    async def bearer() -> list[tuple[bytes, bytes]]:
        token = json.loads(await call(app, "POST", "/_sim/tokens", json_type, b"{}"))["access_token"]
        return [(b"authorization", f"Bearer {token}".encode())]

    auth = await bearer()
    digest = hashlib.sha256()
    plan = {
        "vehicles": ("GET", "/tachoshare/vehicles", b""),
        "drivers": ("GET", "/tachoshare/drivers", b""),
        "advance": ("POST", "/_sim/clock/advance", json.dumps({"seconds": 30 * 86_400}).encode()),
    }
    for n, step in enumerate(steps):
        method, path, body = plan[step]
        _gc_spent[0] = 0.0
        t0 = time.process_time()
        answer = await call(app, method, path, json_type if body else auth, body)
        spent = time.process_time() - t0
        found[f"{n} {step} (s)"] = round(spent, 3)
        found[f"{n} {step}: collector (s)"] = round(_gc_spent[0], 3)
        if step == "advance":
            auth = await bearer()
        else:
            digest.update(answer)
    found["digest"] = digest.hexdigest()[:16]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--steps", nargs="+", default=["vehicles", "drivers", "vehicles", "advance", "vehicles"])
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.size, args.steps)), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
