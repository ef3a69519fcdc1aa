"""Latency of the QA console's pages (issue 14: "pages answer in under 200 ms for the demo world and stay usable
(paged tables) with 10,000 vehicles"), in a real Chromium, on the demo world and on a 10,000-vehicle world.

A page answers when it is usable: from `page.goto` to `<body data-ready=true>`, which the page's script sets once
every public call it makes on load (`/_sim/...`, `/tachoshare/...`, `/reveal/...`) has answered and the page is
drawn. Each page is loaded once to warm it (the first load is reported apart: it pays for the server's first
listing of the world), then `--loads` times; p50 and p99 are reported, with the slowest single request of the page.
The driver's log also reports drawing the grid (nine statushistory windows and the chart route).
The browser is the OS package `chromium` (scripts/install-browser.sh), driven by Playwright.
The Markdown report goes to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from benchlib import LOOPBACK, BenchError, fleetmock_command, free_port, http_request, markdown_table, running, verdict

TARGET_MS = 200.0
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]


@dataclass(frozen=True)
class Timing:
    world: str
    page: str
    first_ms: float
    samples: tuple[float, ...]
    slowest: str

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _pages(base: str) -> dict[str, str]:
    """Every page of the console; the vehicle, driver and company card pages on the demo account's first of each."""
    world = json.loads(http_request(int(base.rsplit(":", 1)[1]), "GET", "/_sim/world", timeout=120).body)
    demo = world["accounts"][0]
    vin = demo["vehicles"][0]["vin"]
    card = demo["drivers"][0]
    pages = {name: f"pages/{name}" for name in ("fleet", "drivers", "cards", "tachograph", "eld", "faults",
                                               "journal", "scenarios")}  # fmt: skip
    return {
        "overview": "",
        **pages,
        "fleet, status DELAYED": "pages/fleet?status=DELAYED",  # a pass over the fleet's statuses (kept per instant)
        "vehicle": f"pages/vehicle?account=demo&vin={vin}",
        "driver": f"pages/driver?account=demo&card={card['cardNumber']}&country={card.get('countryCode', '')}",
        "company card": f"pages/card?account=demo&card={demo['companyCards'][0]['cardNumber']}",
    }


def _time_load(
    page: Any, url: str, ready: str = "body[data-ready=true]", act: Callable[[], None] | None = None
) -> tuple[float, str]:
    """Milliseconds from `goto(url)` (or `act()`) until `ready` shows, and the slowest request meanwhile."""
    durations: list[tuple[float, str]] = []

    def finished(request: Any) -> None:
        timing = request.timing
        if timing.get("responseEnd", -1) > 0:
            durations.append((timing["responseEnd"], request.url.split("//", 1)[1].split("/", 1)[1][:80]))

    page.on("requestfinished", finished)
    started = time.perf_counter()
    if act is None:
        page.goto(url)
    else:
        act()
    try:
        page.wait_for_selector(ready, timeout=120_000)
    except Exception as exc:  # Playwright's TimeoutError: say what the page said
        said = page.evaluate("[...document.querySelectorAll('.error')].map(e => e.textContent).join(' ')")
        raise BenchError(f"{url or 'the action'} did not get to {ready}: {said or exc}") from None
    elapsed = (time.perf_counter() - started) * 1000
    page.remove_listener("requestfinished", finished)
    slowest = max(durations, default=(0.0, ""))
    return elapsed, f"{slowest[0]:.0f} ms /{slowest[1]}"


def measure(world: str, base: str, loads: int, browser: Any) -> list[Timing]:
    results = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for name, path in _pages(base).items():
        url = f"{base}/_sim/console/{path}"
        first, _ = _time_load(page, url)
        samples = []
        slowest = ""
        for _ in range(loads):
            elapsed, slow = _time_load(page, url)
            samples.append(elapsed)
            slowest = max(slowest, slow, key=lambda s: float(s.split(" ")[0] or 0))
        results.append(Timing(world, name, first, tuple(samples), slowest))
        print(f"bench_console: {world} {name}: p50 {results[-1].p50:.0f} ms", file=sys.stderr, flush=True)
    results.append(_eld_draws(world, base, loads, page))
    context.close()
    return results


def _eld_draws(world: str, base: str, loads: int, page: Any) -> Timing:
    """The driver's log: click Draw (the 9 statushistory windows, the chart, remainingtime) until the grid shows."""
    page.goto(f"{base}/_sim/console/pages/eld?account=demo&driver=99")
    page.wait_for_selector("body[data-ready=true]")

    def draw() -> None:
        page.click("#eld-form button[type=submit]")

    first, _ = _time_load(page, "", "body[data-drawn=true] #chart svg", draw)
    samples = []
    slowest = ""
    for _ in range(loads):
        elapsed, slow = _time_load(page, "", "body[data-drawn=true] #chart svg", draw)
        samples.append(elapsed)
        slowest = max(slowest, slow, key=lambda s: float(s.split(" ")[0] or 0))
    return Timing(world, "eld: draw the grid", first, tuple(samples), slowest)


def report(results: Sequence[Timing], loads: int) -> str:
    rows = [
        [t.world, t.page, f"{t.first_ms:.0f}", f"{t.p50:.0f}", f"{t.p99:.0f}", t.slowest, verdict(t.p50 < TARGET_MS)]
        for t in results
    ]
    header = ["world", "page", "first load ms", "p50 ms", f"p99 ms (n={loads})", "slowest request", "p50 < 200 ms"]
    return markdown_table(header, rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=20, help="timed loads per page after a warm-up load")
    parser.add_argument("--vehicles", type=int, default=10_000)
    parser.add_argument("--drivers", type=int, default=10_000)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium", help="the browser (OS package)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    big = ["--vehicles", str(args.vehicles), "--drivers", str(args.drivers)]
    worlds: dict[str, list[str]] = {"demo": [], f"{args.vehicles:,} vehicles": big}
    results: list[Timing] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
            for world, extra in worlds.items():
                port = free_port()
                argv_ = [*fleetmock_command(), "serve", "--host", LOOPBACK, "--port", str(port), "--rate", "0", *extra]
                with running(f"console-{len(results)}", argv_, port) as server:
                    server.wait_ready("/_sim/health", timeout=180.0)
                    results += measure(world, f"http://{LOOPBACK}:{port}", args.loads, browser)
            browser.close()
    except BenchError as exc:
        print(f"bench_console: {exc}", file=sys.stderr)
        return 1
    print(report(results, args.loads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
