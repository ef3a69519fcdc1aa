"""The TachoShare reference client against the live simulator under random fault schedules, injected through the
simulator's real control plane (`/_sim/faults`: 429 with Retry-After, 503, 401, dropped connections, truncated
bodies, latency; with `times`, `after` and `probability`), with the clock moving and tachograph units retrofitted
(`POST /_sim/scenarios/generation-change`) between syncs.

Properties:
- sync rounds under faults move a subject's checkpoint only with all its new days, and a last fault-free sync ends
  with exactly the days the simulator holds: batches contiguous from the first day to the last, every day's data
  stored once (the activity days inside the vehicle-unit files, the card downloads inside the driver ZIPs, compared
  with one fault-free download of the whole range);
- a round whose faults the retries can absorb (fewer firings than attempts, at most one 401) syncs everything;
- a file download under such faults covers the requested range exactly: the answered pieces partition it, none
  longer than the client's span, the files hold each day of the range's data once.

The clients wait for nothing (their `sleep` is a no-op) and see only a few vehicles and cards of the demo account
(a wrapper filters the lists), so that an example takes about a second. Each example starts from a reset simulator.
"""

from __future__ import annotations

import itertools
import random
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.tachoshare.checkpoints import CheckpointStore, JsonCheckpointStore, SqliteCheckpointStore
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.files import DriverFileArchive, VehicleFile
from contracts.tachoshare.models import Driver, DriverFileFormat, Vehicle, VehicleFileFormat
from contracts.tachoshare.ranges import MAX_SPAN, ONE_DAY, DateRange
from contracts.tachoshare.retry import Retrier, RetryPolicy
from contracts.tachoshare.sync import SYNC_FAULTS, SyncReport, driver_key, sync_drivers, sync_vehicles, vehicle_key
from mockserver.control.handle import Control
from mockserver.resources import default_world_path
from mockserver.tachograph.inspect import summarize
from tests.conftest import LiveServer, vehicle_by_key

pytestmark = pytest.mark.live

ATTEMPTS = 4
DRIVER_INITIAL_DAYS = 40  # reaches back past the card renewed 30 days before the world's start
FIXED_VEHICLES = ("retrofitted", "delayed", "ok-plus")  # a Gen1 -> Gen2v2 change 40 days back; a stuck unit
FIXED_DRIVERS = ("renewed", "ok", "delayed")
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- fault schedules --------------------------------------------------------------------------------------------

EFFECTS = st.one_of(
    st.integers(0, 120).map(lambda s: {"respond": {"status": 429, "headers": {"Retry-After": str(s)}}}),
    st.just({"respond": {"status": 503}}),
    st.just({"respond": {"status": 401}}),
    st.just({"drop": True}),
    st.just({"truncate": True}),
    st.integers(1, 40).map(lambda ms: {"latencyMs": ms}),
)
VEHICLE_PATHS = ("/vehicles", "/vehicles/*/files", "*")
DRIVER_PATHS = ("/drivers", "/drivers/*/files", "*")


@st.composite
def fault_rules(draw: st.DrawFn, paths: tuple[str, ...], bounded: bool, max_after: int = 12) -> dict[str, Any]:
    rule: dict[str, Any] = {"match": {"api": "tachoshare", "method": "GET", "path": draw(st.sampled_from(paths))}}
    rule.update(draw(EFFECTS))
    times = draw(st.integers(1, 3) if bounded else st.none() | st.integers(1, 8))
    if times is not None:
        rule["times"] = times
    if draw(st.booleans()):
        rule["after"] = draw(st.integers(0, max_after))
    if draw(st.booleans()):
        rule["probability"] = draw(st.sampled_from([0.2, 0.5, 0.8]))
    return rule


def absorbable(rules: list[dict[str, Any]]) -> bool:
    """Faults that cannot fail a request: fewer firings than attempts, and at most one 401 (one token refresh)."""
    unauthorized = sum(r.get("times", ATTEMPTS) for r in rules if r.get("respond", {}).get("status") == 401)
    return all("times" in r for r in rules) and sum(r["times"] for r in rules) < ATTEMPTS and unauthorized <= 1


@dataclass(frozen=True)
class Round:
    advance_days: int
    generation_change: bool
    faults: tuple[dict[str, Any], ...]


def rounds(paths: tuple[str, ...]) -> st.SearchStrategy[list[Round]]:
    faults = st.one_of(
        st.lists(fault_rules(paths, bounded=True), max_size=3).filter(absorbable),
        st.lists(fault_rules(paths, bounded=False), min_size=1, max_size=3),
    )
    one = st.builds(Round, st.integers(0, 4), st.booleans(), faults.map(tuple))
    return st.lists(one, min_size=1, max_size=3)


# -- clients ----------------------------------------------------------------------------------------------------


@dataclass
class MintingToken:
    """A token source that gets a new token from the control plane when the API answers 401 (a refresh)."""

    control: Control
    current: str = ""

    def access_token(self) -> str:
        return self.current or self.refresh()

    def refresh(self, stale: str | None = None) -> str:
        self.current = self.control.token()
        return self.current


def client_for(live: LiveServer, max_span: timedelta = MAX_SPAN) -> TachoShareClient:
    retrier = Retrier(RetryPolicy(max_attempts=ATTEMPTS), rng=random.Random(0), sleep=lambda _: None)
    token = MintingToken(Control(live.base_url))
    return TachoShareClient(f"{live.base_url}/tachoshare", token, retrier=retrier, max_span=max_span, timeout=10)


def clean_client(live: LiveServer) -> TachoShareClient:
    """For the truth: used only while no fault is installed (its token is renewed when the clock passes it)."""
    return TachoShareClient(f"{live.base_url}/tachoshare", MintingToken(Control(live.base_url)), timeout=10)


@dataclass(frozen=True)
class FewSubjects:
    """The client, listing only some vehicles and cards (a `VehicleSource` and `DriverSource` for the flows)."""

    client: TachoShareClient
    vins: frozenset[str]
    cards: frozenset[str]

    def list_vehicles(self) -> list[Vehicle]:
        return [v for v in self.client.list_vehicles() if v.vin in self.vins]

    def list_drivers(self) -> list[Driver]:
        return [d for d in self.client.list_drivers() if d.card_number in self.cards]

    def download_vehicle_files(
        self,
        vin: str,
        start: date | None = None,
        end: date | None = None,
        file_format: VehicleFileFormat = VehicleFileFormat.DDD,
    ) -> list[VehicleFile]:
        return self.client.download_vehicle_files(vin, start, end, file_format)

    def download_driver_files(
        self,
        card_number: str,
        country_code: str,
        start: date | None = None,
        end: date | None = None,
        file_format: DriverFileFormat = DriverFileFormat.DDD,
    ) -> list[DriverFileArchive]:
        return self.client.download_driver_files(card_number, country_code, start, end, file_format)


@dataclass(frozen=True)
class Fleet:
    vins: frozenset[str]
    cards: frozenset[str]
    retrofit_vins: frozenset[str]


@pytest.fixture(scope="module")
def fleet(live_server: LiveServer) -> Fleet:
    """The vehicles and cards the properties look at: units whose generation changes (in the world, and those the
    generation-change scenario retrofits, found by applying it once), a unit that stopped downloading, a healthy
    one; a renewed card, a healthy one, a delayed one."""
    control = Control(live_server.base_url)
    control.reset()
    before = {v["vin"]: v["generation"] for v in control.world()["accounts"][0]["vehicles"]}
    control.apply_scenario("generation-change")
    after = {v["vin"]: v["generation"] for v in control.world()["accounts"][0]["vehicles"]}
    control.reset()
    retrofitted = frozenset(vin for vin, generation in after.items() if before[vin] != generation)
    assert len(retrofitted) == 3
    fixed = {vehicle_by_key(live_server.sim, key).vin for key in FIXED_VEHICLES}
    return Fleet(frozenset(fixed | retrofitted), frozenset(map(_card_by_key(live_server), FIXED_DRIVERS)), retrofitted)


def _card_by_key(live: LiveServer) -> Callable[[str], str]:
    keys = [d["key"] for d in yaml.safe_load(default_world_path().read_text())["accounts"][0]["drivers"]]
    account = live.sim.world.account("demo")
    assert account is not None
    return lambda key: account.drivers[keys.index(key)].card_key


@pytest.fixture
def control(live: LiveServer) -> Control:
    return Control(live.base_url)


@contextmanager
def faults_installed(control: Control, rules: tuple[dict[str, Any], ...]) -> Iterator[None]:
    for rule in rules:
        control.add_fault(rule)
    try:
        yield
    finally:
        control.clear_faults()


def apply_changes(control: Control, step: Round, generation_changed: bool) -> bool:
    """Move the clock and retrofit units as the round says (the retrofit once); whether units were retrofitted."""
    if step.advance_days:
        control.advance(step.advance_days * 86_400)
    if step.generation_change and not generation_changed:
        control.apply_scenario("generation-change")
        return True
    return generation_changed


# -- what a flow syncs, and what the simulator holds -------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """A subject as the simulator lists it: its key in the store, its days, and how to download it."""

    key: str
    last: date | None
    first: date | None
    ids: tuple[str, ...]  # (vin,) or (card number, country code)


@dataclass(frozen=True)
class Flow:
    list_held: Callable[[FewSubjects], list[Held]]
    sync: Callable[[FewSubjects, CheckpointStore], SyncReport]
    expected_start: Callable[[Held], date]
    units: Callable[[str, bytes, DateRange], list[str]]  # a stored file's units (days, card downloads) in its range
    truth: Callable[[TachoShareClient, Held, DateRange], list[str]]  # the units of one fault-free download
    paths: tuple[str, ...]


def _vehicles(source: FewSubjects) -> list[Held]:
    return [
        Held(vehicle_key(v.vin), v.last_activity_date, v.first_available_activity_date, (v.vin,))
        for v in source.list_vehicles()
    ]


def _vehicle_days(name: str, content: bytes, within: DateRange) -> list[str]:
    days = [day.day for summary in summarize(content, name) for day in summary.days]
    outside = [day for day in days if date.fromisoformat(day) not in within]
    assert not outside, f"{name} holds days outside [{within.start}, {within.end}): {outside}"
    return days


def _vehicle_truth(client: TachoShareClient, held: Held, days: DateRange) -> list[str]:
    files = client.download_vehicle_files(held.ids[0], days.start, days.end)
    return [day for f in files for day in _vehicle_days(f.filename, f.content, f.range)]


VEHICLE_FLOW = Flow(
    list_held=_vehicles,
    sync=lambda source, store: sync_vehicles(source, store),
    expected_start=lambda held: held.first or _last_plus_one(held) - timedelta(days=90),
    units=_vehicle_days,
    truth=_vehicle_truth,
    paths=VEHICLE_PATHS,
)


def _drivers(source: FewSubjects) -> list[Held]:
    return [
        Held(
            driver_key(d.country_code, d.card_number),
            d.last_download_date,
            d.first_available_download_date,
            (d.card_number, d.country_code),
        )
        for d in source.list_drivers()
    ]


def _card_downloads(name: str, content: bytes, within: DateRange) -> list[str]:
    """A stored card file is one card download, named after its time (`C_<yyyyMMdd>_<HHmm>_...`)."""
    downloaded_on = date(int(name[2:6]), int(name[6:8]), int(name[8:10]))
    assert downloaded_on in within, f"{name} was downloaded outside [{within.start}, {within.end})"
    return [name]


def _driver_truth(client: TachoShareClient, held: Held, days: DateRange) -> list[str]:
    archives = client.download_driver_files(held.ids[0], held.ids[1], days.start, days.end)
    return [unit for a in archives for e in a.entries for unit in _card_downloads(e.filename, e.content, a.range)]


def _driver_start(held: Held) -> date:
    start = _last_plus_one(held) - timedelta(days=DRIVER_INITIAL_DAYS)
    return max(start, held.first) if held.first is not None else start


DRIVER_FLOW = Flow(
    list_held=_drivers,
    sync=lambda source, store: sync_drivers(source, store, initial_days=DRIVER_INITIAL_DAYS),
    expected_start=_driver_start,
    units=_card_downloads,
    truth=_driver_truth,
    paths=DRIVER_PATHS,
)


def _last_plus_one(held: Held) -> date:
    assert held.last is not None
    return held.last + ONE_DAY


# -- the sync property --------------------------------------------------------------------------------------------


@dataclass
class SyncRun:
    """Sync rounds against the live simulator, checking each round and remembering where each subject began."""

    flow: Flow
    source: FewSubjects  # the client under faults
    truth: FewSubjects  # a clean client, used only while no fault is installed
    store: CheckpointStore
    first_commit: dict[str, Held] = field(default_factory=dict)

    def round(self, faults: tuple[dict[str, Any], ...], control: Control) -> list[Held]:
        held = self.flow.list_held(self.truth)
        before = {h.key: self.store.last_day(h.key) for h in held}
        report: SyncReport | None = None
        with faults_installed(control, faults):
            try:
                report = self.flow.sync(self.source, self.store)
            except SYNC_FAULTS:
                report = None  # the listing itself failed: nothing may have moved
        if absorbable(list(faults)):
            assert report is not None and not report.failed, report
        outcomes = {o.key: o for o in report.outcomes} if report is not None else {}
        for subject in held:
            after = self.store.last_day(subject.key)
            outcome = outcomes.get(subject.key)
            if outcome is None or outcome.error is not None or subject.last is None:
                assert after == before[subject.key], f"{subject.key} moved without a complete batch"
                continue
            assert after == subject.last, f"{subject.key} synced to {after}, the simulator is at {subject.last}"
            stored_last = before[subject.key]
            if stored_last is None:
                self.first_commit[subject.key] = subject
            else:
                assert outcome.synced is None or outcome.synced.start == stored_last + ONE_DAY
        return held

    def check_final(self, held: list[Held], clean: TachoShareClient) -> None:
        for subject in held:
            batches = self.store.batches(subject.key)
            if subject.last is None:
                assert not batches
                continue
            start = self.flow.expected_start(self.first_commit[subject.key])
            ranges = [b.range for b in batches]
            assert ranges[0].start == start, f"{subject.key} starts at {ranges[0].start}, not {start}"
            for older, newer in itertools.pairwise(ranges):
                assert older.end == newer.start, f"{subject.key}: a gap or overlap between {older} and {newer}"
            assert ranges[-1].end == subject.last + ONE_DAY
            stored = [
                unit
                for batch in batches
                for piece in batch.pieces
                for unit in self._piece_units(batch.range, piece.range, piece.files)
            ]
            assert len(stored) == len(set(stored)), f"{subject.key}: stored twice: {_twice(stored)}"
            truth = self.flow.truth(clean, subject, DateRange(start, subject.last + ONE_DAY))
            assert sorted(stored) == sorted(truth), f"{subject.key}: stored and held differ"

    def _piece_units(self, batch: DateRange, piece: DateRange, files: tuple[Any, ...]) -> list[str]:
        assert batch.start <= piece.start and piece.end <= batch.end
        return [unit for f in files for unit in self.flow.units(f.name, f.content, piece)]


def _twice(items: list[str]) -> list[str]:
    return [item for item, count in Counter(items).items() if count > 1]


def make_store(kind: str, folder: str) -> CheckpointStore:
    if kind == "sqlite":
        return SqliteCheckpointStore(Path(folder) / "checkpoints.db")
    return JsonCheckpointStore(Path(folder) / "checkpoints")


def run_schedule(
    live: LiveServer, control: Control, fleet: Fleet, flow: Flow, schedule: list[Round], store_kind: str, span: int
) -> None:
    control.reset()
    clean = clean_client(live)
    with tempfile.TemporaryDirectory() as folder:
        run = SyncRun(
            flow,
            FewSubjects(client_for(live, timedelta(days=span)), fleet.vins, fleet.cards),
            FewSubjects(clean, fleet.vins, fleet.cards),
            make_store(store_kind, folder),
        )
        retrofitted = False
        for step in schedule:
            retrofitted = apply_changes(control, step, retrofitted)
            run.round(step.faults, control)
        held = run.round((), control)  # the last sync, without faults, must complete everything
        run.check_final(held, clean)


STORES = st.sampled_from(["sqlite", "json"])


@settings(SETTINGS, max_examples=6)
@given(schedule=rounds(VEHICLE_PATHS), store_kind=STORES, span=st.integers(60, 730))
def test_vehicle_sync_ends_with_exactly_the_days_the_simulator_holds(
    live: LiveServer, control: Control, fleet: Fleet, schedule: list[Round], store_kind: str, span: int
) -> None:
    run_schedule(live, control, fleet, VEHICLE_FLOW, schedule, store_kind, span)


@settings(SETTINGS, max_examples=5)
@given(schedule=rounds(DRIVER_PATHS), store_kind=STORES, span=st.integers(10, 730))
def test_driver_sync_ends_with_exactly_the_card_downloads_the_simulator_holds(
    live: LiveServer, control: Control, fleet: Fleet, schedule: list[Round], store_kind: str, span: int
) -> None:
    run_schedule(live, control, fleet, DRIVER_FLOW, schedule, store_kind, span)


# -- the range-splitting property -----------------------------------------------------------------------------------


@dataclass
class PieceRecordingClient(TachoShareClient):
    """The client, remembering every piece of a range the server answered (a file or 204, not a split request)."""

    answered: list[DateRange] = field(default_factory=list)

    def get_vehicle_file(
        self, vin: str, date_range: DateRange, file_format: VehicleFileFormat = VehicleFileFormat.DDD
    ) -> VehicleFile | None:
        result = super().get_vehicle_file(vin, date_range, file_format)
        self.answered.append(date_range)
        return result


@settings(SETTINGS, max_examples=8)
@given(
    which=st.integers(0, 3),
    generation_change=st.booleans(),
    back=st.integers(0, 500),
    length=st.integers(1, 800),
    span=st.integers(7, 400),
    faults=st.lists(fault_rules(("/vehicles/*/files",), bounded=True, max_after=1), min_size=1, max_size=3).filter(
        absorbable
    ),
)
def test_a_file_download_under_faults_covers_the_range_exactly_once(
    live: LiveServer,
    control: Control,
    fleet: Fleet,
    which: int,
    generation_change: bool,
    back: int,
    length: int,
    span: int,
    faults: list[dict[str, Any]],
) -> None:
    """A unit whose generation changed (40 days back; or 10 days back, by the scenario), a range ending near its
    last day, often crossing the change, split into chunks of `span` days."""
    control.reset()
    changed = [vehicle_by_key(live.sim, "retrofitted").vin]
    if generation_change:
        control.apply_scenario("generation-change")
        changed += sorted(fleet.retrofit_vins)
    clean = clean_client(live)
    vehicle = clean.get_vehicle(changed[which % len(changed)])
    assert vehicle.last_activity_date is not None
    start = vehicle.last_activity_date - timedelta(days=back)
    requested = DateRange(start, min(start + timedelta(days=length), vehicle.last_activity_date + timedelta(days=30)))
    retrier = Retrier(RetryPolicy(max_attempts=ATTEMPTS), rng=random.Random(0), sleep=lambda _: None)
    client = PieceRecordingClient(
        f"{live.base_url}/tachoshare",
        MintingToken(control),
        retrier=retrier,
        max_span=timedelta(days=span),
        timeout=10,
    )
    with faults_installed(control, tuple(faults)):
        files = client.download_vehicle_files(vehicle.vin, requested.start, requested.end)

    pieces = client.answered
    assert pieces[0].start == requested.start and pieces[-1].end == requested.end
    for older, newer in itertools.pairwise(pieces):
        assert older.end == newer.start, f"a gap or overlap between {older} and {newer}"
    assert all(piece.days <= span for piece in pieces)
    file_ranges = [f.range for f in files]
    assert file_ranges == [piece for piece in pieces if piece in set(file_ranges)]
    days = [day for f in files for day in _vehicle_days(f.filename, f.content, f.range)]
    assert len(days) == len(set(days)), f"days in two files: {_twice(days)}"
    assert sorted(days) == sorted(_vehicle_truth(clean, Held("", None, None, (vehicle.vin,)), requested))
