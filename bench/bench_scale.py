"""Large worlds through a real server (issue 13): readiness, the first lists, streaming and memory.

Starts `fleetmock serve --vehicles N --drivers N --rate 0` (N = 10,000 and 100,000 by default, one fresh server each),
then, with one token: `GET /tachoshare/vehicles` (time to the first byte of the body, to the last byte, bytes), `GET
/tachoshare/drivers`, a 30-day `POST /_sim/clock/advance`, and `GET /tachoshare/vehicles` again. After each step it
reads the server's resident set (VmRSS) and its peak (VmHWM), and the server's own CPU time (utime + stime from
/proc/PID/stat), which a busy machine disturbs far less than wall-clock time.

Targets (issue 13): 10,000 vehicles and drivers: ready < 3 s, first list < 500 ms, after +30 days < 500 ms, RSS <
300 MB; 100,000: ready < 30 s, first list < 5 s, first byte < 200 ms, RSS < 2 GB. Markdown to stdout. Run:

    .venv/bin/python bench/bench_scale.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchlib import LOOPBACK, BenchError, fleetmock_command, free_port, http_request, markdown_table, running

DAY_S = 86_400
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """The process's user + system CPU seconds so far."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in decimal megabytes."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024 / 1e6
    return values["VmRSS"], values["VmHWM"]


@dataclass(frozen=True)
class Step:
    what: str
    status: int
    bytes: int
    first_byte_s: float
    last_byte_s: float
    cpu_s: float
    rss_mb: float
    peak_mb: float


def timed_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, int, float, float]:
    """(status, body bytes, seconds to the first body byte, seconds to the last)."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=600)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        first = response.read(1)
        first_at = time.perf_counter() - started
        rest = response.read()
        return response.status, len(first) + len(rest), first_at, time.perf_counter() - started
    finally:
        conn.close()


def bearer(port: int) -> dict[str, str]:
    token = http_request(port, "POST", "/_sim/tokens", {"Content-Type": "application/json"}, b"{}")
    if token.status != 200:
        raise BenchError(f"POST /_sim/tokens answered {token.status}")
    return {"Authorization": f"Bearer {json.loads(token.body)['access_token']}"}


def measure(size: int) -> tuple[float, float, float, float, list[Step]]:
    """(ready s, CPU s to ready, RSS and peak MB once ready, the steps) of one fresh server of `size`."""
    port = free_port()
    argv = [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", "0"]
    argv += ["--vehicles", str(size), "--drivers", str(size)]
    started = time.perf_counter()
    with running(f"scale-{size}", argv, port) as server:
        server.wait_ready("/_sim/health", timeout=600.0, poll=0.02)
        ready = time.perf_counter() - started
        ready_cpu = cpu_s(server.pid)
        rss, peak = memory_mb(server.pid)
        headers = bearer(port)
        steps = []
        for what, path in (
            ("first GET /tachoshare/vehicles", "/tachoshare/vehicles"),
            ("first GET /tachoshare/drivers", "/tachoshare/drivers"),
            ("GET /tachoshare/vehicles again, same instant", "/tachoshare/vehicles"),
            ("advance 30 days", ""),
            ("GET /tachoshare/vehicles after +30 days", "/tachoshare/vehicles"),
        ):
            before = cpu_s(server.pid)
            if path:
                status, size_b, first, last = timed_get(port, path, headers)
            else:
                t0 = time.perf_counter()
                body = json.dumps({"seconds": 30 * DAY_S}).encode()
                answer = http_request(port, "POST", "/_sim/clock/advance", {"Content-Type": "application/json"}, body)
                status, size_b, first, last = answer.status, len(answer.body), 0.0, time.perf_counter() - t0
                headers = bearer(port)  # the first token expired with the move
            steps.append(Step(what, status, size_b, first, last, cpu_s(server.pid) - before, *memory_mb(server.pid)))
            print(f"bench_scale: {size:,}: {what}: {last:.2f} s", file=sys.stderr, flush=True)
    return ready, ready_cpu, rss, peak, steps


def report(size: int, ready: float, ready_cpu: float, rss: float, peak: float, steps: list[Step]) -> str:
    rows = [["ready (spawn to health 200)", "", f"{ready:.2f} s", f"{ready_cpu:.2f} s", f"{rss:.0f} / {peak:.0f}"]]
    for s in steps:
        first = f"{s.first_byte_s * 1000:.0f} ms; " if s.bytes and s.first_byte_s else ""
        rows.append(
            [
                s.what,
                f"{s.status}, {s.bytes:,} B",
                f"{first}{s.last_byte_s:.2f} s",
                f"{s.cpu_s:.2f} s",
                f"{s.rss_mb:.0f} / {s.peak_mb:.0f}",
            ]
        )
    table = markdown_table(
        ["step", "answer", "wall: first byte; last byte", "server CPU", "RSS / peak MB after"],
        rows,
    )
    return f"{size:,} vehicles and {size:,} drivers (`--vehicles {size} --drivers {size} --rate 0`):\n\n{table}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args(argv)
    out = []
    try:
        for size in args.sizes:
            out.append(report(size, *measure(size)))
    except BenchError as exc:
        print(f"bench_scale: {exc}", file=sys.stderr)
        return 1
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
