"""`scripts/serve.sh`'s first run (issue 18): it says what it installs and shows pip's progress instead of a silent
minute, and says how to get the `fleetmock` command. A stub interpreter stands in for Python and pip (no network)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STUB = """#!/usr/bin/env bash
echo "python $*" >> "$(dirname "$0")/../calls.log"
"""


def test_the_first_install_says_what_it_does_and_shows_progress(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(STUB)
    (venv / "bin" / "python").chmod(0o755)
    env = {**os.environ, "FLEETMOCK_VENV": str(venv)}
    script = f'source "{ROOT}/scripts/bootstrap.sh" ""; command -v python'
    first = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert "installing fleetmock and its dependencies" in first.stderr and "about a minute" in first.stderr
    assert f". {venv}/bin/activate" in first.stderr
    install = (venv / "calls.log").read_text().splitlines()[-1]
    assert install.startswith("python -m pip install") and "--quiet" not in install and f"-e {ROOT}" in install
    again = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert again.stderr == "" and again.stdout.strip() == f"{venv}/bin/python"  # up to date: silent, on PATH
