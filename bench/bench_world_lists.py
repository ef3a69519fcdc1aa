"""What the QA console's fleet, drivers and driver pages cost the server with 10,000 vehicles and drivers (issue 14),
in process, in CPU milliseconds per request: before, they read TachoShare's whole list (the API has no paging); now
one page of the control plane's world list with TachoShare's state of each row (`?state=tachoshare`), filtered by
status there. Each request runs through the app (`create_app`, Starlette's TestClient: routing, the chain, JSON);
CPU time is `time.process_time` (the whole process, so the client's thread too), which a busy machine's waiting
does not inflate. "moving clock": the clock advances 60 s before each request, as at the default rate, so nothing
kept for an instant is reused; "same instant": `--rate 0`, as `bench_console.py` serves. Median of `--calls`.

    PYTHONPATH=. .venv/bin/python bench/bench_world_lists.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from benchlib import markdown_table
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.world import load_world


def _cpu_ms(call: Callable[[], int], before: Callable[[], None], calls: int) -> tuple[float, int]:
    samples = []
    size = 0
    for _ in range(calls):
        before()
        began = time.process_time()
        size = call()
        samples.append((time.process_time() - began) * 1000)
    return statistics.median(samples), size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vehicles", type=int, default=10_000)
    parser.add_argument("--drivers", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=7)
    args = parser.parse_args(argv)
    world = load_world(vehicles=args.vehicles, drivers=args.drivers)
    sim = Simulator(world, SimClock(world.start, rate=0))
    client = TestClient(create_app(sim))
    token = client.post("/_sim/tokens", json={"account": "demo"}).json()["access_token"]
    api = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    middle = client.get("/_sim/world/accounts/demo/drivers", params={"offset": args.drivers // 2, "limit": 1})
    key = middle.json()["items"][0]["cardNumber"]

    def get(path: str, headers: dict[str, str] | None = None) -> Callable[[], int]:
        def call() -> int:
            answer = client.get(path, headers=headers or {})
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
            return len(answer.content)

        return call

    world_list = "/_sim/world/accounts/demo"
    cases = {
        "fleet before: GET /tachoshare/vehicles (all)": get("/tachoshare/vehicles", api),
        "fleet now: a page of 50 with state": get(f"{world_list}/vehicles?state=tachoshare&limit=50"),
        "fleet now: status DELAYED, first page": get(f"{world_list}/vehicles?state=tachoshare&status=DELAYED"),
        "drivers before: GET /tachoshare/drivers (all)": get("/tachoshare/drivers", api),
        "drivers now: a page of 50 with state": get(f"{world_list}/drivers?state=tachoshare&limit=50"),
        "drivers now: status OK, first page": get(f"{world_list}/drivers?state=tachoshare&status=OK"),
        "driver page now: keys=<card> with state": get(f"{world_list}/drivers?state=tachoshare&keys={key}"),
    }
    for call in cases.values():  # the first lists make every timeline and the lazy drivers: not what a page pays
        call()
    rows = []
    for clock, before in (("moving clock", lambda: sim.clock.advance(60)), ("same instant", lambda: None)):
        for name, call in cases.items():
            median, size = _cpu_ms(call, before, args.calls)
            rows.append([name, clock, f"{median:.1f}", f"{size:,}"])
            print(f"bench_world_lists: {name} ({clock}): {median:.1f} ms", file=sys.stderr, flush=True)
    print(markdown_table(["request", "clock", f"CPU ms (median of {args.calls})", "bytes"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
