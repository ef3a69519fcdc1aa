"""`fleetmock serve` as users run it: a real process on loopback."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import LiveServer, free_port


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--rate", "0", "--seed", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{base}/_sim/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(
                f"fleetmock serve did not become ready: {process.stdout.read() if process.stdout else ''}"
            )
        time.sleep(0.05)
    yield base, process
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.live
def test_serve_prints_the_url_and_demo_credentials(served: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = served
    assert process.stdout is not None
    lines = []
    for _ in range(40):  # the banner ends with the CI token line; warnings may come before it
        lines.append(process.stdout.readline())
        if "CI token" in lines[-1]:
            break
    banner = "".join(lines)
    for text in (base, "demo-partner / demo-secret", "fleetmanager / demo", "demo / demo", "DEMOAPPID"):
        assert text in banner


@pytest.mark.live
def test_serve_answers_over_real_http(served: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = served
    token = requests.post(f"{base}/_sim/tokens", json={}, timeout=5).json()["access_token"]
    vehicles = requests.get(f"{base}/tachoshare/vehicles", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert vehicles.status_code == 200 and vehicles.json()["items"]
    world = requests.get(f"{base}/_sim/world", timeout=5).json()
    assert world["seed"] == 7
    assert {v["vin"] for v in vehicles.json()["items"]} <= {v["vin"] for v in world["accounts"][0]["vehicles"]}
    assert requests.get(f"{base}/_sim/clock", timeout=5).json()["rate"] == 0


@pytest.mark.live
def test_serve_refuses_a_missing_world_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mockserver", "serve", "--world", "/nonexistent.yaml"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "cannot read world file /nonexistent.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_prepares_for_requests_before_it_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the server starts, what the first streamed answer would import is imported and what start-up made is
    out of the garbage collector's sight (full collections during requests walk only what requests made)."""
    import gc

    import uvicorn

    from mockserver.cli import main
    from mockserver.serving import FIRST_REQUEST_IMPORTS

    seen: list[tuple[int, bool]] = []

    def run(server: uvicorn.Server, sockets: object = None) -> None:
        seen.append((gc.get_freeze_count(), all(name in sys.modules for name in FIRST_REQUEST_IMPORTS)))

    monkeypatch.setattr(uvicorn.Server, "run", run)
    for name in FIRST_REQUEST_IMPORTS:
        monkeypatch.delitem(sys.modules, name, raising=False)
    gc.unfreeze()
    try:
        assert main(["serve", "--port", str(free_port()), "--rate", "0"]) == 0
    finally:
        gc.unfreeze()
    assert len(seen) == 1
    frozen, imported = seen[0]
    assert frozen > 10_000 and imported


@pytest.mark.live
def test_live_server_fixture_over_loopback(live: LiveServer) -> None:
    headers = {"Authorization": f"Bearer {live.token(account='acme')}"}
    response = requests.get(f"{live.base_url}/tachoshare/companyCards", headers=headers, timeout=5)
    assert response.status_code == 200
    assert {c["companyName"] for c in response.json()["items"]} == {"ACME Logistics GmbH"}
