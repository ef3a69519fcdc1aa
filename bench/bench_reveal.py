"""Benchmark: Reveal LogBook answers in-process, against the targets of issue 5.

1. `remainingtime` through the LogBook service for drivers with six months of generated log (target: p50 under
   5 ms), one measurement per driver of the demo world, at instants spread over a simulated week.
2. `GET .../statuscurrent` through the whole ASGI app (gateway, handler, JSON) next to `GET /tachoshare/vehicles`
   of the foundation benchmark, both in-process over the same client (target: statuscurrent at least as fast).

Benchmarks measure real elapsed time, so unlike domain code they read the monotonic clock. Run:

    python bench/bench_reveal.py [--calls N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.reveal.gateway import RevealPrincipal
from mockserver.reveal.models import reveal_of
from mockserver.simulator import Simulator
from mockserver.world import load_world

REMAINING_TARGET_MS = 5.0
DEMO = RevealPrincipal("demo", "demo", "DEMOAPPID")


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000


def _timed(call: Callable[[], object], calls: int) -> list[float]:
    durations = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return durations


def bench_remaining_time(sim: Simulator, calls: int) -> bool:
    account = sim.account("demo")
    assert account is not None and reveal_of(account) is not None
    numbers = [d.driver_number for d in reveal_of(account).drivers if d.in_data_plan]
    print(f"{'driver':<12} {'profile':<12} {'first':>9} {'p50':>9} {'p99':>9}")
    ok = True
    for number in numbers:
        driver = reveal_of(account).driver(number)
        assert driver is not None
        started = time.perf_counter()
        sim.reveal.logbook.remaining_time(DEMO, number)  # generates the six months of log once
        first = time.perf_counter() - started
        durations: list[float] = []
        for _day in range(7):  # a simulated week, one day at a time
            durations += _timed(partial(sim.reveal.logbook.remaining_time, DEMO, number), calls // 7)
            sim.clock.advance(timedelta(days=1).total_seconds())
        sim.reset()
        p50, p99 = _percentiles(durations)
        ok &= p50 < REMAINING_TARGET_MS
        print(f"{number:<12} {driver.profile:<12} {first * 1000:>7.0f}ms {p50:>7.3f}ms {p99:>7.3f}ms")
    return ok


def bench_statuscurrent(sim: Simulator, calls: int) -> bool:
    with TestClient(create_app(sim)) as client:
        reveal_token = client.get("/reveal/token", auth=("demo", "demo")).text
        reveal = {"Authorization": f"Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer {reveal_token}"}
        tacho_token = client.post("/_sim/tokens", json={}).json()["access_token"]
        tacho = {"Authorization": f"Bearer {tacho_token}"}
        targets = {
            "GET /reveal/.../99/statuscurrent": ("/reveal/logbook/v1/driver/99/statuscurrent", reveal),
            "GET /reveal/.../99/remainingtime": ("/reveal/logbook/v1/driver/99/remainingtime", reveal),
            "GET /tachoshare/vehicles": ("/tachoshare/vehicles", tacho),
        }
        results = {}
        for label, (url, headers) in targets.items():
            assert client.get(url, headers=headers).status_code == 200, label  # warm up
        for label, (url, headers) in targets.items():
            results[label] = _percentiles(_timed(partial(client.get, url, headers=headers), calls))
    print(f"\n{'in-process request':<36} {'p50':>9} {'p99':>9}")
    for label, (p50, p99) in results.items():
        print(f"{label:<36} {p50:>7.3f}ms {p99:>7.3f}ms")
    return results["GET /reveal/.../99/statuscurrent"][0] <= results["GET /tachoshare/vehicles"][0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=700, help="measured calls per driver / per route")
    args = parser.parse_args()
    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))
    remaining_ok = bench_remaining_time(sim, args.calls)
    status_ok = bench_statuscurrent(sim, args.calls)
    print(f"\nremainingtime p50 < {REMAINING_TARGET_MS} ms for every driver: {'PASS' if remaining_ok else 'FAIL'}")
    print(f"statuscurrent at least as fast as /tachoshare/vehicles: {'PASS' if status_ok else 'FAIL'}")
    return 0 if remaining_ok and status_ok else 1


if __name__ == "__main__":
    sys.exit(main())
