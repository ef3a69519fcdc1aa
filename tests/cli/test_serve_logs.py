"""What `fleetmock serve` logs when a client makes a mistake (issue 18): an INFO line in the simulator's own words,
never an ERROR (nor a WARNING) in Connexion's."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port

OAUTH = "/webfleet-auth/uaa/oauth"
CLIENT = ("demo-partner", "demo-secret")


def _ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90  # a loaded 2-core machine
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/_sim/health", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("fleetmock serve did not become ready")


@pytest.mark.live
def test_client_mistakes_are_logged_at_info_in_the_projects_words(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--rate", "0", "--log-level", "info"],
            stdout=sink, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _ready(base, process)
            for body in (None, {"token_type_hint": "refresh_token"}):  # no body; a form without its token
                answer = requests.post(f"{base}{OAUTH}/revoke", data=body, auth=CLIENT, timeout=5)
                assert answer.status_code == 400
            assert requests.post(f"{base}/_sim/faults", data="{bad", timeout=5).status_code == 400
        finally:
            process.terminate()
            process.wait(timeout=10)
    lines = log.read_text().splitlines()
    assert not [line for line in lines if line.startswith(("ERROR", "WARNING", "CRITICAL")) or "connexion" in line]
    client_errors = [line for line in lines if line.startswith("INFO:fleetmock:client error:")]
    assert [line.split(" answered ")[0] for line in client_errors] == [
        f"INFO:fleetmock:client error: POST {OAUTH}/revoke",
        f"INFO:fleetmock:client error: POST {OAUTH}/revoke",
        "INFO:fleetmock:client error: POST /_sim/faults",
    ]
    assert "400: A request parameter is missing or is not properly specified: 'token' is a required property" in (
        client_errors[1]
    )
