"""Soak: a real `fleetmock serve` under a mix of routes for minutes; is its memory flat, and how slow is p99?

Starts the server in a subprocess (clock at rate 60, so tokens expire and logs grow as in a long CI day), then runs
client threads over a mix of TachoShare, Reveal, OAuth and control-plane calls, including refused ones (invalid
tokens, oversized headers, cross-origin control calls) and fault rules added and removed. The server's RSS is
sampled every few seconds from /proc. Reported: requests, statuses, 5xx count, p50/p99 latency, and RSS growth
after warm-up (the first fifth of the run), which the issue wants within 10%.

    python bench/soak.py [--seconds 600] [--threads 4]

Benchmarks measure real elapsed time, so unlike domain code they read the monotonic clock.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--rate", "60"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/_sim/health", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def the_mix(base: str, session: requests.Session) -> list[Callable[[], requests.Response]]:
    world = session.get(f"{base}/_sim/world", timeout=30).json()
    vins = [v["vin"] for v in world["accounts"][0]["vehicles"]]
    drivers = [d["driverNumber"] for d in world["accounts"][0].get("revealDrivers", [])][:4] or ["99"]
    bearer: dict[str, str] = {}
    atmosphere: dict[str, str] = {}

    def token() -> requests.Response:
        answer = session.post(f"{base}/_sim/tokens", timeout=30)
        if answer.status_code == 200:
            bearer["Authorization"] = f"Bearer {answer.json()['access_token']}"
        return answer

    def reveal_token() -> requests.Response:
        answer = session.get(f"{base}/reveal/token", auth=("demo", "demo"), timeout=30)
        if answer.status_code == 200:
            app_id = "atmosphere_app_id=fleetmatics-p-us-DEMOAPPID"
            atmosphere["Authorization"] = f"Atmosphere {app_id}, Bearer {answer.text}"
        return answer

    def fault_cycle() -> requests.Response:
        rule = {"match": {"api": "tachoshare", "method": "GET", "path": "/drivers"}, "times": 1,
                "respond": {"status": 503}}  # fmt: skip
        added = session.post(f"{base}/_sim/faults", json=rule, timeout=30)
        if added.status_code == 201:
            session.delete(f"{base}/_sim/faults/{added.json()['id']}", timeout=30)
        return added

    token()
    reveal_token()
    return [
        token,
        reveal_token,
        lambda: session.get(f"{base}/tachoshare/vehicles", headers=bearer, timeout=30),
        lambda: session.get(f"{base}/tachoshare/vehicles/{random.choice(vins)}", headers=bearer, timeout=30),
        lambda: session.get(f"{base}/tachoshare/drivers", headers=bearer, timeout=30),
        lambda: session.get(
            f"{base}/reveal/logbook/v1/driver/{random.choice(drivers)}/statuscurrent", headers=atmosphere, timeout=30
        ),
        lambda: session.get(
            f"{base}/reveal/logbook/v1/driver/{random.choice(drivers)}/remainingtime", headers=atmosphere, timeout=30
        ),
        lambda: session.get(f"{base}/_sim/journal", params={"limit": "20"}, timeout=30),
        fault_cycle,
        lambda: session.get(  # an invalid token of 4 KB: refused, never remembered
            f"{base}/tachoshare/vehicles",
            headers={"Authorization": f"Bearer {random.randbytes(2048).hex()}"},
            timeout=30,
        ),
        lambda: session.get(f"{base}/tachoshare/vehicles", headers={"X-Big": "x" * 20000}, timeout=30),  # 431
        lambda: session.post(f"{base}/_sim/reset", headers={"Origin": "https://evil.example"}, timeout=30),  # 403
        lambda: session.get(f"{base}/tachoshare/vehicles", params={"q": "x" * 3000}, headers=bearer, timeout=30),
    ]


def run(seconds: float, threads: int) -> dict[str, object]:
    port = free_port()
    server = start(port)
    base = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    rss: list[tuple[float, float]] = []
    began = time.monotonic()
    deadline = began + seconds
    lock = threading.Lock()

    def client(seed: int) -> None:
        random.seed(seed)
        session = requests.Session()
        mix = the_mix(base, session)
        while time.monotonic() < deadline:
            call = random.choice(mix)
            start_call = time.perf_counter()
            try:
                status = call().status_code
            except requests.RequestException:
                status = 0
            with lock:
                latencies.append(time.perf_counter() - start_call)
                statuses[status] += 1

    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    while time.monotonic() < deadline:
        rss.append((time.monotonic() - began, rss_mb(server.pid)))
        time.sleep(min(5.0, seconds / 20))
    for worker in workers:
        worker.join(60)
    rss.append((time.monotonic() - began, rss_mb(server.pid)))
    server.terminate()
    server.wait(30)
    warm = [mb for at, mb in rss if at >= seconds / 5]
    ordered = sorted(latencies)
    return {
        "seconds": seconds,
        "threads": threads,
        "requests": len(latencies),
        "statuses": dict(sorted(statuses.items())),
        "serverErrors": sum(n for status, n in statuses.items() if status >= 500 and status != 503),
        "p50Ms": round(statistics.median(ordered) * 1000, 1),
        "p99Ms": round(ordered[int(0.99 * (len(ordered) - 1))] * 1000, 1),
        "rssAfterWarmupMb": round(warm[0], 1),
        "rssEndMb": round(warm[-1], 1),
        "rssMaxMb": round(max(warm), 1),
        "rssGrowthPercent": round((warm[-1] - warm[0]) / warm[0] * 100, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    report = run(args.seconds, args.threads)
    print(json.dumps(report, indent=2))
    return 0 if report["serverErrors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
