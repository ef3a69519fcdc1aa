"""`fleetmock verify` as a newcomer meets it (issue 18): a line per phase as it goes, one clear line for a server
that is not there or a base URL without the API's prefix, no `.hypothesis/` left in the user's directory, and the
`verify` extra asked for by name when Schemathesis is missing."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.cli import main
from mockserver.cli.verify import EXIT_BAD_OPTIONS, EXIT_OK, EXIT_VIOLATIONS
from tests.conftest import LiveServer

REVEAL = ["--user", "demo", "--password", "demo", "--app-id", "DEMOAPPID"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    base = f"http://127.0.0.1:{_closed_port()}/reveal"
    assert main(["verify", "--api", "reveal", "--base-url", base, *REVEAL]) == EXIT_VIOLATIONS
    out, err = capsys.readouterr()
    expected = f"fleetmock verify: error: cannot reach {base}: connection refused (is the server running, on this port?)"  # noqa: E501
    assert out == "" and err.strip() == expected


@pytest.mark.live
def test_a_base_url_without_the_api_prefix_is_one_line(live: LiveServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--api", "tachoshare", "--base-url", live.base_url, "--token", live.token()]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"no TachoShare.connect at {live.base_url}: GET {live.base_url}/vehicles answered 404" in err


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    missing = {"schemathesis"}
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in missing else real(name, *a))
    assert main(["verify", "--api", "reveal", "--base-url", "http://127.0.0.1:9/reveal", *REVEAL]) == EXIT_BAD_OPTIONS
    assert "pip install 'fleetmock[verify]'" in capsys.readouterr().err


@pytest.mark.live
def test_progress_as_it_goes_and_nothing_left_in_the_working_directory(live: LiveServer, tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "mockserver", "verify", "--api", "reveal", "--base-url", f"{live.base_url}/reveal"]
    argv += [*REVEAL, "--max-examples", "1", "--no-stateful", "--mode", "positive", "--seed", "3"]
    env = {"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    phases = [line for line in result.stderr.splitlines() if line.startswith("fleetmock verify: ")]
    assert phases == [
        f"fleetmock verify: smoke flow of the reference client against {live.base_url}/reveal...",
        "fleetmock verify: schemathesis: examples phase...",
        "fleetmock verify: schemathesis: coverage phase...",
        "fleetmock verify: schemathesis: fuzzing phase...",
    ]
    assert "PASSED" in result.stdout and list(tmp_path.iterdir()) == []
