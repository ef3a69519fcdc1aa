"""The console on shared state (issue 14: "it works with `--workers` and the PostgreSQL state"): two real
`fleetmock serve` processes on one SQLite file (one of them with `--workers 2`) and two on one PostgreSQL database
(a real server from the pgserver wheel). In Chromium, the console's pages fill on both, and what a click does through
one process (advance the clock a day, add a fault from the form) is what the other one's pages show.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.pg.pgharness import Instance, start_instances, stop_instances

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.xdist_group("pg")]
STARTUP_S = 180  # a loaded CI machine starts two uvicorn workers slowly
PAGES = ("", "pages/fleet", "pages/drivers", "pages/eld", "pages/faults", "pages/journal", "pages/scenarios")


def _pair(kind: str, tmp_path: Path, pg: Any) -> list[Instance]:
    if kind == "sqlite":
        state = str(tmp_path / "state.sqlite")
        first = start_instances(state, 1, "--workers", "2", within=STARTUP_S)
        try:
            return first + start_instances(state, 1, within=STARTUP_S)
        except BaseException:
            stop_instances(first)
            raise
    return start_instances(pg.create_database(), 2, within=STARTUP_S)


def _open(page: Any, base: str, path: str) -> None:
    page.goto(f"{base}/_sim/console/{path}")
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)
    assert page.locator("#page-error").inner_text() == "", path


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_what_one_process_does_from_the_console_the_others_pages_show(
    page: Any, kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    pg = request.getfixturevalue("pg") if kind == "postgresql" else None
    one, other = _pair(kind, tmp_path, pg)
    try:
        for path in PAGES:
            _open(page, other.base, path)
        _open(page, one.base, "")
        before = page.locator("#now").inner_text()
        page.click("[data-advance='86400']")
        page.wait_for_function(f"document.querySelector('#now').textContent !== {before!r}", timeout=10_000)
        advanced = page.locator("#now").inner_text()
        assert advanced > before
        _open(page, other.base, "")
        assert page.locator("#now").inner_text() == advanced

        _open(page, one.base, "pages/faults")
        page.select_option("#fault-form [name=api]", "reveal")
        page.fill("#fault-form [name=times]", "2")
        page.click("#fault-form button")
        page.wait_for_selector("#rules tbody tr", timeout=10_000)
        [rule] = requests.get(f"{one.base}/_sim/faults", timeout=10).json()["rules"]
        _open(page, other.base, "pages/faults")
        assert page.locator("#rules tbody tr td").first.inner_text() == rule["id"]
    finally:
        stop_instances([one, other])
