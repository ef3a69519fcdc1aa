"""HTTP throughput of fleetmock against Stoplight Prism and a raw ASGI hello-world, with wrk on loopback.

Each server runs as a subprocess on a free loopback port (fleetmock with `--rate 0`), is polled until ready, gets a
short wrk warm-up and then one measured `wrk -t2 -c16 -d10s --latency` run with an Authorization header, and is
stopped before the next one starts. With `--rounds N` the servers take turns N times and the median run (by req/s)
of each is reported. The Markdown report goes to stdout, progress to stderr, wrk's own output to results/*.raw.

Servers are registered in `TARGETS`; `--only NAME` picks some of them.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from benchlib import (
    BENCH_DIR,
    LOOPBACK,
    ROOT,
    BenchError,
    ServerProcess,
    WrkResult,
    WrkSettings,
    fleetmock_command,
    free_port,
    http_request,
    markdown_table,
    run_wrk,
    running,
    verdict,
)

PRISM_BIN = BENCH_DIR / "node_modules" / ".bin" / "prism"
STATIC_BEARER = "Bearer bench-token"  # Prism only checks that a bearer is present; the hello-world ignores it
TARGET_RATIO_TO_PRISM = 1.0
AIM_RATIO_TO_PRISM = 2.0
TARGET_P99_MS = 25.0


@dataclass(frozen=True)
class Target:
    """One server under test: how to start it, when it is ready, what to load and which bearer to send."""

    name: str
    argv: Callable[[int], list[str]]
    ready_path: str
    bench_path: str
    authorize: Callable[[ServerProcess], str]
    ready_timeout_s: float = 60.0

    def shown_command(self) -> str:
        """The command line as a reader would type it: short program names, PORT for the chosen port."""
        words = self.argv(0)
        shown = [("PORT" if i and words[i - 1] in ("--port", "-p") else word) for i, word in enumerate(words)]
        shown[0] = {sys.executable: "python"}.get(shown[0], shown[0])
        return " ".join(shown).replace(str(ROOT) + "/", "").replace(str(Path(sys.executable).parent) + "/", "")


TARGETS: dict[str, Target] = {}


def register(target: Target) -> Target:
    TARGETS[target.name] = target
    return target


def _fleetmock_token(server: ServerProcess) -> str:
    answer = http_request(server.port, "POST", "/_sim/tokens", {"Content-Type": "application/json"}, b"{}")
    if answer.status != 200:
        raise BenchError(f"POST /_sim/tokens answered {answer.status}: {answer.body[:300]!r}")
    return f"Bearer {json.loads(answer.body)['access_token']}"


def _static_bearer(server: ServerProcess) -> str:
    return STATIC_BEARER


register(
    Target(
        name="fleetmock",
        argv=lambda port: [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", "0"],
        ready_path="/_sim/health",
        bench_path="/tachoshare/vehicles",
        authorize=_fleetmock_token,
    )
)


def _reveal_authorization(server: ServerProcess) -> str:
    basic = base64.b64encode(b"demo:demo").decode()
    answer = http_request(server.port, "GET", "/reveal/token", {"Authorization": f"Basic {basic}"})
    if answer.status != 200:
        raise BenchError(f"GET /reveal/token answered {answer.status}: {answer.body[:300]!r}")
    return f"Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer {answer.body.decode().strip()}"


register(
    Target(
        name="fleetmock-statuscurrent",  # issue 5: at least as fast as GET /tachoshare/vehicles
        argv=lambda port: [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", "0"],
        ready_path="/_sim/health",
        bench_path="/reveal/logbook/v1/driver/99/statuscurrent",
        authorize=_reveal_authorization,
    )
)
register(
    Target(
        name="prism",  # exactly the issue's `prism mock specs/tachoshare.yaml` (default logging at info)
        argv=lambda port: [
            str(PRISM_BIN),
            "mock",
            "-h",
            LOOPBACK,
            "-p",
            str(port),
            str(ROOT / "specs/tachoshare.yaml"),
        ],
        ready_path="/vehicles",
        bench_path="/vehicles",
        authorize=_static_bearer,
    )
)
register(
    Target(
        name="prism-quiet",  # Prism at its fastest setting we know of: logging only errors
        argv=lambda port: [
            str(PRISM_BIN),
            "mock",
            "-h",
            LOOPBACK,
            "-p",
            str(port),
            "-v",
            "error",
            str(ROOT / "specs/tachoshare.yaml"),
        ],
        ready_path="/vehicles",
        bench_path="/vehicles",
        authorize=_static_bearer,
    )
)
register(
    Target(
        name="asgi-hello",
        argv=lambda port: [sys.executable, str(BENCH_DIR / "hello_asgi.py"), "--host", LOOPBACK, "--port", str(port)],
        ready_path="/",
        bench_path="/tachoshare/vehicles",
        authorize=_static_bearer,
    )
)


@dataclass(frozen=True)
class Measurement:
    target: str
    command: str
    url_path: str
    result: WrkResult


def measure(target: Target, settings: WrkSettings, warmup_s: int, round_no: int) -> Measurement:
    port = free_port()
    with running(target.name, target.argv(port), port) as server:
        server.wait_ready(target.ready_path, {"Authorization": STATIC_BEARER}, timeout=target.ready_timeout_s)
        headers = {"Authorization": target.authorize(server)}
        probe = http_request(server.port, "GET", target.bench_path, headers)
        if probe.status != 200:
            raise BenchError(f"{target.name}: GET {target.bench_path} answered {probe.status}: {probe.body[:300]!r}")
        url = f"http://{LOOPBACK}:{port}{target.bench_path}"
        if warmup_s > 0:
            run_wrk(settings, url, headers, duration_s=warmup_s)
        result = run_wrk(settings, url, headers, raw_name=f"{target.name}.round{round_no}")
    if result.non2xx or result.socket_errors:
        raise BenchError(f"{target.name}: {result.non2xx} non-2xx answers and {result.socket_errors} socket errors")
    return Measurement(target.name, target.shown_command(), target.bench_path, result)


def median_run(runs: Sequence[Measurement]) -> Measurement:
    """The run whose rate is the (lower) median of the rounds, so its percentiles belong to one real run."""
    ordered = sorted(runs, key=lambda run: run.result.rate)
    return ordered[(len(ordered) - 1) // 2]


def _ratio(value: float, base: Measurement | None) -> str:
    return f"{value / base.result.rate:.2f}" if base and base.result.rate else "n/a"


def report(runs: dict[str, list[Measurement]], settings: WrkSettings) -> str:
    """The Markdown report: the median run of each server, every round's rate, ratios and the targets."""
    chosen = {name: median_run(measured) for name, measured in runs.items()}
    rounds = max(len(measured) for measured in runs.values())
    prism, hello, sim = chosen.get("prism"), chosen.get("asgi-hello"), chosen.get("fleetmock")
    rows = [
        [
            name,
            f"{m.result.rate:,.0f}",
            f"{m.result.p50_us / 1000:.2f}",
            f"{m.result.p99_us / 1000:.2f}",
            f"{m.result.bytes_per_response:,.0f}",
            _ratio(m.result.rate, prism),
            _ratio(m.result.rate, hello),
            " / ".join(f"{run.result.rate:,.0f}" for run in runs[name]),
        ]
        for name, m in chosen.items()
    ]
    header = ["server", "req/s", "p50 ms", "p99 ms", "bytes/resp", "ratio to Prism", "ratio to ASGI hello"]
    table = markdown_table([*header, "req/s of each round"], rows)
    lines = [
        f"wrk -t{settings.threads} -c{settings.connections} -d{settings.duration_s}s --latency "
        f"(median of {rounds} round{'s' if rounds != 1 else ''} by req/s; latencies from that run)",
        "",
        table,
        "",
        "Commands (PORT is a free loopback port):",
        "",
        *[f"- {name}: `{m.command}`, load on `GET {m.url_path}`" for name, m in chosen.items()],
    ]
    if sim and prism:
        ratio = sim.result.rate / prism.result.rate
        p99_ms = sim.result.p99_us / 1000
        lines += [
            "",
            f"- Throughput vs Prism: {ratio:.2f} (target >= {TARGET_RATIO_TO_PRISM:.1f}, aim "
            f"{AIM_RATIO_TO_PRISM:.1f}): {verdict(ratio >= TARGET_RATIO_TO_PRISM)}",
            f"- fleetmock p99 {p99_ms:.2f} ms (target < {TARGET_P99_MS:.0f} ms): {verdict(p99_ms < TARGET_P99_MS)}",
        ]
    quiet = chosen.get("prism-quiet")
    if sim and quiet:
        lines.append(
            f"- For reference, against Prism logging only errors (`-v error`): "
            f"{sim.result.rate / quiet.result.rate:.2f}. The target is stated against the plain command."
        )
    if sim and prism and sim.result.bytes_per_response > prism.result.bytes_per_response:
        lines.append(
            f"- Prism answers with the spec's static example ({prism.result.bytes_per_response:,.0f} bytes); "
            f"fleetmock computes the demo world's list ({sim.result.bytes_per_response:,.0f} bytes)."
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(TARGETS), help="servers to run (repeatable)")
    parser.add_argument("--rounds", type=int, default=1, help="times each server is measured (median reported)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured wrk load before each run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", dest="json_path", default=None, help="also write every run as JSON here")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.duration < 1:
        parser.error("--rounds and --duration must be at least 1")
    names = args.only or ["fleetmock", "prism", "prism-quiet", "asgi-hello"]
    if any(name.startswith("prism") for name in names) and not PRISM_BIN.exists():
        parser.error(f"Prism is not installed at {PRISM_BIN}: run `npm ci --prefix bench` (or bench/run.sh)")
    settings = WrkSettings(threads=args.threads, connections=args.connections, duration_s=args.duration)
    runs: dict[str, list[Measurement]] = {name: [] for name in names}
    try:
        for round_no in range(1, args.rounds + 1):
            for name in names:
                print(f"bench_http: round {round_no}/{args.rounds}: {name} ...", file=sys.stderr, flush=True)
                run = measure(TARGETS[name], settings, args.warmup, round_no)
                print(
                    f"bench_http:   {run.result.rate:,.0f} req/s, p99 {run.result.p99_us / 1000:.2f} ms",
                    file=sys.stderr,
                    flush=True,
                )
                runs[name].append(run)
    except BenchError as exc:
        print(f"bench_http: {exc}", file=sys.stderr)
        return 1
    if args.json_path:
        dump = {
            name: [asdict(run.result) | {"rate": run.result.rate} for run in measured]
            for name, measured in runs.items()
        }
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(dump, handle, indent=2)
    print(report(runs, settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
