"""Shared plumbing for the benchmark scripts: free loopback ports, server subprocesses, readiness, wrk.

Benchmarks measure real elapsed time, so unlike domain code they read the monotonic clock (`time.perf_counter`).
Every wait here is bounded; every server is started in its own process group and stopped by that group's id.
Only loopback addresses are ever contacted.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
LOOPBACK = "127.0.0.1"
WRK_SCRIPT = BENCH_DIR / "wrk_report.lua"
WRK_MARKER = "WRK_JSON "


class BenchError(RuntimeError):
    """A benchmark could not run (a server did not start, wrk failed, ...); the message says which."""


def free_port() -> int:
    """A TCP port on the loopback interface that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def fleetmock_command() -> list[str]:
    """`fleetmock` from the interpreter's own environment (so a venv need not be on PATH), else `python -m`."""
    script = Path(sys.executable).parent / "fleetmock"
    if script.exists():
        return [str(script)]
    found = shutil.which("fleetmock")
    return [found] if found else [sys.executable, "-m", "mockserver"]


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes


def http_request(
    port: int,
    method: str,
    path: str,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 5.0,
) -> HttpAnswer:
    """One HTTP/1.1 request to 127.0.0.1:`port`; raises OSError when nothing answers."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        return HttpAnswer(response.status, response.read())
    finally:
        conn.close()


@dataclass
class ServerProcess:
    """A server subprocess in its own process group, with its output in `log_path`."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(
        self, path: str, headers: Mapping[str, str] | None = None, timeout: float = 60.0, poll: float = 0.01
    ) -> float:
        """Poll `path` until it answers 200; returns the seconds waited. Raises BenchError on exit or timeout."""
        started = time.perf_counter()
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if http_request(self.port, "GET", path, headers, timeout=2.0).status == 200:
                    return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(poll)
        raise BenchError(f"{self.name} not ready on {path} within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the process group this server leads, then SIGKILL it if it lingers."""
        if self.process.poll() is None:
            _signal_group(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(self.pid, signal.SIGKILL)
                self.process.wait(timeout=grace)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def start_server(
    name: str, argv: Sequence[str], port: int, cwd: Path = ROOT, env: Mapping[str, str] | None = None
) -> ServerProcess:
    RESULTS_DIR.mkdir(exist_ok=True)
    log_path = RESULTS_DIR / f"{name}.server.raw"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    return ServerProcess(name, process, port, log_path)


@contextmanager
def running(
    name: str,
    argv: Sequence[str],
    port: int,
    env: Mapping[str, str] | None = None,
) -> Iterator[ServerProcess]:
    server = start_server(name, argv, port, env=env)
    try:
        yield server
    finally:
        server.stop()


def rss_kib(pid: int) -> int:
    """Resident set size of `pid` in KiB, from /proc/PID/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise BenchError(f"no VmRSS for pid {pid}")


@dataclass(frozen=True)
class WrkResult:
    """One wrk run, as printed by wrk_report.lua (latencies in microseconds)."""

    requests: int
    duration_s: float
    bytes: int
    p50_us: int
    p90_us: int
    p99_us: int
    p999_us: int
    max_us: int
    mean_us: float
    non2xx: int
    connect_errors: int
    read_errors: int
    write_errors: int
    timeouts: int

    @property
    def rate(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def bytes_per_response(self) -> float:
        return self.bytes / self.requests if self.requests else 0.0

    @property
    def socket_errors(self) -> int:
        return self.connect_errors + self.read_errors + self.write_errors + self.timeouts


def parse_wrk_output(text: str) -> WrkResult:
    """Finds the one line wrk_report.lua prints and reads it; raises BenchError when it is missing."""
    for line in text.splitlines():
        if line.startswith(WRK_MARKER):
            return WrkResult(**json.loads(line[len(WRK_MARKER) :]))
    raise BenchError(f"wrk printed no {WRK_MARKER.strip()} line:\n{text[-2000:]}")


@dataclass(frozen=True)
class WrkSettings:
    threads: int = 2
    connections: int = 16
    duration_s: int = 10
    timeout_s: int = 5

    def argv(
        self,
        url: str,
        headers: Mapping[str, str],
        duration_s: int | None = None,
        script: tuple[Path, Sequence[str]] = (WRK_SCRIPT, ()),
    ) -> list[str]:
        args = [
            "wrk",
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{duration_s or self.duration_s}s",
            f"--timeout={self.timeout_s}s",
            "--latency",
            "-s",
            str(script[0]),
        ]
        for key, value in headers.items():
            args += ["-H", f"{key}: {value}"]
        return [*args, url, *(["--", *script[1]] if script[1] else [])]


def run_wrk(
    settings: WrkSettings,
    url: str,
    headers: Mapping[str, str],
    raw_name: str | None = None,
    duration_s: int | None = None,
    script: tuple[Path, Sequence[str]] = (WRK_SCRIPT, ()),
) -> WrkResult:
    """Runs wrk once against a loopback `url`; keeps its full output in results/`raw_name`.wrk.raw."""
    if not url.startswith(f"http://{LOOPBACK}:"):
        raise BenchError(f"refusing to load a non-loopback address: {url}")
    argv = settings.argv(url, headers, duration_s, script)
    limit = (duration_s or settings.duration_s) + settings.timeout_s + 30
    done = subprocess.run(argv, capture_output=True, text=True, timeout=limit, check=False)
    output = done.stdout + done.stderr
    if raw_name is not None:
        RESULTS_DIR.mkdir(exist_ok=True)
        (RESULTS_DIR / f"{raw_name}.wrk.raw").write_text(" ".join(argv) + "\n" + output, encoding="utf-8")
    if done.returncode != 0:
        raise BenchError(f"wrk exited with {done.returncode}:\n{output[-2000:]}")
    return parse_wrk_output(output)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; columns after the first are right-aligned."""
    align = [":---"] + ["---:"] * (len(header) - 1)
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "**MISSED**"
