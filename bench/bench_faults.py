"""Throughput with 10 fault rules installed and the journal on, against the same server without them.

Target: within 15% of the run without them. Both runs: `fleetmock serve --rate 0`, `wrk -t2 -c16 -d10s` on
GET /tachoshare/vehicles with a valid token, on loopback. The ten rules match other paths or APIs (as a QA setup
targeting one operation would), so every request is checked against all ten without any firing.
Run: .venv/bin/python bench/bench_faults.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

from benchlib import LOOPBACK, WrkSettings, fleetmock_command, free_port, http_request, markdown_table, run_wrk, running

RULES = [
    {"match": {"api": "reveal", "path": "/logbook/*"}, "latencyMs": 500},
    {"match": {"api": "oauth", "method": "POST", "path": "/token"}, "probability": 0.5, "respond": {"status": 503}},
    {"match": {"api": "tachoshare", "method": "POST", "path": "/vehicles/*/rdl"}, "drop": True},
    {"match": {"api": "tachoshare", "path": "/vehicles/*/files"}, "truncate": True},
    {"match": {"api": "tachoshare", "path": "/drivers/*/files"}, "trickle": {"chunkBytes": 64, "delayMs": 5}},
    {"match": {"api": "tachoshare", "operationId": "listCompanyCards"}, "respond": {"status": 500}},
    {"match": {"api": "tachoshare", "path": "/companyCardGroups"}, "latencyMs": 100},
    {"match": {"api": "tachoshare", "path": "/vehicles", "account": "acme"}, "respond": {"status": 503}},
    {"match": {"api": "*", "method": "DELETE"}, "drop": True},
    {"match": {"api": "tachoshare", "path": "/drivers"}, "after": 1000000, "respond": {"status": 429}},
]


def one_run(with_faults: bool, settings: WrkSettings, label: str) -> tuple[float, float]:
    port = free_port()
    argv = [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", "0"]
    if not with_faults:
        argv.append("--no-journal")
    with running(label, argv, port) as server:
        server.wait_ready("/_sim/health")
        token = json.loads(http_request(port, "POST", "/_sim/tokens").body)["access_token"]
        if with_faults:
            for rule in RULES:
                answer = http_request(
                    port, "POST", "/_sim/faults", {"content-type": "application/json"}, body=json.dumps(rule).encode()
                )
                assert answer.status == 201, answer.body
        headers = {"Authorization": f"Bearer {token}"}
        url = f"http://{LOOPBACK}:{port}/tachoshare/vehicles"
        run_wrk(settings, url, headers, duration_s=2)  # warm-up
        result = run_wrk(settings, url, headers, raw_name=label)
    return result.rate, result.p99_us / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = WrkSettings()
    plain, faulty = [], []
    for round_ in range(args.rounds):
        plain.append(one_run(False, settings, f"faults-off-{round_}"))
        faulty.append(one_run(True, settings, f"faults-on-{round_}"))
        print(f"round {round_ + 1}: without {plain[-1][0]:.0f} req/s, with {faulty[-1][0]:.0f} req/s", file=sys.stderr)
    off = statistics.median(r for r, _ in plain)
    on = statistics.median(r for r, _ in faulty)
    rows = [
        ["no rules, journal off", f"{off:,.0f}", f"{statistics.median(p for _, p in plain):.2f}"],
        ["10 rules, journal on", f"{on:,.0f}", f"{statistics.median(p for _, p in faulty):.2f}"],
    ]
    print(markdown_table(["server", "req/s (median)", "p99 ms"], rows))
    change = (on - off) / off * 100
    print(f"\nthroughput change: {change:+.1f}% (target: no worse than -15%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
