"""The test PostgreSQL server never outlives its pytest: killed with -9, its postmaster goes too, and the next
server start sweeps the directory away (a killed pytest used to leave both behind)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.pg.pgharness import PREFIX, _postmaster_pid, sweep_stale

OWNER = """
import sys, time
from tests.pg.pgharness import PgServer
server = PgServer()
server.init()
server.start()
print(server.base, flush=True)
time.sleep(600)
"""


def _until(condition: Callable[[], bool], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_pytest_killed_with_9_takes_its_server_along_and_the_next_start_sweeps_its_directory() -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()}
    )
    try:
        assert owner.stdout is not None
        base = Path(owner.stdout.readline().strip())
        assert base.name.startswith(PREFIX), base
        postmaster = _postmaster_pid(base)
        assert postmaster is not None  # running, on that directory
        assert base not in sweep_stale()  # its owner is alive: left alone
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        assert _until(lambda: _postmaster_pid(base) is None, within=30), "the postmaster outlived its owner"
        assert base in sweep_stale()
        assert not base.exists()
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
        if owner.stdout:
            owner.stdout.close()


def test_two_sweepers_at_once_remove_every_stale_directory_without_an_error(tmp_path: Path) -> None:
    """pytest-xdist's workers each start a server, so two sweeps run together: one must not fail on a directory the
    other removed first (it raised FileNotFoundError and erred every PostgreSQL test of that worker)."""
    from concurrent.futures import ThreadPoolExecutor

    old = time.time() - 3600
    for n in range(300):  # no owner record and an hour old: stale, as an older harness left them
        base = tmp_path / f"{PREFIX}{n:04d}"
        base.mkdir()
        os.utime(base, (old, old))
    with ThreadPoolExecutor(2) as pool:
        removed = [f.result() for f in [pool.submit(sweep_stale, tmp_path) for _ in range(2)]]
    assert not list(tmp_path.glob(f"{PREFIX}*"))
    assert len(removed[0]) + len(removed[1]) >= 300
