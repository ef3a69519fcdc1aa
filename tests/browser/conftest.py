"""One Chromium (the OS package, driven by Playwright) and one live server for the console's browser tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from mockserver.app import create_app
from mockserver.serving import serve_in_thread
from mockserver.world import World
from tests.conftest import LiveServer, make_sim

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]  # fmt: skip


def chromium_path() -> str:
    """The browser `scripts/install-browser.sh` made sure of (Playwright's own download is not always reachable)."""
    found = os.environ.get("FLEETMOCK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "no chromium: run scripts/install-browser.sh (scripts/test.sh does)"
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped: Playwright's sync API keeps an event loop running in this thread while it is started, and a
    later test of another module that calls asyncio.run() would fail; pytest closes it before the next module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def console_server(world: World) -> Iterator[tuple[LiveServer, Any]]:
    sim = make_sim(world)
    app = create_app(sim, strict=True)
    running = serve_in_thread(app)
    yield LiveServer(running.base_url, sim), app
    running.stop()


@pytest.fixture
def console(console_server: tuple[LiveServer, Any]) -> LiveServer:
    console_server[0].sim.reset()
    return console_server[0]


@pytest.fixture
def console_app(console_server: tuple[LiveServer, Any]) -> Any:
    """The guard in front of the console server's app (its `access` can be changed for one test)."""
    return console_server[1]


@pytest.fixture
def page(browser: Any, console: LiveServer) -> Iterator[Any]:
    """A fresh page; any script error on it fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"script errors on the page: {errors}"
