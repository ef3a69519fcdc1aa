"""State backends side by side: one instance in memory, on SQLite, on PostgreSQL, and three on PostgreSQL.

For each setup, in one run: GET /tachoshare/vehicles (the demo world's vehicle list) and POST
/tachoshare/vehicles/{vin}/rdl (a write: one manual RDL per vehicle of a 600-vehicle world), each request sent
alone on a keep-alive connection (the latency a client sees, and what PostgreSQL adds to it), the three-instance
setup going round-robin; then reads from 8 client threads at once for throughput. PostgreSQL is a real server
from the `pgserver` wheel on loopback (`tests/pg/pgharness.py`), fsync off as in the tests.
Target: PostgreSQL adds under 2 ms to the p99 of a read.
Run: .venv/bin/python bench/bench_state.py [--reads N]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.pg.pgharness import PgServer, start_instances, stop_instances

VEHICLES = 600


def _connection(base: str) -> http.client.HTTPConnection:
    host, port = base.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=30)


def _call(conn: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str]) -> tuple[int, float]:
    began = time.perf_counter()
    conn.request(method, path, headers=headers)
    answer = conn.getresponse()
    answer.read()
    return answer.status, (time.perf_counter() - began) * 1000


def _summary(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {"p50": round(cuts[49], 2), "p99": round(cuts[98], 2)}


def measure(bases: list[str], reads: int) -> dict[str, object]:
    conns = [_connection(base) for base in bases]
    token = json.loads(_post(conns[0], "/_sim/tokens"))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    vins = [v["vin"] for v in json.loads(_get(conns[0], "/_sim/world"))["accounts"][0]["vehicles"]]
    ring = itertools.cycle(conns)
    for _ in range(300):  # warm-up
        _call(next(ring), "GET", "/tachoshare/vehicles", headers)
    began = time.perf_counter()
    read = [_call(next(ring), "GET", "/tachoshare/vehicles", headers)[1] for _ in range(reads)]
    read_rps = reads / (time.perf_counter() - began)
    writes = [_call(next(ring), "POST", f"/tachoshare/vehicles/{vin}/rdl", headers) for vin in vins]
    statuses = sorted({status for status, _ in writes})

    def reader(n: int) -> None:
        conn = _connection(bases[n % len(bases)])
        for _ in range(reads // 8):
            _call(conn, "GET", "/tachoshare/vehicles", headers)

    began = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(reader, range(8)))
    parallel_rps = (reads // 8) * 8 / (time.perf_counter() - began)
    return {
        "read": {**_summary(read), "rps": round(read_rps)},
        "read8": {"rps": round(parallel_rps)},
        "rdl": {**_summary([ms for _, ms in writes]), "statuses": statuses},
    }


def _post(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("POST", path, body=b"{}", headers={"content-type": "application/json"})
    return conn.getresponse().read()


def _get(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("GET", path)
    return conn.getresponse().read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reads", type=int, default=3000)
    args = parser.parse_args()
    pg = PgServer()
    pg.init()
    pg.start()
    results: dict[str, object] = {}
    scale = ("--vehicles", str(VEHICLES))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            setups: dict[str, tuple[str | None, int]] = {
                "memory": (None, 1),
                "sqlite": (str(Path(tmp) / "state.sqlite"), 1),
                "postgresql": (pg.create_database(), 1),
                "postgresql x3": (pg.create_database(), 3),
            }
            for label, (state, count) in setups.items():
                instances = start_instances(state, count, *scale)
                try:
                    results[label] = measure([i.base for i in instances], args.reads)
                finally:
                    stop_instances(instances)
                print(label, json.dumps(results[label]), flush=True)
    finally:
        pg.stop("immediate")
        pg.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
