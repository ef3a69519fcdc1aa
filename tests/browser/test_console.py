"""The QA console in a real Chromium: the clicks a QA engineer makes, checked against the public API's own answers.

A handful of tests on one server and one browser (a few seconds each): the fault form (a bad rule shows its field
error and adds nothing; a good one fires on the next TachoShare call, whose journal line appears live), the
tachograph day chart against `fleetmock ddd inspect --json`, the ELD grid against Reveal's statushistory and
remainingtime and an uploaded log's violations, the clock buttons, and every page filling without a script error.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from mockserver.cli import main
from mockserver.guard import Access
from mockserver.reveal.hos import hos_snapshot, parse_utc
from mockserver.reveal.models import reveal_of
from tests.conftest import LiveServer
from tests.console.test_eld_chart import BREAKING_LOG, EXPECTED

pytestmark = pytest.mark.browser
PAGES = ("fleet", "drivers", "cards", "tachograph", "eld", "faults", "journal", "scenarios")


def open_page(page: Any, console: LiveServer, path: str) -> None:
    page.goto(f"{console.base_url}/_sim/console/{path}")
    page.wait_for_selector("body[data-ready=true]", timeout=10_000)


def test_a_bad_fault_shows_its_field_error_and_a_good_one_fires_live_in_the_journal(
    page: Any, console: LiveServer
) -> None:
    open_page(page, console, "pages/faults")
    page.fill("#fault-form [name=times]", "0")
    page.click("#fault-form button")
    error = page.locator('.field-error[data-field="times"]')
    error.wait_for(timeout=5_000)
    assert "less than the minimum of 1" in error.inner_text()
    assert requests.get(f"{console.base_url}/_sim/faults", timeout=5).json()["rules"] == []

    page.select_option("#fault-form [name=api]", "tachoshare")
    page.fill("#fault-form [name=times]", "1")
    page.fill("#fault-form [name=method]", "GET")
    page.fill("#fault-form [name=path]", "/vehicles")
    page.click("#fault-form button")
    page.wait_for_selector("#rules tbody tr", timeout=5_000)
    [rule] = requests.get(f"{console.base_url}/_sim/faults", timeout=5).json()["rules"]
    assert rule["match"] == {"api": "tachoshare", "method": "GET", "path": "/vehicles"}
    assert rule["respond"]["status"] == 503 and rule["times"] == 1

    open_page(page, console, "pages/journal")
    headers = {"Authorization": f"Bearer {console.token()}"}
    called = time.monotonic()
    assert requests.get(f"{console.base_url}/tachoshare/vehicles", headers=headers, timeout=5).status_code == 503
    line = page.locator("#lines li.fault")
    line.wait_for(timeout=1_000)
    assert time.monotonic() - called < 1.0
    assert f"GET /tachoshare/vehicles → 503 [demo] fault {rule['id']}" in line.inner_text()
    line.locator("summary").click()
    assert json.loads(line.locator("pre.entry").inner_text())["fault"] == rule["id"]
    assert json.loads(line.locator("pre.response").inner_text())["url"].endswith("/tachoshare/vehicles")


def served_day(console: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, Any]]:
    """A driver card and the newest worked day of the file TachoShare serves for it, as `ddd inspect --json` reads
    it (activity changes and minutes)."""
    headers = {"Authorization": f"Bearer {console.token()}", "Accept": "application/octet-stream"}
    driver = requests.get(f"{console.base_url}/tachoshare/drivers", headers={**headers, "Accept": "application/json"},
                          timeout=5).json()["items"][0]  # fmt: skip
    last = date.fromisoformat(driver["lastDownloadDate"])
    params = {"countryCode": driver["countryCode"], "downloadDate-from": (last - timedelta(days=3)).isoformat(),
              "downloadDate-to": (last + timedelta(days=1)).isoformat()}  # fmt: skip
    served = requests.get(f"{console.base_url}/tachoshare/drivers/{driver['cardNumber']}/files", params=params,
                          headers=headers, timeout=30)  # fmt: skip
    assert served.status_code == 200
    (tmp_path / "card.zip").write_bytes(served.content)
    assert main(["ddd", "inspect", str(tmp_path / "card.zip"), "--json"]) == 0
    members = json.loads(capsys.readouterr().out)
    newest = (members if isinstance(members, list) else [members])[-1]
    return driver["cardNumber"], [d for d in newest["days"] if d["activityChanges"] > 1][-1]  # newest worked day


def test_the_tachograph_day_has_one_bar_per_activity_change_of_the_served_file(
    page: Any, console: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card, expected = served_day(console, tmp_path, capsys)
    day = date.fromisoformat(expected["date"])

    open_page(page, console, f"pages/tachograph?account=demo&card={card}")
    page.fill("#day-form [name=day]", day.isoformat())
    page.click("#day-form button[type=submit]")
    page.wait_for_selector("#chart svg", timeout=10_000)
    assert page.locator("#chart svg rect.activity").count() == expected["activityChanges"] > 0
    driving = page.locator("#totals dt:text-is('driving') + dd").inner_text()
    assert driving == f"{expected['minutes']['driving'] // 60}:{expected['minutes']['driving'] % 60:02d}"


def _reveal(console: LiveServer, path: str) -> Any:
    world = requests.get(f"{console.base_url}/_sim/world", timeout=5).json()
    user = world["accounts"][0]["revealUsers"][0]
    token = requests.get(f"{console.base_url}/reveal/token", auth=(user["username"], user["password"]), timeout=5).text
    headers = {"Authorization": user["authorization"].replace("<token>", token), "Accept": "application/json"}
    answer = requests.get(f"{console.base_url}/reveal{path}", headers=headers, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _eld_draw(page: Any, day: str, at: str = "") -> None:
    page.fill("#eld-form [name=day]", day)
    page.fill("#eld-form [name=at]", at)
    page.click("#eld-form button[type=submit]")
    page.wait_for_selector("body[data-drawn=true] #chart svg", timeout=15_000)
    assert page.locator("#eld-error").inner_text() == ""


def _shown_clocks(page: Any) -> dict[str, int | None]:
    return clocks_of(page.evaluate(CLOCKS_JS))


@dataclass(frozen=True)
class EldCase:
    """A near-limits Reveal driver: yesterday's segments as statushistory answers them (status, start minute), the
    engine's clocks at 13:37 yesterday, and what remainingtime answers now."""

    number: str
    today: str
    yesterday: str
    segments: list[list[Any]]
    clocks_1337: dict[str, int | None]
    remaining: dict[str, Any]


def eld_case(console: LiveServer) -> EldCase:
    world = requests.get(f"{console.base_url}/_sim/world", timeout=5).json()
    number = next(d["driverNumber"] for d in world["accounts"][0]["revealDrivers"] if d["profile"] == "near-limits")
    today = date.fromisoformat(world["now"][:10])
    yesterday = (today - timedelta(days=1)).isoformat()  # a whole day of statuses
    history = _reveal(console, f"/logbook/v1/driver/{number}/statushistory?startDateTimeUtc={yesterday}T00:00:00Z")
    start = datetime.fromisoformat(f"{yesterday}T00:00:00+00:00")
    began = [max(0, int((parse_utc(r["StatusDateTimeUTC"]) - start).total_seconds() // 60)) for r in history]
    sim = console.sim
    account = sim.world.accounts[0]
    reveal = reveal_of(account)
    assert reveal is not None
    timeline = sim.services["reveal"].logbook.timeline(account.name, reveal.driver(number))
    at = start + timedelta(hours=13, minutes=37)
    engine = hos_snapshot(timeline.engine_log(sim.clock.now()), at, timeline.options).clocks.minutes().to_json()
    remaining = _reveal(console, f"/logbook/v1/driver/{number}/remainingtime")["HoursAgainstRuleSet"]
    segments = [[r["Status"], m] for r, m in zip(history, began, strict=True)]
    return EldCase(number, today.isoformat(), yesterday, segments, engine, remaining)


def check_clocks_now(case: EldCase, shown: dict[str, int | None], first_remaining: str) -> None:
    """The clocks drawn at now against remainingtime (driving left is the lesser of the drive and window clocks)."""
    remaining = case.remaining
    assert min(shown["driveLeft"] or 0, shown["windowLeft"] or 0) == round(remaining["DrivingLeftForToday"] * 60)
    assert shown["cycleLeft"] == round(remaining["CycleTimeLeft"] * 60)
    drive = round(remaining["DrivingLeftForToday"] * 60)
    assert first_remaining == f"{drive // 60}:{drive % 60:02d}"


SEGMENTS_JS = ("[...document.querySelectorAll('#chart g.duty-segment')]"
               ".map(g => [g.dataset.status, Number(g.dataset.start)])")
CLOCKS_JS = "[...document.querySelectorAll('#chart text.clock')].map(t => [t.dataset.clock, t.dataset.minutes])"


def clocks_of(pairs: list[list[Any]]) -> dict[str, int | None]:
    return {key: None if minutes is None else int(minutes) for key, minutes in pairs}


def test_the_eld_grid_and_clocks_are_statushistory_and_remainingtime(page: Any, console: LiveServer) -> None:
    case = eld_case(console)
    open_page(page, console, f"pages/eld?account=demo&driver={case.number}")
    _eld_draw(page, case.yesterday, "13:37")
    assert page.evaluate(SEGMENTS_JS) == case.segments and len(case.segments) > 3
    assert _shown_clocks(page) == case.clocks_1337
    assert page.locator("#chart line.instant").get_attribute("data-minute") == str(13 * 60 + 37)

    _eld_draw(page, case.today)  # no time: the clocks now, which remainingtime answers
    check_clocks_now(case, _shown_clocks(page), page.locator("#remaining dd").first.inner_text())


def test_an_uploaded_log_that_breaks_each_rule_shows_each_violation_where_it_happens(
    page: Any, console: LiveServer
) -> None:
    open_page(page, console, "pages/eld?account=demo&driver=99")
    page.fill("#eld-form [name=day]", "2026-11-01")
    page.set_input_files("#log-form [name=log]", str(BREAKING_LOG))
    page.click("#log-form button")  # the upload redraws the grid
    page.wait_for_selector("body[data-drawn=true] #chart rect.violation", timeout=15_000)
    rects = page.locator("#chart rect.violation").evaluate_all(
        "rs => rs.map(r => [r.dataset.rule, Number(r.dataset.start), Number(r.getAttribute('x'))])"
    )
    # the grid spans x = 110 to 830 for 00:00 to 24:00 (mockserver.charts.hos): minute m is at 110 + m / 2
    assert rects == [[rule, minute, 110 + minute / 2] for rule, minute in EXPECTED]
    assert page.locator("#violations li").all_inner_texts() == [
        "30-minute break from 8:00 to 15:00", "11-hour driving from 11:00 to 15:00",
        "60/70-hour cycle from 12:30 to 15:00", "14-hour window from 14:00 to 15:00",
    ]  # fmt: skip


COMPLIANT_LOG = [["2026-10-24T00:00:00Z", "OffDuty"], ["2026-11-01T08:00:00Z", "OnDutyNotDriving", "Loading"],
                 ["2026-11-01T08:30:00Z", "OnDutyDriving"], ["2026-11-01T12:00:00Z", "OffDuty"]]  # fmt: skip


def test_a_day_without_violations_says_so_rather_than_an_empty_heading(
    page: Any, console: LiveServer, tmp_path: Path
) -> None:
    log = tmp_path / "LOG.json"
    log.write_text(json.dumps(COMPLIANT_LOG))
    open_page(page, console, "pages/eld?account=demo&driver=99")
    page.fill("#eld-form [name=day]", "2026-11-01")
    page.set_input_files("#log-form [name=log]", str(log))
    page.click("#log-form button")
    page.wait_for_selector("body[data-drawn=true] #chart svg", timeout=15_000)
    assert page.locator("#eld-error").inner_text() == ""
    assert page.locator("#chart rect.violation").count() == 0
    assert page.locator("#violations li").all_inner_texts() == ["No violations"]
    assert page.locator("#violations li.violation").count() == 0


def test_the_clock_buttons_move_simulated_time(page: Any, console: LiveServer) -> None:
    open_page(page, console, "")
    before = page.locator("#now").inner_text()
    page.click("[data-advance='86400']")
    page.wait_for_function(f"document.querySelector('#now').textContent !== {json.dumps(before)}", timeout=5_000)
    assert requests.get(f"{console.base_url}/_sim/clock", timeout=5).json()["now"] == page.locator("#now").inner_text()
    assert page.locator("#now").inner_text() > before


def test_every_page_is_linked_and_fills_without_a_script_error(page: Any, console: LiveServer) -> None:
    page.goto(console.base_url + "/")
    page.click("a[href='/_sim/console/']")
    page.wait_for_selector("body[data-ready=true]")
    for name in PAGES:
        page.click(f"header nav a[href='/_sim/console/pages/{name}']")
        page.wait_for_selector(f"body[data-page={name}][data-ready=true]", timeout=10_000)
        assert page.locator("#page-error").inner_text() == "", name
    page.click("header nav a[href='/_sim/console/pages/fleet']")
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("#rows tbody tr").count() > 0
    page.locator("#rows tbody a").first.click()
    page.wait_for_selector("body[data-page=vehicle][data-ready=true]")
    assert page.locator("#facts dt").count() > 5


def test_with_a_control_token_the_page_asks_for_it_and_sends_it(
    page: Any, console: LiveServer, console_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console_app, "access", Access(token="s3cret-token"))
    assert requests.get(f"{console.base_url}/_sim/clock", timeout=5).status_code == 401
    page.goto(f"{console.base_url}/_sim/console/")  # the shell loads without the token: it holds no data
    page.wait_for_selector("#token-form:not([hidden])", timeout=5_000)
    assert page.locator("#now").inner_text() == ""
    page.fill("#token-form [name=token]", "s3cret-token")
    page.click("#token-form button")
    page.wait_for_selector("body[data-ready=true]", timeout=10_000)
    assert page.locator("#now").inner_text() == console.sim.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert requests.get(f"{console.base_url}/_sim/console/journal/stream", timeout=5).status_code == 401


def test_every_table_pages_its_rows(page: Any, console: LiveServer) -> None:
    for n in range(55):
        rule = {"match": {"api": "reveal", "method": "GET", "path": f"/nowhere/{n}"}, "respond": {"status": 503}}
        assert requests.post(f"{console.base_url}/_sim/faults", json=rule, timeout=5).ok
    open_page(page, console, "pages/faults")
    pager = page.locator("#rules + nav.pager")
    assert page.locator("#rules tbody tr").count() == 50
    assert "page 1 of 2 (55 rows)" in pager.inner_text()
    pager.locator("button", has_text="next").click()
    assert page.locator("#rules tbody tr").count() == 5
    for name in ("", *(f"pages/{p}" for p in PAGES)):  # every table of every page has its pager
        open_page(page, console, name)
        assert page.evaluate(
            "[...document.querySelectorAll('table')].every(t => t.nextElementSibling?.matches('nav.pager'))"
        ), name


HOSTILE = '<img src=x onerror="window.pwned=1">'


def test_the_journal_opens_on_its_newest_page_pages_back_and_escapes_what_callers_sent(
    page: Any, console: LiveServer
) -> None:
    """The first screen holds the newest 100 entries without their bodies (a line fetches its own when opened);
    "Older entries" pages back through the rest; paths and bodies that callers chose are shown as text."""
    headers = {"Authorization": f"Bearer {console.token()}", "Accept": "application/json"}
    requests.post(f"{console.base_url}/_sim/faults", data=HOSTILE.encode(), timeout=5,
                  headers={"Content-Type": "application/json"})  # fmt: skip
    for n in range(140):
        requests.get(f"{console.base_url}/tachoshare/vehicles/{HOSTILE if n == 139 else n}", headers=headers, timeout=5)
    entries = requests.get(f"{console.base_url}/_sim/journal", timeout=5).json()["entries"]
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    open_page(page, console, "pages/journal")
    seqs = page.locator("#lines > li").evaluate_all("ls => ls.map(l => Number(l.dataset.seq))")
    assert seqs == [e["seq"] for e in entries][-100:][::-1]
    assert [u for u in asked if "/_sim/journal?" in u] == [f"{console.base_url}/_sim/journal?limit=100&bodies=false"]

    page.click("#older")
    page.wait_for_selector("#older[data-shown='200']")
    seqs = page.locator("#lines > li").evaluate_all("ls => ls.map(l => Number(l.dataset.seq))")
    assert seqs == [e["seq"] for e in entries][-200:][::-1]

    hostile = [e for e in entries if HOSTILE in e["path"] or HOSTILE in (e.get("requestBody") or "")]
    assert len(hostile) == 2
    for entry in hostile:
        line = page.locator(f"#lines > li[data-seq='{entry['seq']}']")
        line.locator("summary").click()
        line.locator("pre.entry").wait_for()
        assert json.loads(line.locator("pre.entry").inner_text())["traceId"] == entry["traceId"]
        assert line.locator("pre.response").inner_text() == entry["responseBody"]
        assert HOSTILE in line.inner_text()
    assert page.locator("#lines img, #lines script").count() == 0
    assert page.evaluate("window.pwned") is None


def test_a_drawing_of_the_driver_s_log_asks_reveal_for_one_token_and_a_reload_for_none(
    page: Any, console: LiveServer
) -> None:
    """The grid needs ten Reveal calls (nine statushistory windows and remainingtime): one token serves them all,
    and the tab keeps it, so drawing again after a reload asks for none; a token Reveal refuses is renewed."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.split("/", 3)[3].split("?")[0]))
    open_page(page, console, "pages/eld?account=demo&driver=99")
    _eld_draw(page, console.sim.clock.now().date().isoformat())
    assert asked.count("reveal/token") == 1 and asked.count("reveal/logbook/v1/driver/99/remainingtime") == 1
    open_page(page, console, "pages/eld?account=demo&driver=99")
    _eld_draw(page, console.sim.clock.now().date().isoformat())
    assert asked.count("reveal/token") == 1
    page.evaluate("sessionStorage.setItem('fleetmock.revealToken.demo', 'not-a-token')")
    open_page(page, console, "pages/eld?account=demo&driver=99")
    _eld_draw(page, console.sim.clock.now().date().isoformat())
    renewed = asked.count("reveal/token")
    assert 2 <= renewed <= 11  # renewed on the refusals of the calls made together
    assert requests.post(f"{console.base_url}/_sim/clock/advance", json={"seconds": 3600}, timeout=5).ok
    open_page(page, console, "pages/eld?account=demo&driver=99")
    _eld_draw(page, console.sim.clock.now().date().isoformat())  # the kept token expired 20 simulated minutes on
    assert asked.count("reveal/token") > renewed
