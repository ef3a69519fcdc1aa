"""The console's downloads and uploads in Chromium (issue 14: "download the state snapshot, upload one to restore";
a vehicle's and a driver's files for a range): the snapshot the scenarios page saves is `GET /_sim/state` at that
moment, uploading it through the form puts that state back exactly (and a bad one is refused with the server's
words and changes nothing); the files the vehicle and driver pages save are the bytes TachoShare serves for the
range. `test_firefox.py` runs the same checks in Firefox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def state(console: LiveServer) -> dict[str, Any]:
    answer = requests.get(f"{console.base_url}/_sim/state", timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def a_state_worth_saving(console: LiveServer) -> dict[str, Any]:
    """The clock a day on, a fault rule, a manual RDL: the snapshot the page must save."""
    base = console.base_url
    assert requests.post(f"{base}/_sim/clock/advance", json={"seconds": 86400}, timeout=10).ok
    rule = {"match": {"api": "reveal", "method": "GET", "path": "/nowhere"}, "respond": {"status": 503}}
    assert requests.post(f"{base}/_sim/faults", json=rule, timeout=10).ok
    headers = {"Authorization": f"Bearer {console.token()}", "Accept": "application/json"}
    vehicles = requests.get(f"{base}/tachoshare/vehicles", headers=headers, timeout=10).json()["items"]
    asked = [requests.post(f"{base}/tachoshare/vehicles/{v['vin']}/rdl", headers=headers, timeout=10).status_code
             for v in vehicles if v["rdlStatus"] == "OK"][:1]  # fmt: skip
    assert asked == [200]
    return state(console)


def change_it(console: LiveServer, saved: dict[str, Any]) -> None:
    """Move the state away from the saved one (the clock, the faults)."""
    assert requests.post(f"{console.base_url}/_sim/clock/advance", json={"seconds": 3 * 86400}, timeout=10).ok
    assert requests.delete(f"{console.base_url}/_sim/faults", timeout=10).status_code in (200, 204)
    assert state(console) != saved


def bad_snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "newer.json"
    path.write_text(json.dumps({"version": 99, "clock": {"now": "2026-11-02T08:00:00Z", "rate": 0}, "sections": {}}))
    return path


@dataclass(frozen=True)
class Served:
    """A range of a vehicle's or a driver card's files and the bytes TachoShare serves for it."""

    page: str  # the console page that downloads them
    name: str  # the name the page saves them under
    start: str
    end: str
    body: bytes


def served_files(console: LiveServer) -> list[Served]:
    base = console.base_url
    headers = {"Authorization": f"Bearer {console.token()}", "Accept": "application/json"}
    binary = {**headers, "Accept": "application/octet-stream"}
    vehicle = next(v for v in requests.get(f"{base}/tachoshare/vehicles", headers=headers, timeout=10).json()["items"]
                   if v.get("lastActivityDate"))  # fmt: skip
    last = date.fromisoformat(vehicle["lastActivityDate"])
    start, end = (last - timedelta(days=6)).isoformat(), last.isoformat()
    unit = requests.get(f"{base}/tachoshare/vehicles/{vehicle['vin']}/files", headers=binary, timeout=30,
                        params={"activityDate-from": start, "activityDate-to": end})  # fmt: skip
    assert unit.status_code == 200 and unit.content, unit.text
    driver = next(d for d in requests.get(f"{base}/tachoshare/drivers", headers=headers, timeout=10).json()["items"]
                  if d.get("lastDownloadDate"))  # fmt: skip
    downloaded = date.fromisoformat(driver["lastDownloadDate"])
    card_start, card_end = (downloaded - timedelta(days=30)).isoformat(), (downloaded + timedelta(days=1)).isoformat()
    card = requests.get(f"{base}/tachoshare/drivers/{driver['cardNumber']}/files", headers=binary, timeout=30,
                        params={"countryCode": driver["countryCode"], "downloadDate-from": card_start,
                                "downloadDate-to": card_end})  # fmt: skip
    assert card.status_code == 200 and card.content[:2] == b"PK", card.text
    return [
        Served(f"pages/vehicle?account=demo&vin={vehicle['vin']}", f"{vehicle['vin']}.DDD", start, end, unit.content),
        Served(f"pages/driver?account=demo&card={driver['cardNumber']}&country={driver['countryCode']}",
               f"{driver['cardNumber']}.zip", card_start, card_end, card.content),
    ]  # fmt: skip


def _open(page: Any, console: LiveServer, path: str) -> None:
    page.goto(f"{console.base_url}/_sim/console/{path}")
    page.wait_for_selector("body[data-ready=true]", timeout=10_000)


def test_the_snapshot_saved_is_the_state_and_uploading_it_restores_it(
    page: Any, console: LiveServer, tmp_path: Path
) -> None:
    wanted = a_state_worth_saving(console)
    _open(page, console, "pages/scenarios")
    with page.expect_download() as download:
        page.click("#snapshot")
    saved = tmp_path / "snapshot.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "fleetmock-state.json"
    assert json.loads(saved.read_bytes()) == wanted

    change_it(console, wanted)
    page.set_input_files("#restore-form [name=file]", str(saved))
    page.click("#restore-form button")
    page.wait_for_function("document.querySelector('#restore-result').textContent !== ''", timeout=10_000)
    assert page.locator("#restore-result").inner_text() == "restored"
    assert state(console) == wanted


def test_a_snapshot_the_server_refuses_shows_why_and_changes_nothing(
    page: Any, console: LiveServer, tmp_path: Path
) -> None:
    before = state(console)
    _open(page, console, "pages/scenarios")
    page.set_input_files("#restore-form [name=file]", str(bad_snapshot(tmp_path)))
    page.click("#restore-form button")
    page.wait_for_function("document.querySelector('#restore-result').textContent !== ''", timeout=10_000)
    assert page.locator("#restore-result").inner_text().startswith("400: ")
    assert state(console) == before


def test_the_vehicle_and_driver_pages_save_the_files_tachoshare_serves_for_the_range(
    page: Any, console: LiveServer, tmp_path: Path
) -> None:
    for served in served_files(console):
        _open(page, console, served.page)
        page.fill("#files-form [name=from]", served.start)
        page.fill("#files-form [name=to]", served.end)
        with page.expect_download() as download:
            page.click("#files-form button")
        assert download.value.suggested_filename == served.name
        saved = tmp_path / served.name
        download.value.save_as(saved)
        assert saved.read_bytes() == served.body, served.name
