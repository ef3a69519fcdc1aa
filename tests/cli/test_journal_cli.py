"""`fleetmock journal` prints the journal of a running simulator, one line per request."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from tests.conftest import LiveServer

pytestmark = pytest.mark.live


def test_journal_once_prints_each_request(live: LiveServer) -> None:
    requests.delete(f"{live.base_url}/_sim/journal", timeout=10)
    token = live.token()
    requests.post(
        f"{live.base_url}/_sim/faults",
        json={"match": {"api": "tachoshare"}, "times": 1, "respond": {"status": 503}},
        timeout=10,
    )
    for _ in range(2):
        requests.get(
            f"{live.base_url}/tachoshare/companyCards", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
    result = subprocess.run(
        [sys.executable, "-m", "mockserver", "journal", "--base-url", live.base_url, "--api", "tachoshare", "--once"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert " 503 GET    /tachoshare/companyCards" in lines[0] and "fault=fault-1" in lines[0]
    assert " 200 GET    /tachoshare/companyCards" in lines[1] and "account=demo" in lines[1]


def test_journal_says_when_the_server_is_not_there() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mockserver", "journal", "--base-url", "http://127.0.0.1:9", "--once"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "cannot read the journal" in result.stderr
