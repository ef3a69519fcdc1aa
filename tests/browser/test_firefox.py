"""The console in a real Firefox too (issue 14: "current Chromium and Firefox"), over WebDriver BiDi (`bidi.py` says
why not Playwright), the click-throughs the issue names: every page fills without a script error; a bad fault form
shows its field error and adds nothing, a good one fires on the next TachoShare call, whose journal line appears
live within a second; the vehicle's download timeline grows by the download one simulated day brought, as the API
says; the day chart has one bar per activity change of the served card file (`fleetmock ddd inspect --json`); the
ELD grid's segments and clocks are statushistory's and the engine's, and at now remainingtime's; with a control
token the page asks for it and sends it; the snapshot saved is the state and uploading it restores it (a refused
one changes nothing); the vehicle and driver pages save the bytes TachoShare serves (`test_console_files.py`)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from mockserver.guard import Access
from tests.browser.bidi import Firefox
from tests.browser.test_console import CLOCKS_JS, PAGES, SEGMENTS_JS, check_clocks_now, clocks_of, eld_case, served_day
from tests.browser.test_console_files import a_state_worth_saving, bad_snapshot, change_it, served_files, state
from tests.browser.test_timeline import _api, _attempts, _due_within_a_day, _timeline
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser
READY = "document.body.dataset.ready === 'true'"


@pytest.fixture(scope="module")
def firefox() -> Iterator[Firefox]:
    browser = Firefox()
    yield browser
    browser.close()


@pytest.fixture
def tab(firefox: Firefox, console: LiveServer) -> Iterator[Firefox]:
    """The browser on a fresh simulator; any script error on its pages fails the test."""
    firefox.errors.clear()
    yield firefox
    firefox.drain()
    assert not firefox.errors, f"script errors on the page: {firefox.errors}"


def _open(tab: Firefox, console: LiveServer, path: str) -> None:
    tab.goto(f"{console.base_url}/_sim/console/{path}")
    tab.wait_for(READY)


def test_every_page_fills_in_firefox(tab: Firefox, console: LiveServer) -> None:
    for name in ("", *(f"pages/{p}" for p in PAGES)):
        _open(tab, console, name)
        assert tab.evaluate("document.querySelector('#page-error').textContent") == "", name
    _open(tab, console, "pages/fleet")
    assert tab.wait_for("document.querySelectorAll('#rows tbody tr').length") > 0
    card = requests.get(f"{console.base_url}/_sim/world", timeout=5).json()["accounts"][0]["companyCards"][0]
    _open(tab, console, f"pages/card?account=demo&card={card['cardNumber']}")
    assert tab.evaluate("document.querySelectorAll('#timeline svg g.status').length") > 0


def test_the_driver_picker_searches_on_the_server_in_firefox(tab: Firefox, console: LiveServer) -> None:
    drivers = requests.get(f"{console.base_url}/_sim/world", timeout=5).json()["accounts"][0]["drivers"]
    needle = drivers[-1]["name"].split()[-1][:4].lower()
    _open(tab, console, "pages/tachograph")
    tab.fill("[name=card-search]", needle)
    tab.wait_for(f"document.querySelector('[name=card]').dataset.search === {json.dumps(needle)}", timeout=5)
    shown = tab.evaluate("[...document.querySelector('[name=card]').options].map(o => o.value.split('|')[0])")
    wanted = requests.get(f"{console.base_url}/_sim/world/accounts/demo/drivers", params={"search": needle},
                          timeout=5).json()["items"]  # fmt: skip
    assert shown == [d["cardNumber"] for d in wanted] and drivers[-1]["cardNumber"] in shown


def test_a_bad_fault_shows_its_field_error_in_firefox(tab: Firefox, console: LiveServer) -> None:
    _open(tab, console, "pages/faults")
    tab.evaluate("(document.querySelector('#fault-form [name=times]').value = '0')")
    tab.click("#fault-form button")
    shown = tab.wait_for("document.querySelector('.field-error[data-field=times]').textContent", timeout=5)
    assert "less than the minimum of 1" in shown
    assert requests.get(f"{console.base_url}/_sim/faults", timeout=5).json()["rules"] == []


def test_one_day_grows_the_timeline_in_firefox(tab: Firefox, console: LiveServer) -> None:
    vin = _due_within_a_day(console)
    before = _attempts(_timeline(console, vin))
    drawn = "[...document.querySelectorAll('#timeline svg circle.attempt')].map(c => [c.dataset.at, c.dataset.ok])"
    _open(tab, console, f"pages/vehicle?account=demo&vin={vin}")
    assert tab.evaluate(drawn) == [[e["at"], str(e["ok"]).lower()] for e in before]

    _open(tab, console, "")
    now = tab.evaluate("document.querySelector('#now').textContent")
    tab.click("[data-advance='86400']")
    tab.wait_for(f"document.querySelector('#now').textContent !== {json.dumps(now)}", timeout=5)

    _open(tab, console, f"pages/vehicle?account=demo&vin={vin}")
    after = _attempts(_timeline(console, vin))
    assert len(after) == len(before) + 1 and after[: len(before)] == before
    assert tab.evaluate(drawn) == [[e["at"], str(e["ok"]).lower()] for e in after]
    assert _api(console, f"/vehicles/{vin}").json()["items"][0]["lastRdlAttempt"] == after[-1]["at"]


def test_a_good_fault_fires_and_its_journal_line_appears_live_in_firefox(tab: Firefox, console: LiveServer) -> None:
    _open(tab, console, "pages/faults")
    tab.fill("#fault-form [name=api]", "tachoshare")
    tab.fill("#fault-form [name=times]", "1")
    tab.fill("#fault-form [name=method]", "GET")
    tab.fill("#fault-form [name=path]", "/vehicles")
    tab.click("#fault-form button")
    tab.wait_for("document.querySelectorAll('#rules tbody tr').length === 1", timeout=5)
    [rule] = requests.get(f"{console.base_url}/_sim/faults", timeout=5).json()["rules"]
    assert rule["match"] == {"api": "tachoshare", "method": "GET", "path": "/vehicles"} and rule["times"] == 1

    _open(tab, console, "pages/journal")
    headers = {"Authorization": f"Bearer {console.token()}"}
    called = time.monotonic()
    assert requests.get(f"{console.base_url}/tachoshare/vehicles", headers=headers, timeout=5).status_code == 503
    shown = tab.wait_for("document.querySelector('#lines li.fault')?.textContent", timeout=1)
    assert time.monotonic() - called < 1.0
    assert f"GET /tachoshare/vehicles → 503 [demo] fault {rule['id']}" in shown
    tab.click("#lines li.fault summary")
    entry = tab.wait_for("document.querySelector('#lines li.fault pre.entry')?.textContent", timeout=5)
    assert json.loads(entry)["fault"] == rule["id"]


def test_the_day_chart_has_one_bar_per_activity_change_in_firefox(
    tab: Firefox, console: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card, expected = served_day(console, tmp_path, capsys)
    _open(tab, console, f"pages/tachograph?account=demo&card={card}")
    tab.fill("#day-form [name=day]", expected["date"])
    tab.click("#day-form button[type=submit]")
    drawn = "document.querySelector('#chart svg') && document.querySelectorAll('#chart svg rect.activity').length"
    bars = tab.wait_for(drawn, timeout=15)
    assert bars == expected["activityChanges"] > 0
    driving = tab.evaluate("[...document.querySelectorAll('#totals dt')].find(d => d.textContent === 'driving')"
                           ".nextElementSibling.textContent")  # fmt: skip
    assert driving == f"{expected['minutes']['driving'] // 60}:{expected['minutes']['driving'] % 60:02d}"


def _draw_eld(tab: Firefox, day: str, at: str = "") -> None:
    tab.fill("#eld-form [name=day]", day)
    tab.fill("#eld-form [name=at]", at)
    tab.click("#eld-form button[type=submit]")
    tab.wait_for("document.body.dataset.drawn === 'true' && !!document.querySelector('#chart svg')", timeout=15)
    assert tab.evaluate("document.querySelector('#eld-error').textContent") == ""


def test_the_eld_grid_and_clocks_are_statushistory_and_remainingtime_in_firefox(
    tab: Firefox, console: LiveServer
) -> None:
    case = eld_case(console)
    _open(tab, console, f"pages/eld?account=demo&driver={case.number}")
    _draw_eld(tab, case.yesterday, "13:37")
    assert tab.evaluate(SEGMENTS_JS) == case.segments and len(case.segments) > 3
    assert clocks_of(tab.evaluate(CLOCKS_JS)) == case.clocks_1337
    assert tab.evaluate("document.querySelector('#chart line.instant').dataset.minute") == str(13 * 60 + 37)
    tab.evaluate("(document.body.dataset.drawn = 'false')")
    _draw_eld(tab, case.today)
    first = tab.evaluate("document.querySelector('#remaining dd').textContent")
    check_clocks_now(case, clocks_of(tab.evaluate(CLOCKS_JS)), first)


def test_with_a_control_token_the_page_asks_for_it_and_sends_it_in_firefox(
    tab: Firefox, console: LiveServer, console_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console_app, "access", Access(token="s3cret-token"))
    assert requests.get(f"{console.base_url}/_sim/clock", timeout=5).status_code == 401
    tab.goto(f"{console.base_url}/_sim/console/")  # the shell loads without the token: it holds no data
    try:
        tab.wait_for("!document.querySelector('#token-form').hidden", timeout=5)
        assert tab.evaluate("document.querySelector('#now').textContent") == ""
        tab.fill("#token-form [name=token]", "s3cret-token")
        tab.click("#token-form button")
        tab.wait_for(READY)
        shown = tab.evaluate("document.querySelector('#now').textContent")
        assert shown == console.sim.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    finally:
        tab.evaluate("sessionStorage.clear()")  # one tab serves every test: leave no token for the next


def test_the_snapshot_saved_is_the_state_and_uploading_it_restores_it_in_firefox(
    tab: Firefox, console: LiveServer, tmp_path: Path
) -> None:
    wanted = a_state_worth_saving(console)
    _open(tab, console, "pages/scenarios")
    saved = tab.download(lambda: tab.click("#snapshot"))
    assert saved.name == "fleetmock-state.json"
    assert json.loads(saved.read_bytes()) == wanted

    change_it(console, wanted)
    tab.set_files("#restore-form [name=file]", saved)
    tab.click("#restore-form button")
    assert tab.wait_for("document.querySelector('#restore-result').textContent", timeout=10) == "restored"
    assert state(console) == wanted

    tab.set_files("#restore-form [name=file]", bad_snapshot(tmp_path))
    tab.evaluate("(document.querySelector('#restore-result').textContent = '')")
    tab.click("#restore-form button")
    assert tab.wait_for("document.querySelector('#restore-result').textContent", timeout=10).startswith("400: ")
    assert state(console) == wanted


def test_the_vehicle_and_driver_pages_save_the_files_tachoshare_serves_in_firefox(
    tab: Firefox, console: LiveServer
) -> None:
    for served in served_files(console):
        _open(tab, console, served.page)
        tab.fill("#files-form [name=from]", served.start)
        tab.fill("#files-form [name=to]", served.end)
        saved = tab.download(lambda: tab.click("#files-form button"))
        assert saved.name == served.name
        assert saved.read_bytes() == served.body, served.name
