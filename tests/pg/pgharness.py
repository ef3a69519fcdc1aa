"""A real PostgreSQL server for the tests, from the `pgserver` wheel's binaries (no mock, nothing preinstalled).

PostgreSQL refuses to run as root, so under root the server runs as a dedicated system user (created once with
`useradd`). It listens on 127.0.0.1 with password (SCRAM) authentication, so wrong-password handling is real.
`fleetmock serve` instances run as subprocesses against it.

The postmaster is this process's child and dies with it (`PR_SET_PDEATHSIG`: a pytest killed with -9 or a timeout
takes its server along), and each server's directory names its owner, so a server start sweeps away the
directories (and any postmaster still running) of owners that are gone.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from tests.conftest import free_port

SYSTEM_USER = "fleetmockpg"
DB_USER = "fleetmock"
PREFIX = "fleetmock-pg-"
SHUTDOWN = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}  # postmaster's signals
PR_SET_PDEATHSIG = 1


def _bin(name: str) -> str:
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _system_user() -> str | None:
    """The user the server runs as: None (this one) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER], check=True
        )
    return SYSTEM_USER


def _let_user_run_binaries() -> None:
    """What `pgserver` itself does under root: let other users traverse to, read and run its binaries (the venv
    may sit under a private directory, e.g. a CI clone under /root)."""
    import stat

    from pgserver._commands import POSTGRES_BIN_PATH
    from pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions

    read = stat.S_IRGRP | stat.S_IROTH
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, stat.S_IXGRP | stat.S_IXOTH | read)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", read)


def _identity(pid: int) -> str | None:
    """`pid` and its start time (field 22 of /proc/PID/stat), so a reused pid is not mistaken for it; None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return f"{pid} {stat.rsplit(')', 1)[1].split()[19]}"


def _die_with(parent: int) -> Callable[[], None]:
    """Run in the child before exec (after it became the server's user, which would clear the setting)."""

    def arrange() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGQUIT, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above: do not outlive it
            os._exit(1)

    return arrange


def _postmaster_pid(base: Path) -> int | None:
    """The pid of the postmaster running on `base/data`, if one is (its command line names that directory)."""
    try:
        pid = int((base / "data" / "postmaster.pid").read_text().split()[0])
        running = str(base / "data") in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (OSError, ValueError, IndexError):
        return None
    return pid if running else None


def sweep_stale(root: Path | None = None) -> list[Path]:
    """Remove the server directories whose owner is gone, stopping a postmaster still running on one.

    A directory without an owner record (an older harness) is removed only when no postmaster runs on it and it
    is older than ten minutes (its owner may still be starting it). The directories removed."""
    removed = []
    for base in sorted(Path(root or tempfile.gettempdir()).glob(f"{PREFIX}*")):
        try:
            owner = (base / "owner").read_text().strip()
        except FileNotFoundError:
            owner = None
        except OSError:
            continue
        if owner is not None and owner and _identity(int(owner.split()[0])) == owner:
            continue  # its pytest is alive
        postmaster = _postmaster_pid(base)
        try:  # pytest-xdist's workers sweep at once: another may remove this directory or stop its server first
            if owner is None and (postmaster is not None or time.time() - base.stat().st_mtime < 600):
                continue
            if postmaster is not None:
                os.kill(postmaster, signal.SIGQUIT)
        except (FileNotFoundError, ProcessLookupError):
            continue
        if postmaster is not None:
            for _ in range(100):
                if _postmaster_pid(base) is None:
                    break
                time.sleep(0.05)
        shutil.rmtree(base, ignore_errors=True)
        removed.append(base)
    return removed


@dataclass
class PgServer:
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix=PREFIX)))
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_hex(8))
    user: str | None = field(default_factory=_system_user)
    postmaster: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        (self.base / "owner").write_text(_identity(os.getpid()) or "")

    @property
    def data(self) -> Path:
        return self.base / "data"

    def _run(self, *args: str) -> None:
        subprocess.run(list(args), check=True, user=self.user, capture_output=True, timeout=60)

    def init(self) -> None:
        sweep_stale()
        if self.user is not None:
            _let_user_run_binaries()
        self.base.chmod(0o755)
        (self.base / "pw").write_text(self.password)
        if self.user is not None:
            shutil.chown(self.base, self.user)
            shutil.chown(self.base / "pw", self.user)
        self._run(
            _bin("initdb"), "-D", str(self.data), "-U", DB_USER, "--pwfile", str(self.base / "pw"),
            "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        """The postmaster as this process's child: it gets SIGQUIT (immediate shutdown) when this process dies."""
        command = [
            _bin("postgres"), "-D", str(self.data), "-p", str(self.port), "-h", "127.0.0.1", "-k", str(self.base),
            "-c", "fsync=off", "-c", "max_connections=200",
        ]  # fmt: skip
        with open(self.base / "log", "ab") as log:
            self.postmaster = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, user=self.user, preexec_fn=_die_with(os.getpid())
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if self.postmaster.poll() is not None or time.monotonic() > deadline:
                    self.stop("immediate")
                    raise RuntimeError(f"PostgreSQL did not start: {(self.base / 'log').read_text()[-2000:]}") from None
                time.sleep(0.05)

    def stop(self, mode: str = "fast") -> None:
        if self.postmaster is None:
            return
        if self.postmaster.poll() is None:
            self.postmaster.send_signal(SHUTDOWN[mode])
        try:
            self.postmaster.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.postmaster.kill()
            self.postmaster.wait(timeout=10)
        self.postmaster = None

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        return f"postgresql://{DB_USER}:{password or self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"fm_{secrets.token_hex(4)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def remove(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


def serve_command(port: int, state: str | None, *extra: str) -> list[str]:
    """`fleetmock serve` on `port` with a frozen clock, on `state` (None: in memory)."""
    stored = ["--state", state] if state is not None else []
    return [sys.executable, "-m", "mockserver", "serve", "--port", str(port), "--rate", "0", *stored, *extra]


@dataclass
class Instance:
    process: subprocess.Popen[str]
    base: str


def start_instances(state: str | None, count: int, *extra: str, within: float = 120) -> list[Instance]:
    """`count` real `fleetmock serve` processes on one state, started together, each answering its health check
    within `within` seconds (a bound for a hung start, three at once on a busy machine, not a speed target)."""
    ports = [free_port() for _ in range(count)]
    started = [
        Instance(
            subprocess.Popen(serve_command(port, state, *extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True),
            f"http://127.0.0.1:{port}",
        )
        for port in ports
    ]  # fmt: skip
    deadline = time.monotonic() + within
    for instance in started:
        while True:
            try:
                if requests.get(f"{instance.base}/_sim/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or too slow to answer on a busy machine
                pass
            if instance.process.poll() is not None or time.monotonic() > deadline:
                if instance.process.poll() is None:
                    instance.process.terminate()
                output = instance.process.stdout.read() if instance.process.stdout else ""  # before it is closed
                stop_instances(started)
                raise RuntimeError(f"serve did not start: {output}")
            time.sleep(0.05)
    return started


def stop_instances(instances: list[Instance]) -> None:
    for instance in instances:
        if instance.process.poll() is None:
            instance.process.terminate()
    for instance in instances:
        try:
            instance.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            instance.process.kill()
        if instance.process.stdout:
            instance.process.stdout.close()
