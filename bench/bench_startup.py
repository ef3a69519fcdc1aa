"""Start-up time and memory of fleetmock: readiness of `fleetmock serve`, and a 10,000-vehicle world.

Three measurements, each in fresh processes so that nothing is warm from an earlier one:
1. time from spawning `fleetmock serve --rate 0` to the first 200 from `GET /_sim/health` (median of 5);
2. in-process `load_world(vehicles=N, drivers=M)` time, in a child interpreter (import time reported apart);
3. `fleetmock serve --vehicles N --drivers M --rate 0`: time to ready, and RSS (/proc/PID/status VmRSS) once ready,
   after one `GET /tachoshare/vehicles`, and after a following `GET /tachoshare/drivers`.
The Markdown report goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from benchlib import (
    LOOPBACK,
    BenchError,
    fleetmock_command,
    free_port,
    http_request,
    markdown_table,
    rss_kib,
    running,
    verdict,
)

TARGET_READY_S = 2.0
TARGET_LOAD_S = 10.0
TARGET_RSS_MB = 400.0
# GETs on the big world, in order; the target names the first, the second shows what a client's next call costs.
LISTINGS = ("/tachoshare/vehicles", "/tachoshare/drivers")


def serve_argv(port: int, extra: Sequence[str] = ()) -> list[str]:
    return [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", "0", *extra]


def time_to_ready(extra: Sequence[str] = (), timeout: float = 60.0) -> float:
    """Seconds from spawning `fleetmock serve` to its first 200 on /_sim/health."""
    port = free_port()
    started = time.perf_counter()
    with running("startup", serve_argv(port, extra), port) as server:
        server.wait_ready("/_sim/health", timeout=timeout, poll=0.005)
        return time.perf_counter() - started


@dataclass(frozen=True)
class LoadTiming:
    import_s: float
    load_s: float
    vehicles: int
    drivers: int
    rss_mb: float


def _child_load(vehicles: int, drivers: int) -> None:
    """Runs in the child interpreter: import, build the world, print the timings as JSON."""
    started = time.perf_counter()
    from mockserver.world import load_world

    imported = time.perf_counter()
    world = load_world(vehicles=vehicles, drivers=drivers)
    loaded = time.perf_counter()
    counts = {"vehicles": 0, "drivers": 0}
    for account in world.accounts:
        counts["vehicles"] += len(account.vehicles)
        counts["drivers"] += len(account.drivers)
    print(
        json.dumps(
            {"import_s": imported - started, "load_s": loaded - imported, **counts, "rss_mb": rss_mb(os.getpid())}
        )
    )


def rss_mb(pid: int) -> float:
    """VmRSS in decimal megabytes (the unit of the 400 MB target)."""
    return rss_kib(pid) * 1024 / 1e6


def load_in_process(vehicles: int, drivers: int) -> LoadTiming:
    argv = [sys.executable, __file__, "--child-load", str(vehicles), str(drivers)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise BenchError(f"world load failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return LoadTiming(**json.loads(done.stdout.strip().splitlines()[-1]))


@dataclass(frozen=True)
class Listing:
    """One `GET` of a list on the big world, and the server's RSS right after it."""

    path: str
    status: int
    bytes: int
    seconds: float
    rss_after_mb: float


@dataclass(frozen=True)
class BigServe:
    ready_s: float
    rss_ready_mb: float
    listings: tuple[Listing, ...]


def serve_big_world(vehicles: int, drivers: int, paths: Sequence[str]) -> BigServe:
    """Starts the scaled world, then GETs each of `paths` in turn, reading RSS after each."""
    port = free_port()
    started = time.perf_counter()
    extra = ["--vehicles", str(vehicles), "--drivers", str(drivers)]
    with running("startup-big", serve_argv(port, extra), port) as server:
        server.wait_ready("/_sim/health", timeout=120.0, poll=0.01)
        ready_s = time.perf_counter() - started
        rss_ready = rss_mb(server.pid)
        token = http_request(port, "POST", "/_sim/tokens", {"Content-Type": "application/json"}, b"{}")
        if token.status != 200:
            raise BenchError(f"POST /_sim/tokens answered {token.status}")
        bearer = f"Bearer {json.loads(token.body)['access_token']}"
        listings = []
        for path in paths:
            get_started = time.perf_counter()
            answer = http_request(port, "GET", path, {"Authorization": bearer}, timeout=300.0)
            seconds = time.perf_counter() - get_started
            listings.append(Listing(path, answer.status, len(answer.body), seconds, rss_mb(server.pid)))
    return BigServe(ready_s, rss_ready, tuple(listings))


def report(ready: list[float], load: LoadTiming, big: BigServe, vehicles: int, drivers: int) -> str:
    median = statistics.median(ready)
    world = f"{vehicles:,} vehicles / {drivers:,} drivers"
    rows = [
        [
            "`fleetmock serve` spawn to health 200 (demo world)",
            f"median {median:.2f} s (min {min(ready):.2f}, max {max(ready):.2f}, n={len(ready)})",
            f"< {TARGET_READY_S:.0f} s",
            verdict(median < TARGET_READY_S),
        ],
        [
            f"`load_world` in-process, {world}",
            f"{load.load_s:.2f} s (+ {load.import_s:.2f} s imports; built {load.vehicles:,} / {load.drivers:,} "
            "over all accounts)",
            f"< {TARGET_LOAD_S:.0f} s",
            verdict(load.load_s < TARGET_LOAD_S),
        ],
        [f"`fleetmock serve` spawn to health 200, {world}", f"{big.ready_s:.2f} s", "", ""],
        [
            "RSS of that server once ready",
            f"{big.rss_ready_mb:.0f} MB",
            f"< {TARGET_RSS_MB:.0f} MB",
            verdict(big.rss_ready_mb < TARGET_RSS_MB),
        ],
    ]
    for listing in big.listings:
        rows.append(
            [
                f"RSS after `GET {listing.path}` (then status {listing.status}, {listing.bytes:,} bytes in "
                f"{listing.seconds:.2f} s)",
                f"{listing.rss_after_mb:.0f} MB",
                f"< {TARGET_RSS_MB:.0f} MB",
                verdict(listing.status == 200 and listing.rss_after_mb < TARGET_RSS_MB),
            ]
        )
    return markdown_table(["measurement", "result", "target", "verdict"], rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start-ups timed for the median")
    parser.add_argument("--vehicles", type=int, default=10_000)
    parser.add_argument("--drivers", type=int, default=10_000)
    parser.add_argument("--child-load", nargs=2, type=int, metavar=("VEHICLES", "DRIVERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_load:
        _child_load(*args.child_load)
        return 0
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        ready = []
        for run in range(1, args.runs + 1):
            ready.append(time_to_ready())
            print(f"bench_startup: start-up {run}/{args.runs}: {ready[-1]:.2f} s", file=sys.stderr, flush=True)
        load = load_in_process(args.vehicles, args.drivers)
        print(f"bench_startup: load_world: {load.load_s:.2f} s", file=sys.stderr, flush=True)
        big = serve_big_world(args.vehicles, args.drivers, LISTINGS)
        print(
            f"bench_startup: big serve ready in {big.ready_s:.2f} s, RSS "
            + ", ".join(f"{x.rss_after_mb:.0f} MB after {x.path}" for x in big.listings),
            file=sys.stderr,
            flush=True,
        )
    except BenchError as exc:
        print(f"bench_startup: {exc}", file=sys.stderr)
        return 1
    print(report(ready, load, big, args.vehicles, args.drivers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
