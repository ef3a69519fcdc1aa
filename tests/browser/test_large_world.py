"""The console with more drivers and vehicles than one page (issue 14: "stay usable with 10,000 vehicles"): the
driver's-day page offers its drivers and vehicles 50 at a time, searched on the server through the public
`GET /_sim/world/accounts/{account}/{list}`; no page reads the whole `GET /_sim/world`; the fleet and drivers tables
show 50 rows at a time with TachoShare's state of each (`?state=tachoshare`), filtered by status on the server, and
the driver page TachoShare's answer about its card, none of them reading TachoShare's whole list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockserver.serving import serve_in_thread
from mockserver.world import load_world
from tests.conftest import LiveServer, make_sim

pytestmark = pytest.mark.browser
SIZE = 130


@pytest.fixture(scope="module")
def big() -> Iterator[LiveServer]:
    from mockserver.app import create_app

    sim = make_sim(load_world(vehicles=SIZE, drivers=SIZE))
    running = serve_in_thread(create_app(sim, strict=True))
    yield LiveServer(running.base_url, sim)
    running.stop()


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def _paths(tab: Any) -> list[str]:
    seen: list[str] = []
    tab.on("request", lambda request: seen.append(request.url.split("//", 1)[1].split("/", 1)[1]))
    return seen


def _route(big: LiveServer, name: str, **params: Any) -> dict[str, Any]:
    answer = requests.get(f"{big.base_url}/_sim/world/accounts/demo/{name}", params=params, timeout=10)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_the_day_page_offers_drivers_a_page_at_a_time_searched_on_the_server(tab: Any, big: LiveServer) -> None:
    seen = _paths(tab)
    tab.goto(f"{big.base_url}/_sim/console/pages/tachograph")
    tab.wait_for_selector("body[data-ready=true]")
    options = "[...document.querySelector('[name=card]').options].map(o => o.textContent)"
    first = _route(big, "drivers", limit=50)
    assert first["total"] == SIZE
    assert tab.evaluate(options) == [f"{d['cardNumber']} {d['name']}" for d in first["items"]]
    assert "1-50 of 130" in tab.locator(".picker[data-for=card]").inner_text()
    assert tab.locator("[name=vin] option").count() == 51  # "(the card)" and 50 vehicles
    tab.locator(".picker[data-for=card] button[title=next]").click()
    tab.wait_for_function("document.querySelector('.picker[data-for=card]').textContent.includes('51-100')")
    second = _route(big, "drivers", offset=50)["items"]
    assert tab.evaluate(options) == [f"{d['cardNumber']} {d['name']}" for d in second]

    wanted = _route(big, "drivers", offset=120, limit=1)["items"][0]  # on the last page
    needle = wanted["name"].split()[-1][:4].upper()
    tab.fill("[name=card-search]", needle)
    tab.wait_for_selector(f"[name=card][data-search='{needle}']")
    matches = _route(big, "drivers", search=needle, limit=50)
    assert tab.evaluate(options) == [f"{d['cardNumber']} {d['name']}" for d in matches["items"]]
    assert f"{wanted['cardNumber']} {wanted['name']}" in tab.evaluate(options) and matches["total"] < SIZE
    assert tab.locator("[name=card]").get_attribute("data-total") == str(matches["total"])
    assert not [p for p in seen if p.split("?")[0] in ("_sim/world", "tachoshare/drivers")]  # never the whole list


def _tachoshare(big: LiveServer, route: str, key: str) -> dict[str, dict[str, Any]]:
    """TachoShare's own answer for every item of a list (the demo account's full-view user), by identifier."""
    headers = {"Authorization": f"Bearer {big.token()}", "Accept": "application/json"}
    answer = requests.get(f"{big.base_url}/tachoshare{route}", headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return {item[key]: item for item in answer.json()["items"]}


def _cells(tab: Any) -> list[list[str]]:
    return list(tab.evaluate("[...document.querySelectorAll('#rows tbody tr')]"
                             ".map(r => [...r.cells].map(c => c.textContent))"))  # fmt: skip


def _vehicle_row(world: dict[str, Any], v: dict[str, Any]) -> list[str]:
    """A fleet row as the table must show it: the world's VIN, plate and generation, TachoShare's state."""
    health = v.get("rdlHealthStatus")
    shown_health = f"{health['result']} ({health['level']})" if health else ""
    return [world["vin"], world["licensePlate"], v["rdlStatus"], shown_health, str(v["manualAttemptsRemaining"]),
            v.get("nextScheduledDate", ""), v.get("lastActivityDate", ""), world["generation"],
            v.get("lockedCompanyCardNumber", "")]  # fmt: skip


def _driver_row(world: dict[str, Any], d: dict[str, Any]) -> list[str]:
    return [world["cardNumber"], world["countryCode"], world["name"], d["rdlStatus"], d.get("lastDownloadDate", ""),
            d.get("nextScheduledDate", ""), d.get("firstAvailableDownloadDate", "")]  # fmt: skip


def _redrawn(tab: Any, act: Any, offset: int, total: int) -> None:
    """Do `act()` and wait until the table shows rows `offset`.. of `total` drawn after it."""
    tab.evaluate("delete document.querySelector('#rows').dataset.shown")
    act()
    tab.wait_for_selector(f"#rows[data-shown='{offset}/{total}']", timeout=10_000)


TABLES = {  # page -> (world list, TachoShare route, identifier, row builder)
    "fleet": ("vehicles", "/vehicles", "vin", _vehicle_row),
    "drivers": ("drivers", "/drivers", "cardNumber", _driver_row),
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_table_shows_one_page_of_rows_with_tachoshare_s_state_read_from_the_server_a_page_at_a_time(
    tab: Any, big: LiveServer, name: str
) -> None:
    """50 rows of 130, each row TachoShare's answer about it, the next page the next 50; a reload issues no token
    and the page never reads TachoShare's whole list nor the whole world."""
    list_name, route, key, build = TABLES[name]
    seen = _paths(tab)
    for _ in range(2):
        tab.goto(f"{big.base_url}/_sim/console/pages/{name}")
        tab.wait_for_selector("body[data-ready=true]")
    world = _route(big, list_name, limit=500)["items"]
    answers = _tachoshare(big, route, key)
    assert _cells(tab) == [build(w, answers[w[key]]) for w in world[:50]]
    assert "page 1 of 3 (130 rows)" in tab.locator("#rows + nav.pager").inner_text()
    _redrawn(tab, tab.locator("#rows + nav.pager button", has_text="next").click, 50, SIZE)
    assert _cells(tab) == [build(w, answers[w[key]]) for w in world[50:100]]
    assert [p for p in seen if p.startswith("_sim/tokens")] == []  # the table asks TachoShare nothing
    assert not [p for p in seen if p.startswith("tachoshare/") or p.split("?")[0] == "_sim/world"]
    pages = [p for p in seen if p.startswith(f"_sim/world/accounts/demo/{list_name}?")]
    assert len(pages) == 3 and all("limit=50" in p and "state=tachoshare" in p for p in pages)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_status_filter_shows_the_rows_tachoshare_answers_in_that_status(tab: Any, big: LiveServer, name: str) -> None:
    list_name, route, key, build = TABLES[name]
    world = _route(big, list_name, limit=500)["items"]
    answers = _tachoshare(big, route, key)
    counts: dict[str, int] = {}
    for answer in answers.values():
        counts[answer["rdlStatus"]] = counts.get(answer["rdlStatus"], 0) + 1
    assert len(counts) >= 2, counts  # a filter with something to tell apart
    tab.goto(f"{big.base_url}/_sim/console/pages/{name}")
    tab.wait_for_selector("body[data-ready=true]")
    for status, count in counts.items():
        _redrawn(tab, lambda s=status: tab.select_option("#filters [name=status]", s), 0, count)
        matching = [build(w, answers[w[key]]) for w in world if answers[w[key]]["rdlStatus"] == status]
        assert _cells(tab) == matching[:50], status
        assert f"({count} rows)" in tab.locator("#rows + nav.pager").inner_text()
    _redrawn(tab, lambda: tab.select_option("#filters [name=status]", ""), 0, SIZE)


def test_the_driver_page_shows_tachoshare_s_answer_for_its_card_without_the_whole_list(
    tab: Any, big: LiveServer
) -> None:
    seen = _paths(tab)
    driver = _route(big, "drivers", offset=120, limit=1)["items"][0]
    tab.goto(f"{big.base_url}/_sim/console/pages/driver?account=demo&card={driver['cardNumber']}"
             f"&country={driver['countryCode']}")  # fmt: skip
    tab.wait_for_selector("body[data-ready=true]")
    facts = tab.evaluate("Object.fromEntries([...document.querySelectorAll('#facts dt')]"
                         ".map(dt => [dt.textContent, dt.nextElementSibling.textContent]))")  # fmt: skip
    answer = _tachoshare(big, "/drivers", "cardNumber")[driver["cardNumber"]]
    assert facts == {k: str(v) for k, v in answer.items()}
    assert not [p for p in seen if p.split("?")[0] in ("tachoshare/drivers", "_sim/world")]
