"""The console with more drivers and vehicles than one page (issue 14: "stay usable with 10,000 vehicles"): the
driver's-day page offers its drivers and vehicles 50 at a time, searched on the server through the public
`GET /_sim/world/accounts/{account}/{list}`; no page reads the whole `GET /_sim/world`; a reload of the fleet page
issues no new TachoShare token (a write that would make the server rebuild its lists) and reads the world only for
the 50 rows it shows."""

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


def test_a_fleet_page_reload_issues_no_token_and_reads_the_world_for_its_rows_only(tab: Any, big: LiveServer) -> None:
    seen = _paths(tab)
    for _ in range(2):
        tab.goto(f"{big.base_url}/_sim/console/pages/fleet")
        tab.wait_for_selector("body[data-ready=true]")
    assert tab.locator("#rows tbody tr").count() == 50
    assert [p for p in seen if p.startswith("_sim/tokens")] == ["_sim/tokens"]  # the first load's only
    asked = [p for p in seen if p.startswith("_sim/world")]
    assert "_sim/world" not in [p.split("?")[0] for p in asked]
    keyed = [p for p in asked if "keys=" in p]
    assert len(keyed) == 2  # one page of rows per load
    generations = tab.locator("#rows tbody tr td:nth-child(8)").all_inner_texts()
    vins = tab.locator("#rows tbody tr td:nth-child(1)").all_inner_texts()
    world = {v["vin"]: v["generation"] for v in _route(big, "vehicles", limit=500)["items"]}
    assert generations == [world[vin] for vin in vins] and all(generations)
    tab.locator("#rows + nav.pager button", has_text="next").click()
    tab.wait_for_function("document.querySelector('#rows + nav.pager').textContent.includes('page 2 of 3')")
    later = tab.locator("#rows tbody tr td:nth-child(1)").all_inner_texts()
    assert tab.locator("#rows tbody tr td:nth-child(8)").all_inner_texts() == [world[vin] for vin in later]
