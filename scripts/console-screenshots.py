"""Screenshots of every console page for docs/console/ (run: PYTHONPATH=. python scripts/console-screenshots.py).

Starts the default world on loopback with a frozen clock, adds a fault and a few calls so the pages have something
to show, and drives the OS chromium (scripts/install-browser.sh) with Playwright."""

from __future__ import annotations

import sys
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.serving import serve_in_thread
from mockserver.simulator import Simulator
from mockserver.world import load_world
from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path

OUT = Path(__file__).resolve().parents[1] / "docs" / "console"
SHOTS = {
    "overview": "", "fleet": "pages/fleet", "tachograph": "pages/tachograph?account=demo",
    "eld": "pages/eld?account=demo&driver=104", "faults": "pages/faults", "journal": "pages/journal",
    "scenarios": "pages/scenarios",
}  # fmt: skip


def _mixed_timeline(base: str, token: str) -> str:
    """A vehicle whose download timeline shows both successful and failed attempts."""
    vehicles = requests.get(f"{base}/tachoshare/vehicles", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    for vehicle in vehicles.json()["items"]:
        line = requests.get(f"{base}/_sim/console/timelines/vehicle/{vehicle['vin']}", params={"account": "demo"},
                            timeout=10).json()  # fmt: skip
        if {e.get("ok") for e in line["events"]} >= {True, False}:
            return str(vehicle["vin"])
    return str(vehicles.json()["items"][0]["vin"])


def _busiest_card(base: str) -> str:
    """The company card whose timeline shows the most statuses and notes, then the most attempts."""
    cards = requests.get(f"{base}/_sim/world", timeout=10).json()["accounts"][0]["companyCards"]

    def events(card: dict[str, str]) -> tuple[int, int]:
        path = f"{base}/_sim/console/timelines/companyCard/{card['cardNumber']}"
        line = requests.get(path, params={"account": "demo"}, timeout=10).json()
        return sum(e["kind"] in ("status", "note") for e in line["events"]), len(line["events"])

    return str(max(cards, key=events)["cardNumber"])


def main() -> int:
    world = load_world()
    running = serve_in_thread(create_app(Simulator(world, SimClock(world.start, rate=0))))
    base = running.base_url
    fault = {"match": {"api": "tachoshare", "method": "GET", "path": "/drivers"}, "times": 1,
             "respond": {"status": 503}}  # fmt: skip
    requests.post(f"{base}/_sim/faults", json=fault, timeout=5)
    token = requests.post(f"{base}/_sim/tokens", json={}, timeout=5).json()["access_token"]
    for path in ("/vehicles", "/drivers", "/companyCards"):
        requests.get(f"{base}/tachoshare{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    SHOTS["vehicle"] = f"pages/vehicle?account=demo&vin={_mixed_timeline(base, token)}"
    SHOTS["card"] = f"pages/card?account=demo&card={_busiest_card(base)}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        for name, path in SHOTS.items():
            page.goto(f"{base}/_sim/console/{path}")
            page.wait_for_selector("body[data-ready=true]", timeout=15_000)
            form = page.locator("#day-form, #eld-form")
            if form.count() and name not in ("vehicle", "card"):  # these show their timeline as they open
                if name == "tachograph":
                    page.fill("#day-form [name=day]", "2026-10-30")  # a worked day of the first driver
                if name == "eld":
                    page.fill("#eld-form [name=day]", "2026-11-01")  # a whole day
                form.locator("button[type=submit]").click()
                page.wait_for_selector("#chart svg", timeout=15_000)
            if name in ("vehicle", "card"):
                page.wait_for_selector("#timeline svg", timeout=15_000)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
        browser.close()
    running.stop()
    print(f"wrote {len(SHOTS)} screenshots to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
