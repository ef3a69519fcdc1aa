"""The Vehicle and Driver flows: exactly the new days, never a day lost or stored twice, whatever fails between.

A fake TachoShare (behind the fake HTTP layer) holds the data; faults are injected per call (5xx, 429, dropped
connections, expired tokens) and the process may "crash" right before a commit. The real client, retrier and
stores run. After every step the stored batches of each subject must be contiguous, start at its first day and
hold each day with data exactly once; after a last fault-free sync they must reach its last day.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.common.retry import Retrier, RetryPolicy
from contracts.tachoshare.checkpoints import Batch, CheckpointStore, JsonCheckpointStore, SqliteCheckpointStore
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.errors import TachoShareError
from contracts.tachoshare.oauth import StaticToken
from contracts.tachoshare.ranges import DateRange
from contracts.tachoshare.sync import Subject, driver_key, new_days, sync_drivers, sync_vehicles, vehicle_key
from tests.contracts.fake_http import Call, FakeAnswer, NoSleep, fake_session
from tests.contracts.tachoshare.fake_api import FakeSubject, FakeTachoShare, vehicle_file_days

ORIGIN = date(2025, 1, 1)
VINS = ["WDB9634041L738190", "XLRTEH4390G123456"]
CARDS = [("0x0D", "DF000012345670"), ("0x0F", "ES000012345671")]


class Crash(Exception):
    """The process dies (before a commit)."""


@dataclass
class CrashingStore:
    """A store that dies before committing when told to."""

    inner: CheckpointStore
    crash_next: bool = False

    def last_day(self, subject: str) -> date | None:
        return self.inner.last_day(subject)

    def commit(self, batch: Batch) -> None:
        if self.crash_next:
            self.crash_next = False
            raise Crash()
        self.inner.commit(batch)

    def batches(self, subject: str) -> list[Batch]:
        return self.inner.batches(subject)


@dataclass
class Faults:
    """Per call: maybe a fault, from a seeded random source."""

    rng: random.Random
    rate: float = 0.0
    log: list[str] = field(default_factory=list)

    def __call__(self, call: Call) -> FakeAnswer | None:
        if self.rng.random() >= self.rate:
            return None
        kind = self.rng.choice(["500", "503", "429", "drop", "401"])
        self.log.append(kind)
        if kind == "drop":
            raise requests.ConnectionError("connection dropped")
        if kind == "429":
            return FakeAnswer.error(429, "Too many requests", {"Retry-After": "1"})
        if kind == "401":
            return FakeAnswer.error(401, "Unauthorized")
        return FakeAnswer.error(int(kind), "boom")


def stored_days(store: CheckpointStore, key: str, driver: bool) -> list[date]:
    days: list[date] = []
    for batch in store.batches(key):
        for piece in batch.pieces:
            for stored in piece.files:
                days.extend(
                    [date.fromisoformat(stored.content.decode())] if driver else vehicle_file_days(stored.content)
                )
    return days


def check_invariant(store: CheckpointStore, key: str, subject: FakeSubject, driver: bool, complete: bool) -> None:
    batches = store.batches(key)
    if not batches:
        assert store.last_day(key) is None
        assert not complete or subject.last is None
        return
    assert batches[0].range.start == subject.first
    assert all(a.range.end == b.range.start for a, b in itertools.pairwise(batches)), "gap or overlap"
    covered = DateRange(batches[0].range.start, batches[-1].range.end)
    assert store.last_day(key) == batches[-1].last_day
    assert stored_days(store, key, driver) == sorted(d for d in subject.days if d in covered), "lost or doubled"
    if complete:
        assert subject.last is not None and batches[-1].last_day == subject.last


def grow(subject: FakeSubject, rng: random.Random, days: int) -> None:
    """New data arrives: days after the current last one (some without activity)."""
    last = subject.last or ORIGIN
    for offset in range(1, days + 1):
        if rng.random() < 0.7:
            subject.days.add(last + timedelta(days=offset))


def make_store(kind: str, path: Path) -> CheckpointStore:
    return SqliteCheckpointStore(path / "sync.sqlite") if kind == "sqlite" else JsonCheckpointStore(path / "sync")


@given(
    seed=st.integers(0, 2**32),
    steps=st.lists(st.tuples(st.integers(0, 40), st.floats(0, 0.6), st.booleans()), min_size=1, max_size=6),
    store_kind=st.sampled_from(["sqlite", "json"]),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_day_is_lost_or_duplicated_whatever_fails(
    tmp_path_factory: pytest.TempPathFactory, seed: int, steps: list[tuple[int, float, bool]], store_kind: str
) -> None:
    rng = random.Random(seed)
    path = tmp_path_factory.mktemp("sync")
    api = FakeTachoShare(
        vehicles={
            vin: FakeSubject(days={ORIGIN}, changes=[ORIGIN + timedelta(days=rng.randint(1, 200))]) for vin in VINS
        },
        drivers={card: FakeSubject(days={ORIGIN + timedelta(days=3)}) for card in CARDS},
    )
    faults = Faults(random.Random(seed + 1))
    api.faults = faults
    session, _ = fake_session(api)
    client = TachoShareClient(
        "http://fake/tachoshare",
        StaticToken("token-1"),
        session=session,
        retrier=Retrier(RetryPolicy(max_attempts=2), random.Random(seed), NoSleep()),
    )
    store = CrashingStore(make_store(store_kind, path))

    def run(flow: Callable[[], object]) -> None:
        try:
            flow()
        except Crash:
            store.inner = make_store(store_kind, path)  # restart: reopen the store from disk
        except (TachoShareError, requests.RequestException):
            pass  # the listing itself failed after the retries

    for grow_days, fault_rate, crash in steps:
        for subject in [*api.vehicles.values(), *api.drivers.values()]:
            grow(subject, rng, grow_days)
        faults.rate = fault_rate
        store.crash_next = crash
        run(lambda: sync_vehicles(client, store))
        store.crash_next = crash and rng.random() < 0.5
        run(lambda: sync_drivers(client, store))
        for vin, subject in api.vehicles.items():
            check_invariant(store, vehicle_key(vin), subject, driver=False, complete=False)
        for (country, card), subject in api.drivers.items():
            check_invariant(store, driver_key(country, card), subject, driver=True, complete=False)

    faults.rate = 0.0
    store.crash_next = False
    assert not sync_vehicles(client, store).failed
    assert not sync_drivers(client, store).failed
    for vin, subject in api.vehicles.items():
        check_invariant(store, vehicle_key(vin), subject, driver=False, complete=True)
    for (country, card), subject in api.drivers.items():
        check_invariant(store, driver_key(country, card), subject, driver=True, complete=True)


def test_the_flow_asks_from_the_stored_day_plus_one_to_the_new_last_day_plus_one(tmp_path: Path) -> None:
    api = FakeTachoShare(vehicles={VINS[0]: FakeSubject(days={date(2026, 1, 1), date(2026, 1, 5)})})
    session, _ = fake_session(api)
    client = TachoShareClient("http://fake/tachoshare", StaticToken("token-1"), session=session)
    store = SqliteCheckpointStore(tmp_path / "s.sqlite")

    first = sync_vehicles(client, store)
    assert first.synced[0].synced == DateRange(date(2026, 1, 1), date(2026, 1, 6))
    assert api.file_requests == [(VINS[0], date(2026, 1, 1), date(2026, 1, 6))]

    api.vehicles[VINS[0]].days.add(date(2026, 1, 9))
    api.file_requests.clear()
    second = sync_vehicles(client, store)
    assert api.file_requests == [(VINS[0], date(2026, 1, 6), date(2026, 1, 10))]
    assert second.synced[0].files == 1

    api.file_requests.clear()
    third = sync_vehicles(client, store)
    assert api.file_requests == [] and third.synced == () and third.failed == ()


def test_a_failing_subject_is_reported_and_the_others_still_sync(tmp_path: Path) -> None:
    api = FakeTachoShare(vehicles={vin: FakeSubject(days={date(2026, 1, 1)}) for vin in VINS})

    def broken_files_of_first(call: Call) -> FakeAnswer | None:
        return FakeAnswer.error(500, "boom") if VINS[0] in call.path else None

    api.faults = broken_files_of_first
    session, _ = fake_session(api)
    client = TachoShareClient(
        "http://fake/tachoshare",
        StaticToken("token-1"),
        session=session,
        retrier=Retrier(RetryPolicy(max_attempts=2), random.Random(0), NoSleep()),
    )
    store = JsonCheckpointStore(tmp_path)
    report = sync_vehicles(client, store)
    assert [o.key for o in report.failed] == [vehicle_key(VINS[0])]
    assert report.failed[0].error is not None and "ServerError" in report.failed[0].error
    assert [o.key for o in report.synced] == [vehicle_key(VINS[1])]
    assert store.last_day(vehicle_key(VINS[0])) is None


@given(
    last=st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2027, 1, 1))),
    first_offset=st.one_of(st.none(), st.integers(0, 800)),
    stored_offset=st.one_of(st.none(), st.integers(-30, 800)),
    initial_days=st.one_of(st.none(), st.integers(1, 400)),
)
def test_new_days_start_after_the_checkpoint_and_end_after_the_last_day(
    last: date | None, first_offset: int | None, stored_offset: int | None, initial_days: int | None
) -> None:
    first = last - timedelta(days=first_offset) if last is not None and first_offset is not None else None
    stored = last - timedelta(days=stored_offset) if last is not None and stored_offset is not None else None
    days = new_days(Subject("k", last, first), stored, initial_days)
    if last is None or (stored is not None and stored >= last):
        assert days is None
        return
    assert days is not None and days.end == last + timedelta(days=1)
    if stored is not None:
        assert days.start == stored + timedelta(days=1)
    elif first is not None:
        assert days.start >= first
        assert days.start == first or (initial_days is not None and days.days == initial_days)
    else:
        assert days.days == (initial_days or 90)
