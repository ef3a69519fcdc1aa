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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.common.retry import Retrier, RetryPolicy
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.files import VehicleFile
from contracts.tachoshare.models import VehicleFileFormat
from contracts.tachoshare.ranges import DateRange
from mockserver.control.handle import Control
from mockserver.resources import default_world_path
from tests.conftest import LiveServer, vehicle_by_key
from tests.contracts.fault_schedules import (
    ATTEMPTS,
    DRIVER_PATHS,
    VEHICLE_PATHS,
    Round,
    absorbable,
    fault_rules,
    faults_installed,
    rounds,
)
from tests.contracts.sync_harness import (
    DRIVER_FLOW,
    VEHICLE_FLOW,
    Fleet,
    Held,
    MintingToken,
    clean_client,
    run_schedule,
    twice,
    vehicle_days,
    vehicle_truth,
)

pytestmark = pytest.mark.live

FIXED_VEHICLES = ("retrofitted", "delayed", "ok-plus")  # a Gen1 -> Gen2v2 change 40 days back; a stuck unit
FIXED_DRIVERS = ("renewed", "ok", "delayed")
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


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
    days = [day for f in files for day in vehicle_days(f.filename, f.content, f.range)]
    assert len(days) == len(set(days)), f"days in two files: {twice(days)}"
    assert sorted(days) == sorted(vehicle_truth(clean, Held("", None, None, (vehicle.vin,)), requested))
