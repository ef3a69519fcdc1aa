"""File downloads and the sync flows against the live simulator (its file routes are served since the
tachograph-files change): the generation split, 2-year chunks, driver ZIPs, and syncing across simulated days."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests

from contracts.tachoshare.checkpoints import SqliteCheckpointStore
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.models import DriverFileFormat, VehicleFileFormat
from contracts.tachoshare.oauth import StaticToken, WebfleetOAuth
from contracts.tachoshare.sync import driver_key, sync_drivers, sync_vehicles, vehicle_key
from contracts.tachoshare.token_storage import InMemoryTokenStorage, TokenSet
from tests.conftest import LiveServer, vehicle_by_key
from tests.contracts.tachoshare.live_support import oauth_settings

pytestmark = pytest.mark.live


def client_for(live: LiveServer) -> TachoShareClient:
    return TachoShareClient(f"{live.base_url}/tachoshare", StaticToken(live.token()), clock=live.sim.clock.now)


def refreshing_client_for(live: LiveServer) -> TachoShareClient:
    """A client whose tokens (minted for demo-partner without the browser step) refresh as simulated days pass."""
    minted = requests.post(f"{live.base_url}/_sim/tokens", json={}, timeout=10).json()
    expires_at = live.sim.clock.now() + timedelta(seconds=minted["expires_in"])
    tokens = TokenSet(access_token=minted["access_token"], refresh_token=minted["refresh_token"], expires_at=expires_at)
    oauth = WebfleetOAuth(oauth_settings(live), InMemoryTokenStorage(tokens), clock=live.sim.clock.now)
    return TachoShareClient(f"{live.base_url}/tachoshare", oauth, clock=live.sim.clock.now)


def test_a_retrofitted_unit_comes_as_two_files_split_at_the_generation_change(live: LiveServer) -> None:
    client = client_for(live)
    vehicle = client.get_vehicle(vehicle_by_key(live.sim, "retrofitted").vin)
    assert vehicle.first_available_activity_date and vehicle.last_activity_date
    end = vehicle.last_activity_date + timedelta(days=1)
    files = client.download_vehicle_files(
        vehicle.vin, vehicle.first_available_activity_date, end, VehicleFileFormat.V1B_V1C
    )
    assert len(files) == 2
    assert files[0].range.start == vehicle.first_available_activity_date and files[1].range.end == end
    assert files[0].range.end == files[1].range.start
    assert [f.extension for f in files] == ["V1B", "V1C"]  # Gen1 content, then Gen2
    assert all(f.filename.startswith("M_") and vehicle.vin in f.filename and f.content for f in files)


def test_a_range_over_two_years_is_chunked_and_accepted(live: LiveServer) -> None:
    client = client_for(live)
    vehicle = client.get_vehicle(vehicle_by_key(live.sim, "ok-basic").vin)
    assert vehicle.last_activity_date is not None
    files = client.download_vehicle_files(vehicle.vin, date(2022, 1, 1), vehicle.last_activity_date + timedelta(days=1))
    assert files and all(f.range.days <= 730 for f in files)
    assert all(a.range.end <= b.range.start for a, b in itertools.pairwise(files))


def test_a_renewed_driver_card_comes_as_zips_split_at_the_renewal(live: LiveServer) -> None:
    client = client_for(live)
    account = live.sim.world.account("demo")
    assert account is not None
    renewed = next(d for d in client.list_drivers() if d.card_number == account.drivers[5].card_key)
    assert renewed.first_available_download_date and renewed.last_download_date
    archives = client.download_driver_files(
        renewed.card_number,
        renewed.country_code,
        renewed.first_available_download_date,
        renewed.last_download_date + timedelta(days=1),
        DriverFileFormat.C1B_C1C,
    )
    assert len(archives) == 2 and archives[0].range.end == archives[1].range.start
    entries = [e for a in archives for e in a.entries]
    assert entries and all(e.card_number == renewed.card_number for e in entries)
    assert [e.downloaded_at for e in entries] == sorted(e.downloaded_at for e in entries if e.downloaded_at)
    assert {e.extension for e in archives[0].entries} == {"C1B"} and {e.extension for e in archives[1].entries} == {
        "C1C"
    }


def test_syncing_across_simulated_days_fetches_exactly_the_new_days(live: LiveServer, tmp_path: Path) -> None:
    """Both stores run the same code path in the fake-layer properties; here the SQLite one (keeps the test short)."""
    client = refreshing_client_for(live)
    store = SqliteCheckpointStore(tmp_path / "s.sqlite")
    for _ in range(2):
        vehicles_report = sync_vehicles(client, store, initial_days=14)
        drivers_report = sync_drivers(client, store, initial_days=14)
        assert not vehicles_report.failed and not drivers_report.failed
        for vehicle in client.list_vehicles():
            batches = store.batches(vehicle_key(vehicle.vin))
            assert store.last_day(vehicle_key(vehicle.vin)) == vehicle.last_activity_date
            assert all(a.range.end == b.range.start for a, b in itertools.pairwise(batches))
        for driver in client.list_drivers():
            key = driver_key(driver.country_code, driver.card_number)
            assert store.last_day(key) == driver.last_download_date
            batches = store.batches(key)
            assert all(a.range.end == b.range.start for a, b in itertools.pairwise(batches))
            names = [f.name for b in batches for p in b.pieces for f in p.files]
            assert len(names) == len(set(names)), "a card download was stored twice"
        requests.post(f"{live.base_url}/_sim/clock/advance", json={"seconds": 5 * 86400}, timeout=10).raise_for_status()


def test_the_clients_default_range_is_the_servers(live: LiveServer) -> None:
    token = live.token()
    client = TachoShareClient(f"{live.base_url}/tachoshare", StaticToken(token), clock=live.sim.clock.now)
    vin = vehicle_by_key(live.sim, "ok-plus").vin
    [file] = client.download_vehicle_files(vin)
    raw = requests.get(
        f"{live.base_url}/tachoshare/vehicles/{vin}/files",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/octet-stream, application/json"},
        timeout=30,
    )
    assert raw.status_code == 200 and raw.content == file.content
