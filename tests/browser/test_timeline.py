"""The vehicle page's download timeline in a real browser (issue 14): advance the clock one day with the console's
own button and the vehicle's timeline grows by the download that happened, as the JSON timeline and TachoShare's
own vehicle answer say; the RDL button adds its request to the drawing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from tests.browser.test_console import open_page
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser
ATTEMPTS = "#timeline svg circle.attempt"


def _api(console: LiveServer, path: str, method: str = "GET") -> requests.Response:
    headers = {"Authorization": f"Bearer {console.token()}", "Accept": "application/json"}
    return requests.request(method, f"{console.base_url}/tachoshare{path}", headers=headers, timeout=10)


def _timeline(console: LiveServer, vin: str) -> dict[str, Any]:
    answer = requests.get(f"{console.base_url}/_sim/console/timelines/vehicle/{vin}", params={"account": "demo"},
                          timeout=10)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _attempts(line: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in line["events"] if e["kind"] in ("scheduled", "manual")]


def _due_within_a_day(console: LiveServer) -> str:
    """A vehicle downloaded fine so far whose next scheduled attempt falls in the coming day."""
    for vehicle in _api(console, "/vehicles").json()["items"]:
        line = _timeline(console, vehicle["vin"])
        now = _instant(line["now"])
        planned = [_instant(e["at"]) for e in line["events"] if e["kind"] == "planned"]
        if vehicle["rdlStatus"] == "OK" and planned and now < planned[0] <= now + timedelta(days=1):
            return str(vehicle["vin"])
    raise AssertionError("the demo world has a vehicle due for its download within a day")


def test_advancing_one_day_grows_the_timeline_by_the_download_that_happened(page: Any, console: LiveServer) -> None:
    vin = _due_within_a_day(console)
    before = _timeline(console, vin)
    open_page(page, console, f"pages/vehicle?account=demo&vin={vin}")
    page.wait_for_selector(ATTEMPTS)
    assert page.locator(ATTEMPTS).count() == len(_attempts(before))

    open_page(page, console, "")  # the overview's "+1 day" button, as a QA engineer would
    now = page.locator("#now").inner_text()
    page.click("[data-advance='86400']")
    page.wait_for_function(f"document.querySelector('#now').textContent !== '{now}'", timeout=5_000)

    open_page(page, console, f"pages/vehicle?account=demo&vin={vin}")
    page.wait_for_selector(ATTEMPTS)
    after = _timeline(console, vin)
    new = _attempts(after)[len(_attempts(before)) :]
    assert len(new) == 1 and _attempts(after)[: len(_attempts(before))] == _attempts(before)
    drawn = page.locator(ATTEMPTS).evaluate_all("cs => cs.map(c => [c.dataset.at, c.dataset.ok])")
    assert len(drawn) == len(_attempts(before)) + 1
    assert drawn == [[e["at"], str(e["ok"]).lower()] for e in _attempts(after)]

    vehicle = _api(console, f"/vehicles/{vin}").json()["items"][0]
    assert vehicle["lastRdlAttempt"] == new[0]["at"]
    if new[0]["ok"]:
        day = _instant(new[0]["at"]).date()
        assert vehicle["lastActivityDate"] == (day - timedelta(days=1)).isoformat()
        assert vehicle["rdlStatus"] == "OK"
    assert page.locator("#facts dt:text-is('lastRdlAttempt') + dd").inner_text() == new[0]["at"]


def test_the_rdl_button_puts_its_request_on_the_timeline(page: Any, console: LiveServer) -> None:
    vehicles = _api(console, "/vehicles").json()["items"]
    today = console.sim.clock.now().date()
    vin = next(v["vin"] for v in vehicles if v["rdlStatus"] == "OK" and v["manualAttemptsRemaining"] > 0
               and v["nextScheduledDate"] > today.isoformat()
               and v["lastActivityDate"] < (today - timedelta(days=1)).isoformat())  # not downloaded today # fmt: skip
    open_page(page, console, f"pages/vehicle?account=demo&vin={vin}")
    requests_drawn = page.locator("#timeline svg [data-kind=request]").count()
    page.click("#rdl")
    page.wait_for_function("document.querySelector('#rdl-result').textContent !== ''", timeout=5_000)
    assert page.locator("#rdl-result").inner_text() == "requested"
    page.wait_for_function(
        f"document.querySelectorAll('#timeline svg [data-kind=request]').length === {requests_drawn + 1}",
        timeout=5_000,
    )
    line = _timeline(console, vin)
    assert [e["at"] for e in line["events"] if e["kind"] == "request"][-1] == line["now"]
    assert any(e["kind"] == "planned" and e.get("detail") == "manual" for e in line["events"])
    assert page.locator("#timeline svg [data-kind=planned][data-detail=manual]").count() == 1


def _card_line(console: LiveServer, card: str) -> dict[str, Any]:
    answer = requests.get(f"{console.base_url}/_sim/console/timelines/companyCard/{card}", params={"account": "demo"},
                          timeout=10)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _drawn_card(page: Any) -> tuple[list[list[str]], list[list[str]]]:
    bands = page.locator("#timeline svg g.status").evaluate_all("gs => gs.map(g => [g.dataset.at, g.dataset.detail])")
    dots = page.locator(ATTEMPTS).evaluate_all("cs => cs.map(c => [c.dataset.at, c.dataset.ok, c.dataset.related])")
    return bands, dots


def test_a_company_card_page_draws_its_statuses_and_the_attempts_of_its_vehicles(
    page: Any, console: LiveServer
) -> None:
    cards = _api(console, "/companyCards").json()["items"]
    lines = {c["cardNumber"]: _card_line(console, c["cardNumber"]) for c in cards}
    number = max(lines, key=lambda n: len(_attempts(lines[n])))  # the card whose vehicles downloaded most
    open_page(page, console, "pages/cards")
    page.click(f"#rows a:text-is('{number}')")
    page.wait_for_selector("body[data-page=card][data-ready=true]")
    line = lines[number]
    bands, dots = _drawn_card(page)
    assert bands == [[e["at"], e["detail"]] for e in line["events"] if e["kind"] == "status"] and bands
    assert dots == [[e["at"], str(e["ok"]).lower(), e["related"]] for e in _attempts(line)] and dots
    shown = next(c for c in cards if c["cardNumber"] == number)
    assert page.locator("#facts dt:text-is('status') + dd").inner_text() == shown["status"] == bands[-1][1]
    assert f"status now {shown['status']}" in page.locator("#timeline-summary").inner_text()


def test_a_company_card_page_shows_the_status_the_clock_brings(page: Any, console: LiveServer) -> None:
    cards = _api(console, "/companyCards").json()["items"]
    now = _instant(_card_line(console, cards[0]["cardNumber"])["now"])
    changes = sorted((_instant(e["at"]), n["cardNumber"], e["detail"]) for n in cards
                     for e in _card_line(console, n["cardNumber"])["events"] if e["kind"] == "status"
                     and _instant(e["at"]) > now)  # fmt: skip
    at, number, status = changes[0]  # the next status change of any card
    open_page(page, console, f"pages/card?account=demo&card={number}")
    assert page.locator("#facts dt:text-is('status') + dd").inner_text() != status
    moved = requests.put(f"{console.base_url}/_sim/clock", json={"now": (at + timedelta(hours=1)).isoformat()},
                         timeout=10)  # fmt: skip
    assert moved.status_code == 200
    open_page(page, console, f"pages/card?account=demo&card={number}")
    assert page.locator("#facts dt:text-is('status') + dd").inner_text() == status
    stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [b for b in _drawn_card(page)[0] if b[0] <= stamp][-1] == [stamp, status]  # the band in force now
