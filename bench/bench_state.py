"""State backends side by side, in one run: what PostgreSQL's per-request generation check adds to a read (issue 12).

Setups, all `fleetmock serve --vehicles 600` subprocesses started together: one instance in memory, one on SQLite,
one on PostgreSQL, and three on PostgreSQL behind a round-robin client. PostgreSQL is a real server from the
`pgserver` wheel on loopback (`tests/pg/pgharness.py`), fsync off as in the tests.

1. Reads, interleaved: GET /tachoshare/vehicles (the demo world's vehicle list), each request alone on a
   keep-alive connection, one request to each setup per round in a rotating order. Every setup thus sees the same
   moments of the machine's load, which on a shared machine matters more than anything measured: compare the
   setups of one run, not runs. On PostgreSQL each read makes two round trips (the generation check, which also
   draws the trace number, and the journal insert).
2. Writes: POST /tachoshare/vehicles/{vin}/rdl, one per vehicle, interleaved the same way.
3. In process, on loopback, without HTTP: the generation check (`PostgresStore.begin_request`) and the journal
   insert (`PgJournal.add`) alone, which is all PostgreSQL adds to a read.
4. Throughput: reads from 8 client threads at once, each setup in turn.

Target: PostgreSQL adds under 2 ms to the p99 of a read (read p99 on PostgreSQL minus read p99 in memory).
Run: .venv/bin/python bench/bench_state.py [--reads N] [--markdown]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.pg.pgharness import Instance, PgServer, start_instances, stop_instances

VEHICLES = 600
READ = "/tachoshare/vehicles"
TARGET_MS = 2.0


def _connection(base: str) -> http.client.HTTPConnection:
    host, port = base.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=60)


def _call(conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str]) -> tuple[int, float]:
    began = time.perf_counter()
    conn.request(method, path, headers=headers)
    answer = conn.getresponse()
    answer.read()
    return answer.status, (time.perf_counter() - began) * 1000


def _timed(conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str]) -> tuple[int, float]:
    """`_call`, once more on a fresh connection if the server had closed this one while it was idle (uvicorn does
    after 5 s): the retry's time is what is reported."""
    try:
        return _call(conn, method, path, headers)
    except (ConnectionError, http.client.RemoteDisconnected):
        conn.close()
        return _call(conn, method, path, headers)


def _summary(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50": round(cuts[49], 3), "p99": round(cuts[98], 3)}


def _json(conn: http.client.HTTPConnection, method: str, path: str) -> object:
    conn.request(method, path, body=b"{}" if method == "POST" else None, headers={"content-type": "application/json"})
    return json.loads(conn.getresponse().read())


class Setup:
    """One setup's instances, a keep-alive connection to each (used in turn) and its credentials."""

    def __init__(self, label: str, instances: list[Instance]) -> None:
        self.label = label
        self.bases = [i.base for i in instances]
        self.conns = [_connection(base) for base in self.bases]
        self._ring = itertools.cycle(self.conns)
        token = _json(self.conns[0], "POST", "/_sim/tokens")["access_token"]  # type: ignore[index]
        self.headers = {"Authorization": f"Bearer {token}"}
        world = _json(self.conns[0], "GET", "/_sim/world")
        self.vins = [v["vin"] for v in world["accounts"][0]["vehicles"]]  # type: ignore[index]

    def call(self, method: str, path: str) -> tuple[int, float]:
        return _timed(next(self._ring), method, path, self.headers)


def interleaved(setups: list[Setup], rounds: int, request: Callable[[Setup, int], tuple[int, float]]) -> list[list]:
    """`rounds` rounds of one request per setup, the order rotating each round; the latencies and statuses."""
    results: list[list[tuple[int, float]]] = [[] for _ in setups]
    order = list(range(len(setups)))
    for n in range(rounds):
        shift = n % len(order)
        for index in order[shift:] + order[:shift]:
            results[index].append(request(setups[index], n))
    return results


def throughput(setup: Setup, reads: int) -> float:
    def reader(n: int) -> None:
        conn = _connection(setup.bases[n % len(setup.bases)])
        for _ in range(reads // 8):
            _call(conn, "GET", READ, setup.headers)
        conn.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(reader, range(8)))
    return (reads // 8) * 8 / (time.perf_counter() - began)


def in_process(url: str, count: int) -> dict[str, dict[str, float]]:
    """The generation check and the journal insert alone, against a fresh database on the same server."""
    from mockserver.journal import JournalEntry
    from mockserver.simulator import state_sections
    from mockserver.stores.opening import open_postgres

    shared = open_postgres(url, state_sections())
    entry = JournalEntry(0, datetime(2026, 1, 1, tzinfo=UTC), time.time(), "tachoshare", "GET", READ, "", 200,
                         "demo", "listVehicles", None, "0" * 16, 1.0)  # fmt: skip
    timings: dict[str, dict[str, float]] = {}
    for label, step in (
        ("generation check", shared.store.begin_request),
        ("journal insert", lambda: shared.journal.add(entry)),
    ):
        for _ in range(200):  # warm-up
            step()
        took = []
        for _ in range(count):
            began = time.perf_counter()
            step()
            took.append((time.perf_counter() - began) * 1000)
        timings[label] = _summary(took)
    shared.store.close()
    return timings


def measure(setups: list[Setup], reads: int) -> dict[str, dict[str, object]]:
    interleaved(setups, 300, lambda setup, _: setup.call("GET", READ))  # warm-up: connections, read caches
    reads_by = interleaved(setups, reads, lambda setup, _: setup.call("GET", READ))
    writes_by = interleaved(setups, VEHICLES, lambda setup, n: setup.call("POST", f"{READ}/{setup.vins[n]}/rdl"))
    results: dict[str, dict[str, object]] = {}
    for setup, read, write in zip(setups, reads_by, writes_by, strict=True):
        results[setup.label] = {
            "read": {**_summary([ms for _, ms in read]), "statuses": sorted({s for s, _ in read})},
            "rdl": {**_summary([ms for _, ms in write]), "statuses": sorted({s for s, _ in write})},
        }
    for setup in setups:
        results[setup.label]["read8 rps"] = round(throughput(setup, reads))
    return results


def markdown(results: dict[str, dict[str, object]], process: dict[str, dict[str, float]], context: str) -> str:
    base = results["memory"]["read"]["p99"]  # type: ignore[index]
    lines = [
        context,
        "",
        "| setup | read p50 ms | read p99 ms | read p99 minus memory's | RDL POST p50 / p99 ms | reads/s, 8 threads |",
        "| :--- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, row in results.items():
        read, rdl = row["read"], row["rdl"]
        added = "" if label == "memory" else f"{read['p99'] - base:+.2f}"  # type: ignore[index]
        lines.append(
            f"| {label} | {read['p50']:.2f} | {read['p99']:.2f} | {added} | "  # type: ignore[index]
            f"{rdl['p50']:.1f} / {rdl['p99']:.1f} | {row['read8 rps']:,} |"  # type: ignore[index]
        )
    lines += ["", "In process, on loopback, without HTTP (what PostgreSQL adds to each read):", ""]
    lines += [f"- {label}: p50 {t['p50']:.3f} ms, p99 {t['p99']:.3f} ms" for label, t in process.items()]
    pg = results["postgresql"]["read"]["p99"] - base  # type: ignore[index,operator]
    verdict = "met" if pg < TARGET_MS else "not met in this run"
    lines += ["", f"Target: PostgreSQL adds < {TARGET_MS:g} ms to the read p99: {pg:+.2f} ms, {verdict}."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reads", type=int, default=3000, help="read rounds (one request per setup each)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown report (else JSON lines)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    pg = PgServer()
    pg.init()
    pg.start()
    started: list[Instance] = []
    scale = ("--vehicles", str(VEHICLES))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            plan = {
                "memory": (None, 1),
                "sqlite": (str(Path(tmp) / "state.sqlite"), 1),
                "postgresql": (pg.create_database(), 1),
                "postgresql x3 round-robin": (pg.create_database(), 3),
            }
            setups = []
            for label, (state, count) in plan.items():
                instances = start_instances(state, count, *scale)
                started += instances
                setups.append(Setup(label, instances))
            results = measure(setups, args.reads)
            process = in_process(pg.create_database(), args.reads)
    finally:
        stop_instances(started)
        pg.stop("immediate")
        pg.remove()
    load = (
        f"load average (1 min) {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )
    if args.markdown:
        context = f"`python bench/bench_state.py --reads {args.reads}`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {load}."
        print(markdown(results, process, context))
    else:
        for label, row in results.items():
            print(label, json.dumps(row), flush=True)
        print("in process", json.dumps(process))
        print(load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
