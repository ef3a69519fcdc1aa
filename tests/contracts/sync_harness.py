"""The sync harness of the fault-schedule properties: clients that see a few subjects, the two flows (vehicle-unit
days, card downloads), what the simulator holds of each, and `run_schedule`, which syncs round after round under a
schedule and checks each round and the end (`test_fault_schedules_live.py`)."""

from __future__ import annotations

import itertools
import random
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from contracts.common.retry import Retrier, RetryPolicy
from contracts.tachoshare.checkpoints import CheckpointStore, JsonCheckpointStore, SqliteCheckpointStore
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.files import DriverFileArchive, VehicleFile
from contracts.tachoshare.models import Driver, DriverFileFormat, Vehicle, VehicleFileFormat
from contracts.tachoshare.ranges import MAX_SPAN, ONE_DAY, DateRange
from contracts.tachoshare.sync import SYNC_FAULTS, SyncReport, driver_key, sync_drivers, sync_vehicles, vehicle_key
from mockserver.control.handle import Control
from mockserver.tachograph.inspect import summarize
from tests.conftest import LiveServer
from tests.contracts.fault_schedules import (
    ATTEMPTS,
    DRIVER_PATHS,
    VEHICLE_PATHS,
    Round,
    absorbable,
    apply_changes,
    faults_installed,
)

DRIVER_INITIAL_DAYS = 40  # reaches back past the card renewed 30 days before the world's start

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


def vehicle_days(name: str, content: bytes, within: DateRange) -> list[str]:
    days = [day.day for summary in summarize(content, name) for day in summary.days]
    outside = [day for day in days if date.fromisoformat(day) not in within]
    assert not outside, f"{name} holds days outside [{within.start}, {within.end}): {outside}"
    return days


def vehicle_truth(client: TachoShareClient, held: Held, days: DateRange) -> list[str]:
    files = client.download_vehicle_files(held.ids[0], days.start, days.end)
    return [day for f in files for day in vehicle_days(f.filename, f.content, f.range)]


VEHICLE_FLOW = Flow(
    list_held=_vehicles,
    sync=lambda source, store: sync_vehicles(source, store),
    expected_start=lambda held: held.first or _last_plus_one(held) - timedelta(days=90),
    units=vehicle_days,
    truth=vehicle_truth,
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


# -- syncing round after round ------------------------------------------------------------------------------


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
            assert len(stored) == len(set(stored)), f"{subject.key}: stored twice: {twice(stored)}"
            truth = self.flow.truth(clean, subject, DateRange(start, subject.last + ONE_DAY))
            assert sorted(stored) == sorted(truth), f"{subject.key}: stored and held differ"

    def _piece_units(self, batch: DateRange, piece: DateRange, files: tuple[Any, ...]) -> list[str]:
        assert batch.start <= piece.start and piece.end <= batch.end
        return [unit for f in files for unit in self.flow.units(f.name, f.content, piece)]


def twice(items: list[str]) -> list[str]:
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
