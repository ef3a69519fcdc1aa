"""The engine under load (issue 13): fleetmock with a fresh credential on every request, beside Prism, in one run.

The read cache of fleetmock answers a repeated request (same path, same credential, same instant) from memory; this
benchmark measures what the simulator computes when that cannot happen, as many CI pipelines with their own tokens
would load it. Each row is one `wrk -t2 -c16 -dDs` run (after a short warm-up) of one server on one route:

- prism / prism-reveal: `prism mock -v error` on specs/tachoshare.yaml / specs/reveal.yaml, the static example;
- fleetmock (rate 0) and fleetmock --rate 60 (the clock running): GET /tachoshare/vehicles, GET
  /tachoshare/vehicles/{vin} over every VIN of the world, GET /tachoshare/drivers, and Reveal statuscurrent over
  every driver, each request with the next of TOKENS credentials (bench/wrk_rotate.lua);
- fleetmock with one token (the read cache path) beside a raw ASGI hello-world served like fleetmock.

Prism and the hello-world stay up (idle) for the whole run, and each of their rows is measured right after the
fleetmock row it is compared with (again beside the --rate 60 rows), so a ratio compares two runs taken under the
same load of a shared machine's other sessions.

Why no request of a rotating run can be a read-cache hit: a hit needs the same credential, path and instant to be
among the 256 answers the cache keeps (a `Memo`: the least recently used answer goes first; a streamed answer is
never kept). wrk_rotate.lua gives each wrk thread its own share of the credentials, so a credential comes back only
after its thread sent every other credential of its share (at least 600 / 2 - 1 = 299 of them), each a distinct
key answered after it; with 299 > 256 more recent keys, the first answer was dropped before its key came back.
With `--rate 60` the instant differs as well. The Markdown report goes to stdout, progress to stderr, wrk's output
to results/engine.*.wrk.raw.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
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
ROTATE_SCRIPT = BENCH_DIR / "wrk_rotate.lua"
TOKENS = 1200
TOKENS_RUNNING = 600  # with the clock running (see _fleetmock_rows)
TARGET_RATIO_TO_PRISM = 2.0
TARGET_P99_MS = 10.0
TARGET_RATIO_TO_HELLO = 0.5
ROUTES = ("vehicles", "vehicle", "drivers", "statuscurrent")


@dataclass(frozen=True)
class Measured:
    result: WrkResult
    cpu_us: float  # the server's CPU time (user + system) per request during the measured run


@dataclass(frozen=True)
class Row:
    name: str
    route: str
    measured: Measured
    baseline: str | None  # the row this one is compared with

    @property
    def result(self) -> WrkResult:
        return self.measured.result


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` so far (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _requests_file(lines: Sequence[tuple[str, str]]) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".requests", delete=False, encoding="utf-8") as handle:
        handle.writelines(f"{path}\t{authorization}\n" for path, authorization in lines)
    return Path(handle.name)


def _load(
    server: ServerProcess, settings: WrkSettings, lines: Sequence[tuple[str, str]], raw: str, warmup_s: int
) -> Measured:
    url = f"http://{LOOPBACK}:{server.port}/"
    path = _requests_file(lines)
    try:
        script = (ROTATE_SCRIPT, [str(path), str(settings.threads)])
        first, authorization = lines[0]
        probe = http_request(server.port, "GET", first, {"Authorization": authorization, "Accept": "application/json"})
        if probe.status != 200:
            raise BenchError(f"{raw}: GET {first} answered {probe.status}: {probe.body[:300]!r}")
        if warmup_s:
            run_wrk(settings, url, {}, duration_s=warmup_s, script=script)
        cpu_before = _cpu_seconds(server.pid)
        result = run_wrk(settings, url, {}, raw_name=f"engine.{raw}", script=script)
        cpu = _cpu_seconds(server.pid) - cpu_before
    finally:
        path.unlink()
    if result.socket_errors or result.non2xx > result.requests // 10:
        raise BenchError(f"{raw}: {result.non2xx} non-2xx answers and {result.socket_errors} socket errors")
    return Measured(result, cpu * 1e6 / max(1, result.requests))


def _mint(
    server: ServerProcess, count: int, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> list[bytes]:
    """`count` answers of one request, on one kept-alive connection (minting stays well inside a token's life)."""
    conn = http.client.HTTPConnection(LOOPBACK, server.port, timeout=10)
    answers = []
    try:
        for _ in range(count):
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status != 200:
                raise BenchError(f"{method} {path} answered {response.status}: {answer[:300]!r}")
            answers.append(answer)
    finally:
        conn.close()
    return answers


def _tachoshare_tokens(server: ServerProcess, count: int) -> list[str]:
    answers = _mint(server, count, "POST", "/_sim/tokens", {"Content-Type": "application/json"}, b"{}")
    return [f"Bearer {json.loads(answer)['access_token']}" for answer in answers]


def _reveal_tokens(server: ServerProcess, count: int) -> list[str]:
    basic = {"Authorization": "Basic " + base64.b64encode(b"demo:demo").decode()}
    answers = _mint(server, count, "GET", "/reveal/token", basic, None)
    return [f"Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer {a.decode().strip()}" for a in answers]


def _world_keys(server: ServerProcess, bearer: str, reveal: str) -> tuple[list[str], list[str]]:
    """Every VIN the demo user sees, and every Reveal driver of the demo account with a status (106 is outside the
    data plan: a 400 by design)."""
    answer = http_request(server.port, "GET", "/tachoshare/vehicles", {"Authorization": bearer})
    vins = [item["vin"] for item in json.loads(answer.body)["items"]]
    world = json.loads(http_request(server.port, "GET", "/_sim/world").body)
    numbers = [
        str(driver["driverNumber"])
        for account in world.get("accounts", [])[:1]  # the demo account, whose user the Basic credentials are
        for driver in account.get("revealDrivers", [])
    ]
    statuscurrent = "/reveal/logbook/v1/driver/{}/statuscurrent"
    numbers = [
        n
        for n in numbers
        if http_request(server.port, "GET", statuscurrent.format(n), {"Authorization": reveal}).status == 200
    ]
    if not vins or not numbers:
        raise BenchError(f"no VINs ({len(vins)}) or Reveal drivers ({len(numbers)}) to load")
    return vins, numbers


def _route_lines(
    route: str, tokens: list[str], reveal: list[str], vins: list[str], numbers: list[str], prefix: str = ""
) -> list[tuple[str, str]]:
    """One (path, Authorization) per credential; `prefix` "" for Prism, which serves each spec at its root."""
    logbook = "/reveal/logbook/v1/driver" if prefix else "/logbook/v1/driver"
    table: dict[str, Callable[[int], tuple[str, str]]] = {
        "vehicles": lambda i: (f"{prefix}/vehicles", tokens[i]),
        "vehicle": lambda i: (f"{prefix}/vehicles/{vins[i % len(vins)]}", tokens[i]),
        "drivers": lambda i: (f"{prefix}/drivers", tokens[i]),
        "statuscurrent": lambda i: (f"{logbook}/{numbers[i % len(numbers)]}/statuscurrent", reveal[i]),
    }
    return [table[route](i) for i in range(len(tokens))]


@contextmanager
def _frozen(server: ServerProcess, rate: str) -> Iterator[None]:
    """The clock stopped while credentials are minted, then running at `rate` again: every credential then has its
    whole life ahead when the run starts. A Reveal token lives 20 simulated minutes, 20 s at rate 60; minted on a
    running clock, one by one, on a busy machine (600 took 2-3 s here at load 5, several times that at load 25),
    the first ones expired before an 8 s run ended, and Reveal answered them 400 "The provided token has an invalid
    format." (its answer for an expired token): the 125 non-2xx statuscurrent answers of the 2026-12-06 run."""
    clock = {"Content-Type": "application/json"}
    http_request(server.port, "PUT", "/_sim/clock", clock, json.dumps({"rate": 0}).encode())
    try:
        yield
    finally:
        answer = http_request(server.port, "PUT", "/_sim/clock", clock, json.dumps({"rate": float(rate)}).encode())
        if answer.status != 200:
            raise BenchError(f"PUT /_sim/clock answered {answer.status}: {answer.body[:300]!r}")


def _fleetmock_rows(
    settings: WrkSettings, rate: str, warmup_s: int, keys: list[list[str]], beside: Beside
) -> list[Row]:
    """The four rotating routes on one server (and the read cache path at rate 0); `keys` receives VINs, numbers.
    Right after each row, `beside` measures the row it is compared with (Prism's on the same route, the
    hello-world's beside the read cache), so both are taken under the same load of the machine's other sessions.

    With the clock running, credentials are minted just before each route's run, the clock stopped meanwhile
    (`_frozen`): a Reveal token lives 20 simulated minutes, 20 s at rate 60 (fewer of them then, still more per wrk
    thread than the read cache holds)."""
    port = free_port()
    argv = [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", rate, "--no-journal"]
    name = "fleetmock" if rate == "0" else f"fleetmock --rate {rate}"
    count = TOKENS if rate == "0" else TOKENS_RUNNING
    rows = []
    with running(f"engine-fleetmock-{rate}", argv, port) as server:
        server.wait_ready("/_sim/health", timeout=60)
        tokens, reveal = _tachoshare_tokens(server, count), _reveal_tokens(server, count)
        vins, numbers = _world_keys(server, tokens[0], reveal[0])
        keys[:] = [vins, numbers]
        for route in ROUTES:
            if rate != "0":
                with _frozen(server, rate):
                    tokens, reveal = (
                        (_tachoshare_tokens(server, count), reveal)
                        if route != "statuscurrent"
                        else (tokens, _reveal_tokens(server, count))
                    )
            lines = _route_lines(route, tokens, reveal, vins, numbers, "/tachoshare")
            short = rate != "0" and route == "statuscurrent"  # no warm-up: the tokens would expire before the end
            result = _load(server, settings, lines, f"{rate}.{route}", 0 if short else warmup_s)
            compared = beside.prism(route, vins, numbers, rate)
            rows.append(Row(f"{name}, {count:,} tokens", route, result, compared.name if compared else None))
            rows += [compared] if compared else []
        if rate == "0":
            result = _load(server, settings, [("/tachoshare/vehicles", tokens[0])], "cached", warmup_s)
            hello = beside.hello()
            rows += [Row(f"{name}, one token (read cache)", "vehicles", result, hello.name), hello]
    return rows


PRISM_SPECS = {"tachoshare": ROUTES[:3], "reveal": ROUTES[3:]}


class Beside:
    """The servers fleetmock's rows are compared with, started on first use and kept running (idle) for the whole
    run: Prism `-v error` on each spec (it checks only that a credential is present) and the raw ASGI hello-world.
    Each of their rows is measured right after the fleetmock row it is compared with: a ratio of two rows taken
    minutes apart on a shared machine said more about the other sessions than about the servers."""

    def __init__(self, settings: WrkSettings, warmup_s: int, stack: ExitStack, prism: bool) -> None:
        self.settings, self.warmup_s, self.stack, self.with_prism = settings, warmup_s, stack, prism
        self.servers: dict[str, ServerProcess] = {}

    def _server(self, name: str, argv: list[str], ready: tuple[str, str]) -> ServerProcess:
        if name not in self.servers:
            port = free_port()
            command = [a.replace("{port}", str(port)) for a in argv]
            server = self.stack.enter_context(running(f"engine-{name}", command, port))
            server.wait_ready(ready[0], {"Authorization": ready[1]}, timeout=60, poll=0.2)
            self.servers[name] = server
        return self.servers[name]

    def prism(self, route: str, vins: list[str], numbers: list[str], rate: str) -> Row | None:
        if not self.with_prism:
            return None
        spec = "reveal" if route in PRISM_SPECS["reveal"] else "tachoshare"
        name = "prism-reveal" if spec == "reveal" else "prism"
        bearer = ["Bearer bench-token"] * TOKENS
        atmosphere = ["Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer bench-token"] * TOKENS
        lines = _route_lines(route, bearer, atmosphere, vins, numbers)
        argv = [str(PRISM_BIN), "mock", "-h", LOOPBACK, "-p", "{port}", "-v", "error", str(ROOT / f"specs/{spec}.yaml")]
        server = self._server(name, argv, lines[0])
        label = name if rate == "0" else f"{name} (beside --rate {rate})"
        raw = f"{name}.{route}" if rate == "0" else f"{name}.{rate}.{route}"
        return Row(label, route, _load(server, self.settings, lines, raw, self.warmup_s), None)

    def hello(self) -> Row:
        argv = [sys.executable, str(BENCH_DIR / "hello_asgi.py"), "--host", LOOPBACK, "--port", "{port}"]
        server = self._server("asgi-hello", argv, ("/", "none"))
        measured = _load(server, self.settings, [("/", "none")], "hello", self.warmup_s)
        return Row("asgi-hello", "vehicles", measured, None)


PATHS = {
    "vehicles": "GET /tachoshare/vehicles",
    "vehicle": "GET /tachoshare/vehicles/{vin}, every VIN",
    "drivers": "GET /tachoshare/drivers",
    "statuscurrent": "GET /reveal/.../driver/{n}/statuscurrent, every driver",
}


def report(rows: list[Row], settings: WrkSettings, warmup_s: int) -> str:
    by_key = {(row.name, row.route): row for row in rows}
    table, verdicts = [], []
    for row in rows:
        base = by_key.get((row.baseline, row.route)) or by_key.get((row.baseline, "vehicles")) if row.baseline else None
        ratio = row.result.rate / base.result.rate if base and base.result.rate else None
        p99 = row.result.p99_us / 1000
        table.append(
            [
                row.name,
                PATHS[row.route] if row.name != "asgi-hello" else "GET / (fixed 17-byte body)",
                f"{row.result.rate:,.0f}",
                f"{row.result.p50_us / 1000:.2f}",
                f"{p99:.2f}",
                f"{row.result.bytes_per_response:,.0f}",
                f"{row.measured.cpu_us:,.0f}",
                f"{row.result.non2xx:,}",
                f"{ratio:.2f} x {row.baseline}" if ratio is not None else "",
                f"{base.measured.cpu_us / row.measured.cpu_us:.2f}" if ratio is not None and base else "",
            ]
        )
        if row.result.non2xx:  # a credential that expired during the run on a loaded machine (rate 60): said so
            verdicts.append(f"- {row.name}, {PATHS[row.route]}: {row.result.non2xx} answers were not 2xx")
        if ratio is not None and row.baseline == "asgi-hello":
            verdicts.append(
                f"- read cache vs hello-world {ratio:.2f} (>= {TARGET_RATIO_TO_HELLO}): "
                f"{verdict(ratio >= TARGET_RATIO_TO_HELLO)}"
            )
        elif ratio is not None:
            ok = ratio >= TARGET_RATIO_TO_PRISM and p99 < TARGET_P99_MS
            verdicts.append(
                f"- {row.name}, {PATHS[row.route]}: {ratio:.2f} x Prism, p99 {p99:.2f} ms "
                f"(>= {TARGET_RATIO_TO_PRISM}, < {TARGET_P99_MS:.0f} ms): {verdict(ok)}"
            )
    header = [
        "server",
        "route",
        "req/s",
        "p50 ms",
        "p99 ms",
        "bytes/resp",
        "server CPU µs/req",
        "non-2xx",
        "ratio",
        "CPU ratio",
    ]
    return "\n".join(
        [
            f"wrk -t{settings.threads} -c{settings.connections} -d{settings.duration_s}s --latency, one run per row "
            f"(after {warmup_s} s of warm-up), each server alone on the machine's cores; server CPU µs/req is the "
            "server process's user + system time over the run divided by the requests (steadier than req/s on a "
            "busy machine).",
            "",
            markdown_table(header, table),
            "",
            *verdicts,
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured wrk load before each run")
    parser.add_argument("--no-prism", action="store_true", help="skip Prism (no ratios)")
    parser.add_argument("--no-rate", action="store_true", help="skip the --rate 60 server")
    args = parser.parse_args(argv)
    settings = WrkSettings(threads=2, connections=16, duration_s=args.duration)
    rows: list[Row] = []
    keys: list[list[str]] = []
    try:
        with ExitStack() as stack:
            beside = Beside(settings, args.warmup, stack, prism=not args.no_prism)
            for rate in ("0",) if args.no_rate else ("0", "60"):
                rows += _fleetmock_rows(settings, rate, args.warmup, keys, beside)
                _progress(rows)
    except BenchError as exc:
        print(f"bench_engine: {exc}", file=sys.stderr)
        return 1
    print(report(rows, settings, args.warmup))
    return 0


def _progress(rows: list[Row]) -> None:
    for row in rows:
        print(
            f"bench_engine: {row.name} {row.route}: {row.result.rate:,.0f} req/s, p99 "
            f"{row.result.p99_us / 1000:.2f} ms",
            file=sys.stderr,
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
