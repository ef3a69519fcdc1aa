"""The file routes through a real server: time to the last byte and peak memory above the server's baseline.

Starts `fleetmock serve` on the default world (rate 0), moves the clock a year on, and asks for the 2-year files of
`bench_files.py`'s API path over HTTP: the Gen2v2 VU file of `ok-plus` and the driver ZIPs of `ok-es` (weekly) and
`ok` (daily, 730 card files). Each is asked twice: the first request is cold (nothing of that story computed in the
server yet), the second warm. Memory is the server's peak resident set (VmHWM) after the request minus its peak
before the first file request (after start-up and a JSON request). `--rounds N` starts N fresh servers and prints
the median of each figure (the machine this project runs on is shared, and one cold request is one sample).

Targets: < 300 ms per file, peak < 50 MB above the baseline. Run: .venv/bin/python bench/bench_files_server.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import timedelta
from pathlib import Path

from benchlib import LOOPBACK, BenchError, fleetmock_command, free_port, http_request, running

from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.world import load_world
from mockserver.world.identifiers import nation_hex

YEAR_S = 365 * 86400


def peak_rss_kib(pid: int) -> int:
    """Peak resident set size of `pid` in KiB (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise BenchError(f"no VmHWM for pid {pid}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))
    sim.clock.advance(YEAR_S)
    today = sim.clock.now().date()
    start, end = (today - timedelta(days=729)).isoformat(), (today + timedelta(days=1)).isoformat()
    account = world.accounts[0]
    vehicle = account.vehicles[0]
    weekly, daily = account.drivers[1], account.drivers[0]
    range_of = {"vehicle": f"activityDate-from={start}&activityDate-to={end}"}
    paths = [
        ("Gen2v2 VU file, 2 years", f"/tachoshare/vehicles/{vehicle.vin}/files?{range_of['vehicle']}"),
        *(
            (
                label,
                f"/tachoshare/drivers/{d.card_key}/files?countryCode={nation_hex(d.country)}"
                f"&downloadDate-from={start}&downloadDate-to={end}",
            )
            for label, d in (("driver ZIP, 2 years weekly", weekly), ("driver ZIP, 2 years daily", daily))
        ),
    ]
    results: dict[str, list[tuple[float, float, float, int]]] = {label: [] for label, _ in paths}
    for _ in range(rounds):
        for label, figures in one_round(paths).items():
            results[label].append(figures)
    for label, runs in results.items():
        cold, warm, above = (statistics.median(run[i] for run in runs) for i in range(3))
        size = runs[0][3]
        print(
            f"{label}: {size:,} bytes, cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms, "
            f"peak {above:.1f} MB above the baseline (median of {len(runs)} servers)"
        )


def one_round(paths: list[tuple[str, str]]) -> dict[str, tuple[float, float, float, int]]:
    """(cold s, warm s, MB above the baseline, bytes) of each path, asked in order of one fresh server."""
    port = free_port()
    argv = [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", "0"]
    figures: dict[str, tuple[float, float, float, int]] = {}
    with running("files", argv, port) as server:
        server.wait_ready("/_sim/health")
        body = json.dumps({"seconds": YEAR_S}).encode()
        http_request(port, "POST", "/_sim/clock/advance", {"Content-Type": "application/json"}, body)
        token = json.loads(http_request(port, "POST", "/_sim/tokens", {"Content-Type": "application/json"}, b"{}").body)
        headers = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/octet-stream"}
        http_request(port, "GET", "/tachoshare/vehicles", headers)
        baseline = peak_rss_kib(server.pid)
        for label, path in paths:
            timings = []
            for _ in range(2):
                started = time.perf_counter()
                answer = http_request(port, "GET", path, headers, timeout=60)
                timings.append(time.perf_counter() - started)
                if answer.status != 200:
                    raise BenchError(f"{path} answered {answer.status}: {answer.body[:300]!r}")
            above = (peak_rss_kib(server.pid) - baseline) / 1024
            figures[label] = (timings[0], timings[1], above, len(answer.body))
    return figures


if __name__ == "__main__":
    main()
