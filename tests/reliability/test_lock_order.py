"""One lock order, and a watchdog instead of a hang (issue 15, item 1).

The stress test runs the mix that deadlocked `--state` servers (file downloads, whose building reads the clock,
beside token issues and state restores, which write while reading the clock) against every state backend: memory,
SQLite and PostgreSQL (a real server, `tests/pg/pgharness.py`, with the shared journal and rate-limit buckets as
`serve --state postgresql://...` has them), and asserts progress: every request is answered and health still
answers. `FLEETMOCK_STRESS_SECONDS` sets how long each backend runs (default 3 s; the CI stage runs 30 s each).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from mockserver import store as store_module
from mockserver.clock import SimClock
from mockserver.errors import StateUnavailable
from mockserver.journal import Journal
from mockserver.ratelimit import RateLimiter
from mockserver.simulator import Simulator, state_sections
from mockserver.store import MemoryStore, SqliteStore
from mockserver.world import World
from tests.conftest import LiveServer, start_live_server

SECONDS = float(os.environ.get("FLEETMOCK_STRESS_SECONDS", "3"))
JOIN = 60.0  # a thread still running this long after the end is stuck


def _persistent(world: World, tmp_path: Path) -> Simulator:
    return Simulator.persistent(world, SqliteStore(tmp_path / "state.db", state_sections()), rate=1)


def _on_postgres(world: World, url: str) -> Simulator:
    """As `serve --state postgresql://...` builds it: sections, clock, journal and buckets in the database."""
    from mockserver.stores.opening import open_postgres

    shared = open_postgres(url, state_sections())
    sim = Simulator.persistent(world, shared.store, rate=1)
    sim.journal = Journal(shared.journal.retention, shared=shared.journal)
    sim.rate_limiter = RateLimiter(shared=shared.buckets)
    return sim


BACKENDS = ["memory", "sqlite", "postgres"]


def _simulator(backend: str, world: World, tmp_path: Path, request: pytest.FixtureRequest) -> Simulator:
    if backend == "memory":
        return Simulator(world, SimClock(world.start, rate=1))
    if backend == "sqlite":
        return _persistent(world, tmp_path)
    return _on_postgres(world, request.getfixturevalue("pg").create_database())


def _backends() -> list[object]:
    """The backends as parameters; PostgreSQL's in the `pg` xdist group, so the worker's one server serves it."""
    grouped = pytest.mark.xdist_group("pg")
    return [pytest.param(name, marks=grouped) if name == "postgres" else name for name in BACKENDS]


def _run_all(loops: list[Callable[[], None]], seconds: float) -> list[str]:
    """Each loop in its own thread until `seconds` pass; the names of the threads that never came back."""
    deadline = time.monotonic() + seconds
    errors: list[str] = []

    def worker(loop: Callable[[], None]) -> None:
        try:
            while time.monotonic() < deadline:
                loop()
        except Exception as exc:  # reported below, with the request that failed
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(loop,), daemon=True) for loop in loops]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + JOIN)
    assert not errors, errors
    return [thread.name for thread in threads if thread.is_alive()]


def test_clock_readers_and_store_writers_never_wait_on_each_other(world: World, tmp_path: Path) -> None:
    """The deadlock without HTTP: readers take the clock (and, shared, the store); writers hold the store and read
    the clock. Before the fix the two orders met within a second."""
    sim = _persistent(world, tmp_path)

    def read() -> None:
        sim.clock.now()

    def write() -> None:
        with sim.store.write():
            sim.clock.now()

    def move() -> None:
        sim.clock.set(rate=1)

    assert _run_all([read, read, write, write, move], min(SECONDS, 2.0)) == []


@pytest.fixture(params=_backends())
def stressed(request: pytest.FixtureRequest, world: World, tmp_path: Path) -> Iterator[LiveServer]:
    sim = _simulator(request.param, world, tmp_path, request)
    live, running = start_live_server(sim, strict=False)
    yield live
    running.stop()
    close = getattr(sim.store, "close", None)  # SQLite's file, PostgreSQL's connections
    if close is not None:
        close()


def test_files_tokens_and_restores_together_make_progress(stressed: LiveServer) -> None:
    base = stressed.base_url
    token = stressed.token()
    vin = stressed.sim.default_account.vehicles[0].vin
    snapshot = requests.get(f"{base}/_sim/state", timeout=30).json()
    counts = {"files": 0, "tokens": 0, "restores": 0}

    def files() -> None:
        answer = requests.get(
            f"{base}/tachoshare/vehicles/{vin}/files", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        assert answer.status_code in (200, 204, 401, 503), answer.text[:200]
        counts["files"] += 1

    def tokens() -> None:
        answer = requests.post(f"{base}/_sim/tokens", timeout=30)
        assert answer.status_code in (200, 503), answer.text[:200]
        counts["tokens"] += 1

    def restores() -> None:
        answer = requests.put(f"{base}/_sim/state", json=snapshot, timeout=30)
        assert answer.status_code in (200, 503), answer.text[:200]
        counts["restores"] += 1

    stuck = _run_all([files, files, files, tokens, restores], SECONDS)

    assert stuck == [], f"threads never came back: {stuck}"
    assert all(counts.values()), counts
    assert requests.get(f"{base}/_sim/health", timeout=10).status_code == 200


@pytest.mark.parametrize("backend", _backends())
def test_a_store_held_past_the_watchdog_answers_503_with_retry_after(
    backend: str, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr(store_module, "BUSY_AFTER", 0.2)
    sim = _simulator(backend, world, tmp_path, request)
    live, running = start_live_server(sim, strict=True)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with sim.store.write():
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        assert held.wait(10)
        answer = requests.post(f"{live.base_url}/_sim/tokens", timeout=30)
        faulted = requests.get(f"{live.base_url}/tachoshare/vehicles", timeout=30)
    finally:
        release.set()
        holder.join(10)
    try:
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "1"
        assert "busy" in answer.json()["description"]
        assert faulted.status_code in (401, 503), faulted.text  # no token: 401, unless the store was needed first
        assert requests.post(f"{live.base_url}/_sim/tokens", timeout=30).status_code == 200  # and it recovers
    finally:
        running.stop()


def test_sqlite_locked_by_another_process_is_store_busy_not_a_500(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (here: another connection) holding SQLite's write lock past the watchdog: `StateUnavailable`."""
    import sqlite3

    monkeypatch.setattr(store_module, "BUSY_AFTER", 0.2)
    store = SqliteStore(tmp_path / "state.db", state_sections())
    store._db.execute("PRAGMA busy_timeout = 200")
    other = sqlite3.connect(tmp_path / "state.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StateUnavailable), store.write():
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
    with store.write():  # free again
        pass


def test_memory_store_watchdog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_AFTER", 0.05)
    store = MemoryStore(state_sections())
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with store.write():
            held.set()
            release.wait(10)

    threading.Thread(target=hold, daemon=True).start()
    assert held.wait(5)
    try:
        with pytest.raises(StateUnavailable), store.write():
            pass
    finally:
        release.set()


