"""Build the 2-year daily driver ZIP of `bench_files.py` cold, N times (N from argv): the workload that
`instructions_files.sh` counts under callgrind, where instruction counts are stable though wall time is not."""

from __future__ import annotations

import sys
from datetime import timedelta

from bench_files import forget_process_caches

from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
from mockserver.world import load_world


def main(times: int) -> None:
    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))
    sim.clock.advance(365 * 86400)
    now = sim.clock.now()
    account = world.accounts[0]
    driver = account.drivers[0]  # `ok`: daily downloads, 730 card files in two years
    span = files.DateRange(now.date() - timedelta(days=729), now.date() + timedelta(days=1))
    downloads = sim.tachoshare.driver_downloads(account, driver, now)
    for _ in range(times):
        forget_process_caches()
        answer = TachographArchive().driver_files(world, account, driver, downloads, span, files.DRIVER_FORMATS["DDD"])
        assert answer is not None
        sum(len(part) for part in answer.parts)


if __name__ == "__main__":
    main(int(sys.argv[1]))
