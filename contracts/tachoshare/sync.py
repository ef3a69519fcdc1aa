"""The reference's Vehicle flow and Driver flow ("Usage guidance"), with a checkpoint store.

Vehicle flow: list the vehicles; for each whose `lastActivityDate` is newer than the last day stored for it, fetch
the files from the stored day + 1 (excluding what was already fetched) to the new `lastActivityDate` + 1 (the end
is exclusive, so the new last day is included), store them and move the checkpoint, atomically (see
`checkpoints.py`). The Driver flow is the same with `lastDownloadDate` and the `downloadDate` range.

A subject synced for the first time starts at its first available day (`firstAvailableActivityDate` /
`firstAvailableDownloadDate`), or `initial_days` before its last day when that is given, or 90 days before its
last day when the API does not say where its data starts.

Faults: a subject whose files cannot all be fetched (after the client's retries) is left untouched and reported;
the next sync asks for the same days again, and more if new ones came. A fault while listing fails the whole sync
(the client's error propagates). No day is stored twice or skipped, whatever fails in between, because only a
complete batch moves a checkpoint, together with its files.
Not handled: data the API adds later for days before a subject's checkpoint (the reference's flow cannot see it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

import requests

from contracts.tachoshare.checkpoints import Batch, CheckpointStore, Piece, StoredFile
from contracts.tachoshare.errors import TachoShareError
from contracts.tachoshare.files import DriverFileArchive, VehicleFile
from contracts.tachoshare.models import Driver, DriverFileFormat, Vehicle, VehicleFileFormat
from contracts.tachoshare.ranges import DEFAULT_SPAN, ONE_DAY, DateRange

R = TypeVar("R")

SYNC_FAULTS: tuple[type[BaseException], ...] = (TachoShareError, requests.RequestException)


class VehicleSource(Protocol):
    """What the Vehicle flow needs of a client (`TachoShareClient` is one)."""

    def list_vehicles(self) -> list[Vehicle]: ...

    def download_vehicle_files(
        self, vin: str, start: date | None = None, end: date | None = None, file_format: VehicleFileFormat = ...
    ) -> list[VehicleFile]: ...


class DriverSource(Protocol):
    """What the Driver flow needs of a client (`TachoShareClient` is one)."""

    def list_drivers(self) -> list[Driver]: ...

    def download_driver_files(
        self,
        card_number: str,
        country_code: str,
        start: date | None = None,
        end: date | None = None,
        file_format: DriverFileFormat = ...,
    ) -> list[DriverFileArchive]: ...


@dataclass(frozen=True)
class Subject:
    """A vehicle unit or driver card as the flow sees it: its key in the store and the days the API holds."""

    key: str
    last_available: date | None
    first_available: date | None


@dataclass(frozen=True)
class SubjectOutcome:
    key: str
    synced: DateRange | None = None
    files: int = 0
    error: str | None = None


@dataclass(frozen=True)
class SyncReport:
    outcomes: tuple[SubjectOutcome, ...]

    @property
    def failed(self) -> tuple[SubjectOutcome, ...]:
        return tuple(o for o in self.outcomes if o.error is not None)

    @property
    def synced(self) -> tuple[SubjectOutcome, ...]:
        return tuple(o for o in self.outcomes if o.synced is not None)


def vehicle_key(vin: str) -> str:
    return f"vehicle/{vin}"


def driver_key(country_code: str, card_number: str) -> str:
    return f"driver/{country_code}/{card_number}"


def new_days(subject: Subject, stored_last: date | None, initial_days: int | None = None) -> DateRange | None:
    """The days to fetch: from the stored last day + 1 to the new last day + 1 (exclusive); None if none."""
    if subject.last_available is None:
        return None
    end = subject.last_available + ONE_DAY
    if stored_last is not None:
        start = stored_last + ONE_DAY
    elif initial_days is not None:
        start = end - timedelta(days=initial_days)
        if subject.first_available is not None:
            start = max(start, subject.first_available)
    else:
        start = subject.first_available or end - DEFAULT_SPAN
    return DateRange(start, end) if start < end else None


def sync_vehicles(
    client: VehicleSource,
    store: CheckpointStore,
    *,
    file_format: VehicleFileFormat = VehicleFileFormat.DDD,
    initial_days: int | None = None,
) -> SyncReport:
    """The Vehicle flow for every vehicle the token sees."""

    def fetch(vehicle: Vehicle, days: DateRange) -> list[Piece]:
        files = client.download_vehicle_files(vehicle.vin, days.start, days.end, file_format)
        return [Piece(f.range, (StoredFile(f.filename, f.content),)) for f in files]

    subjects = [
        (Subject(vehicle_key(v.vin), v.last_activity_date, v.first_available_activity_date), v)
        for v in client.list_vehicles()
    ]
    return _sync(subjects, fetch, store, initial_days)


def sync_drivers(
    client: DriverSource,
    store: CheckpointStore,
    *,
    file_format: DriverFileFormat = DriverFileFormat.DDD,
    initial_days: int | None = None,
) -> SyncReport:
    """The Driver flow for every driver card the token sees; the store holds the card files unzipped."""

    def fetch(driver: Driver, days: DateRange) -> list[Piece]:
        archives = client.download_driver_files(
            driver.card_number, driver.country_code, days.start, days.end, file_format
        )
        return [Piece(a.range, tuple(StoredFile(e.filename, e.content) for e in a.entries)) for a in archives]

    subjects = [
        (Subject(driver_key(d.country_code, d.card_number), d.last_download_date, d.first_available_download_date), d)
        for d in client.list_drivers()
    ]
    return _sync(subjects, fetch, store, initial_days)


def _sync(
    subjects: Sequence[tuple[Subject, R]],
    fetch: Callable[[R, DateRange], list[Piece]],
    store: CheckpointStore,
    initial_days: int | None,
) -> SyncReport:
    outcomes = []
    for subject, resource in subjects:
        days = new_days(subject, store.last_day(subject.key), initial_days)
        if days is None:
            outcomes.append(SubjectOutcome(subject.key))
            continue
        try:
            pieces = fetch(resource, days)
        except SYNC_FAULTS as fault:
            outcomes.append(SubjectOutcome(subject.key, error=f"{type(fault).__name__}: {fault}"))
            continue
        store.commit(Batch(subject.key, days, tuple(pieces)))
        outcomes.append(SubjectOutcome(subject.key, days, sum(len(p.files) for p in pieces)))
    return SyncReport(tuple(outcomes))
