"""Advancing a 1,000-vehicle world by 365 days, then reading every vehicle and driver (target: under 5 s).

Run: .venv/bin/python bench/bench_clock.py   (prints a Markdown table)
Timelines are extended lazily, so the cost lands on the first read after the advance; both are measured.
"""

from __future__ import annotations

import time

from mockserver.clock import SimClock
from mockserver.principal import Principal
from mockserver.simulator import Simulator
from mockserver.world import load_world

FULL = Principal("demo", "fleetmanager", "demo-partner", frozenset({"tachoshare"}))


def main() -> None:
    world = load_world(vehicles=1000, drivers=1000)
    rows = []
    for label, steps in (("365 x 1 day", [86400] * 365), ("1 x 365 days", [365 * 86400])):
        sim = Simulator(world, SimClock(world.start, rate=0))
        sim.tachoshare.vehicles(FULL)  # timelines up to the start, as a running server would have them
        sim.tachoshare.drivers(FULL)
        began = time.perf_counter()
        for seconds in steps:
            sim.clock.advance(seconds)
            if len(steps) > 1:
                sim.tachoshare.vehicles(FULL)  # a client polling every simulated day
        vehicles = sim.tachoshare.vehicles(FULL)
        drivers = sim.tachoshare.drivers(FULL)
        elapsed = time.perf_counter() - began
        rows.append((label, len(vehicles), len(drivers), elapsed))
    print("| advance | vehicles | drivers | seconds (advance + read all) |")
    print("|---|---|---|---|")
    for label, n_vehicles, n_drivers, elapsed in rows:
        print(f"| {label} | {n_vehicles} | {n_drivers} | {elapsed:.2f} |")


if __name__ == "__main__":
    main()
