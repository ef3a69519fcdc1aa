"""A real PostgreSQL server for the tests, from the `pgserver` wheel's binaries (no mock, nothing preinstalled).

PostgreSQL refuses to run as root, so under root the server runs as a dedicated system user (created once with
`useradd`). It listens on 127.0.0.1 with password (SCRAM) authentication, so wrong-password handling is real.
`fleetmock serve` instances run as subprocesses against it.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from tests.conftest import free_port

SYSTEM_USER = "fleetmockpg"
DB_USER = "fleetmock"


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


@dataclass
class PgServer:
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="fleetmock-pg-")))
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_hex(8))
    user: str | None = field(default_factory=_system_user)

    @property
    def data(self) -> Path:
        return self.base / "data"

    def _run(self, *args: str) -> None:
        subprocess.run(list(args), check=True, user=self.user, capture_output=True, timeout=60)

    def init(self) -> None:
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
        options = f"-p {self.port} -h 127.0.0.1 -k {self.base} -c fsync=off -c max_connections=200"
        self._run(
            _bin("pg_ctl"), "-D", str(self.data), "-w", "-t", "30", "-o", options, "-l", str(self.base / "log"), "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop")

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


def start_instances(state: str | None, count: int, *extra: str, within: float = 60) -> list[Instance]:
    """`count` real `fleetmock serve` processes on one state, started together, each answering its health check
    within `within` seconds."""
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
            except requests.ConnectionError:
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
