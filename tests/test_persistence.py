"""`--state FILE`: state survives kill -9, an existing file wins over --seed, and two workers answer alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port

pytestmark = pytest.mark.live
STARTUP_SECONDS = 120  # a bound for a hung start, not a speed expectation
TIMEOUT = 30  # per request, likewise


@dataclass
class Served:
    """A `fleetmock serve` subprocess and everything it printed (read as it comes, so its pipe never fills)."""

    process: subprocess.Popen[str]
    base: str
    lines: list[str] = field(default_factory=list)
    bound: threading.Event = field(default_factory=threading.Event)
    reader: threading.Thread | None = None

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith("fleetmock serving on"):  # printed once the port is bound by this process
                self.bound.set()

    def output(self) -> str:
        """What it printed; call once it has exited."""
        if self.reader is not None:
            self.reader.join(timeout=30)
        return "".join(self.lines)

    def kill(self) -> None:
        """`kill -9`, and wait until it is gone (its file handles closed)."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=60)
        return self.output()


def _serve(state: Path, *extra: str) -> Served:
    """Start `serve` and wait on conditions, not on time: its banner (the port is bound by this process, not by
    another that took the free port first), then its health answering 200. A slow answer on a busy machine is
    waited for; the process exiting ends the wait."""
    port = free_port()
    command = [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--rate", "0"]
    process = subprocess.Popen(
        [*command, "--state", str(state), *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    served = Served(process, f"http://127.0.0.1:{port}")
    served.reader = threading.Thread(target=served.read, daemon=True)
    served.reader.start()
    deadline = time.monotonic() + STARTUP_SECONDS
    while not served.bound.wait(0.1):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"serve did not start: {served.stop()}")
    while True:
        try:
            if requests.get(f"{served.base}/_sim/health", timeout=TIMEOUT).status_code == 200:
                return served
        except requests.RequestException:  # not answering yet (workers starting) or slow on a busy machine
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"serve did not answer: {served.stop()}")
        time.sleep(0.05)


def _token(base: str, **body: str) -> dict[str, str]:
    token = requests.post(f"{base}/_sim/tokens", json=body, timeout=TIMEOUT).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_state_survives_kill_9_and_the_file_wins_over_the_command_line(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    first = _serve(state, "--seed", "5")
    base = first.base
    try:
        headers = _token(base)
        vehicles = requests.get(f"{base}/tachoshare/vehicles", headers=headers, timeout=TIMEOUT).json()["items"]
        accepted = None
        for vehicle in vehicles:
            response = requests.post(
                f"{base}/tachoshare/vehicles/{vehicle['vin']}/rdl", headers=headers, timeout=TIMEOUT
            )
            if response.status_code == 200:
                accepted = response.json()
                break
        assert accepted is not None
        assert (
            requests.post(
                f"{base}/_sim/faults", json={"match": {"api": "reveal"}, "latencyMs": 5}, timeout=10
            ).status_code
            == 201
        )
        assert requests.post(f"{base}/_sim/clock/advance", json={"seconds": 3600}, timeout=TIMEOUT).status_code == 200
        assert requests.post(f"{base}/_sim/tenants", json={"name": "kept"}, timeout=TIMEOUT).status_code == 201
        clock = requests.get(f"{base}/_sim/clock", timeout=TIMEOUT).json()
    finally:
        first.kill()

    second = _serve(state, "--seed", "6")
    base = second.base
    try:
        world = requests.get(f"{base}/_sim/world", timeout=TIMEOUT).json()
        assert world["seed"] == 5  # the state file's world, not --seed 6
        assert requests.get(f"{base}/_sim/clock", timeout=TIMEOUT).json() == clock
        vehicle = requests.get(
            f"{base}/tachoshare/vehicles/{accepted['vin']}", headers=_token(base), timeout=10
        ).json()["items"][0]
        assert vehicle["manualAttemptsRemaining"] == accepted["manualAttemptsRemaining"]
        assert vehicle["lastRdlAttempt"] == accepted["lastRdlAttempt"]
        assert len(requests.get(f"{base}/_sim/faults", timeout=TIMEOUT).json()["rules"]) == 1
        assert [t["name"] for t in requests.get(f"{base}/_sim/tenants", timeout=TIMEOUT).json()["tenants"]] == ["kept"]
        assert requests.get(f"{base}/tachoshare/drivers", headers=_token(base, account="kept"), timeout=TIMEOUT).ok
    finally:
        output = second.stop()
    assert "its seed win over the command line" in output


def test_two_workers_share_one_state(tmp_path: Path) -> None:
    served = _serve(tmp_path / "shared.sqlite", "--workers", "2")
    base = served.base
    try:
        headers = _token(base)
        vins = [
            v["vin"]
            for v in requests.get(f"{base}/tachoshare/vehicles", headers=headers, timeout=TIMEOUT).json()["items"]
        ]
        accepted = []
        for vin in vins:
            with requests.Session() as session:  # a new connection each time: either worker may answer
                if (
                    session.post(f"{base}/tachoshare/vehicles/{vin}/rdl", headers=headers, timeout=TIMEOUT).status_code
                    == 200
                ):
                    accepted.append(vin)
        assert accepted
        requests.post(f"{base}/_sim/clock/advance", json={"seconds": 7200}, timeout=TIMEOUT)
        answers = set()
        clocks = set()
        for _ in range(12):
            with requests.Session() as session:
                answers.add(session.get(f"{base}/tachoshare/vehicles", headers=headers, timeout=TIMEOUT).text)
                clocks.add(session.get(f"{base}/_sim/clock", timeout=TIMEOUT).text)
        assert len(answers) == 1 and len(clocks) == 1
        for vin in accepted:  # a second request is refused whichever worker gets it
            assert (
                requests.post(f"{base}/tachoshare/vehicles/{vin}/rdl", headers=headers, timeout=TIMEOUT).status_code
                == 409
            )
    finally:
        output = served.stop()
    # what is not shared is said at start (issue 12): no silent per-process surprises
    assert "the request journal, rate-limit buckets and trace ids are per worker process" in output
