"""An independent Schemathesis run over every spec, all phases, against a live server (issue 17).

This is what a partner would run: the `schemathesis` command line, every check it has (not only the project's
contract), the phases examples, coverage, fuzzing and stateful, against `fleetmock serve` as it runs by default
(no --strict), with the root `schemathesis.toml` (which only names the 400s no schema can express). It must
report no failure, and every phase must have run (but the few a spec gives nothing to, named with why). The
budget is small per operation (`--max-examples 4`) so the nine runs (one per spec, and the two token endpoints
with their Basic credentials) stay within a few minutes on two cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mockserver.apis import registry
from mockserver.world import load_world
from tests.conftest import LiveServer, make_sim, start_live_server

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
PHASES = "examples,coverage,fuzzing,stateful"
ORDER = ["tachoshare", "reveal", "reveal-cmd", "oauth", "site", "console", "control"]  # the control plane resets: last
# The token endpoints take HTTP Basic credentials, not the API's bearer header: run again alone with them, so that
# they are exercised beyond their 401 (which is all the API-wide header gets from them).
TOKEN_RUNS = {
    "reveal-token": ("reveal", ["--include-operation-id", "getToken", "--auth", "demo:demo"]),
    "oauth-token": ("oauth", ["--include-operation-id", "requestToken", "--auth", "demo-partner:demo-secret"]),
}
RUNS = [*ORDER[:-1], *TOKEN_RUNS, ORDER[-1]]


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live, running = start_live_server(make_sim(load_world()), strict=False)
    yield live
    running.stop()


def _headers(live: LiveServer, api: str) -> list[str]:
    if api == "tachoshare":
        return ["-H", f"Authorization: Bearer {live.token()}"]
    if api.startswith("reveal"):
        token = requests.get(f"{live.base_url}/reveal/token", auth=("demo", "demo"), timeout=10).text
        return ["-H", f"Authorization: Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer {token}"]
    return []


# Phases a spec gives Schemathesis nothing for, with why (every other phase must run and pass for every spec).
NOTHING_TO_RUN = {
    "site": {
        "Examples": "the landing page takes no parameters or body, so it has no request examples",
        "Stateful": "the landing page's operations have no OpenAPI links between them",
    },
    "console": {"Stateful": "the console's pages and chart routes have no OpenAPI links between them"},
    "reveal-token": {
        "Examples": "GET /token declares no request examples",
        "Stateful": "one operation alone has no OpenAPI links to follow",
    },
}


def _phases(stdout: str) -> dict[str, str]:
    """The run's "Test Phases" summary: each phase's name and its mark (✅ passed, ⏭ skipped, ❌ failed...)."""
    summary = stdout.rsplit("Test Phases:", 1)[1].split("\n\n", 1)[0]
    marks = {}
    for line in summary.strip().splitlines():
        mark, _, rest = line.strip().partition(" ")
        marks[rest.strip().split(" ")[0]] = mark
    return marks


# Not run here, with why (each covered by the in-process run in test_schemathesis_asgi.py); none at present:
NOT_RUN: dict[str, str] = {}


def test_every_mount_is_in_the_run() -> None:
    assert sorted(ORDER) == sorted(n for n in registry().names() if n not in NOT_RUN)


@pytest.mark.parametrize("run", RUNS)
def test_an_independent_schemathesis_run_reports_no_failure(server: LiveServer, run: str) -> None:
    api, extra = TOKEN_RUNS[run] if run in TOKEN_RUNS else (run, _headers(server, run))
    expected = {p.capitalize() for p in PHASES.split(",")} - set(NOTHING_TO_RUN.get(run, {}))
    mount = registry()[api]
    command = [
        str(SCHEMATHESIS),
        "run",
        str(ROOT / "specs" / mount.spec),
        "--url",
        f"{server.base_url}{mount.base_path}",
        "--phases",
        ",".join(p.lower() for p in sorted(expected)),
        "--max-examples",
        "4",
        "--checks",
        "all",
        "--no-color",
        *extra,
    ]
    env = {**os.environ, "SCHEMATHESIS_TELEMETRY": "false"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240, env=env, check=False)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "No issues found" in done.stdout or " passed" in done.stdout, done.stdout[-2000:]
    ran = {phase for phase, mark in _phases(done.stdout).items() if mark == "✅"}
    assert ran == expected, (sorted(ran), done.stdout[-3000:])
