"""The console in a real Firefox too (issue 14: "current Chromium and Firefox"), over WebDriver BiDi (`bidi.py` says
why not Playwright): every page fills without a script error, a bad fault form shows its field error and adds
nothing, and the vehicle's download timeline grows by the download one simulated day brought, as the API says."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from tests.browser.bidi import Firefox
from tests.browser.test_console import PAGES
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
