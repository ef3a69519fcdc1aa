"""Time and peak memory of building two years of tachograph files.

1. A Gen2v2 VU file of a busy vehicle (730 activity days, two drivers taking turns).
2. A ZIP of a driver's weekly Gen2 card downloads over two years (105 files), with a Gen2v1 and a Gen2v2 card.

3. Through the API path (world -> timelines -> story -> bytes, what `GET .../files` runs), on the default world a
   year after its start: a 2-year Gen2v2 VU file (`ok-plus`), and 2-year driver ZIPs of a weekly (`ok-es`) and
   a daily (`ok`, TACHOSHARE PLUS: 730 card files) driver. "cold" is a fresh archive with every process-wide
   cache emptied too (day plans, encoded records, static card elements): nothing of the driver's story has been
   computed before. It is the median of `RUNS` such requests (a shared 2-core machine varies by tens of ms from
   one run to the next); "warm" is the same request again.

Targets: < 300 ms each, peak traced memory < 50 MB. Run: .venv/bin/python bench/bench_files.py
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from mockserver.tachograph.dayplan import cached_plan
from mockserver.tachograph.history.card import build_card_files, card_zip, weekly_moments
from mockserver.tachograph.history.fixed import DriverFacts, FixedCrew, VehicleFacts
from mockserver.tachograph.history.rota import CompanyFacts
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.types import EquipmentType, FullCardNumber, Generation
from mockserver.tachograph.vu.file import write_vu_file
from mockserver.tachoshare.archive import FileAnswer, TachographArchive

START, END = date(2023, 1, 2), date(2025, 1, 1)
NOW = datetime(2025, 1, 1, 8, tzinfo=UTC)
DRIVERS = (
    DriverFacts(101, "DF00000000010100", 0x0D, "Müller", "Hans", date(1980, 5, 17), START, date(2033, 1, 1)),
    DriverFacts(102, "DF00000000010200", 0x0D, "Schmidt", "Eva", date(1985, 2, 1), START, date(2033, 1, 1)),
)
COMPANY = CompanyFacts(
    "ACME Logistik GmbH", "Hauptstrasse 1", FullCardNumber(EquipmentType.COMPANY_CARD, 0x0D, "DC00000000000100", 2), NOW
)
RUNS = 5
VEHICLE = VehicleFacts(7, "WDB9634031L000007", 0x0D, "B-FM 7", Generation.GEN2V2, DRIVERS, START, company=COMPANY)


def vu_file() -> bytes:
    return write_vu_file(build_vu_download(FixedCrew([VEHICLE]), VEHICLE.vin, START, END, NOW))


def card_set() -> bytes:
    history = FixedCrew([VEHICLE]).history(DRIVERS[0])
    files = build_card_files(history, weekly_moments(START, END))
    return card_zip([(f"C_{i:03d}.DDD", data) for i, data in enumerate(files)])


def card_set_v2() -> bytes:
    """The same driver with a Gen2v2 card (its own layout, Mobility Package EFs filled by the Gen2v2 unit)."""
    driver = replace(DRIVERS[0], card_generation=Generation.GEN2V2)
    vehicle = replace(VEHICLE, drivers=(driver, DRIVERS[1]))
    history = FixedCrew([vehicle]).history(driver)
    files = build_card_files(history, weekly_moments(START, END))
    return card_zip([(f"C_{i:03d}.DDD", data) for i, data in enumerate(files)])


def measure(name: str, build: Callable[[], bytes]) -> None:
    cached_plan.cache_clear()  # cold: every day plan is computed
    started = time.perf_counter()
    data = build()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    build()
    warm = time.perf_counter() - started
    cached_plan.cache_clear()
    tracemalloc.start()
    build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{name}: {len(data):,} bytes, cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms, peak {peak / 2**20:.1f} MB"
    )


def api_path() -> None:
    from datetime import timedelta

    from mockserver.clock import SimClock
    from mockserver.simulator import Simulator
    from mockserver.tachoshare import files
    from mockserver.world import load_world
    from mockserver.world.models import Driver

    world = load_world()
    sim = Simulator(world, SimClock(world.start, rate=0))
    sim.clock.advance(365 * 86400)
    now = sim.clock.now()
    account = world.accounts[0]
    span = files.DateRange(now.date() - timedelta(days=729), now.date() + timedelta(days=1))
    vehicle = account.vehicles[0]  # ok-plus, Gen2v2
    vehicle_downloads = sim.tachoshare.vehicle_downloads(account, vehicle, now)
    cases: list[tuple[str, Callable[[TachographArchive], int]]] = [
        (
            "API path: Gen2v2 VU file, 2 years",
            lambda a: _sent(
                a.vehicle_file(world, account, vehicle, vehicle_downloads, span, files.VEHICLE_FORMATS["DDD"])
            ),
        )
    ]

    def driver_case(driver: Driver) -> Callable[[TachographArchive], int]:
        downloads = sim.tachoshare.driver_downloads(account, driver, now)
        return lambda a: _sent(a.driver_files(world, account, driver, downloads, span, files.DRIVER_FORMATS["DDD"]))

    for index, label in ((1, "weekly"), (0, "daily")):
        driver = account.drivers[index]
        count = sum(s.at.date() in span for s in sim.tachoshare.driver_downloads(account, driver, now).successes)
        cases.append((f"API path: driver ZIP, 2 years {label} ({count} files)", driver_case(driver)))
    for name, build in cases:
        colds = []
        for _ in range(RUNS):
            forget_process_caches()
            archive = TachographArchive()
            started = time.perf_counter()
            size = build(archive)
            colds.append(time.perf_counter() - started)
        cold = statistics.median(colds)
        started = time.perf_counter()
        build(archive)
        warm = time.perf_counter() - started
        forget_process_caches()
        tracemalloc.start()
        build(TachographArchive())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        cold_ms = f"cold {cold * 1000:.0f} ms (min {min(colds) * 1000:.0f})"
        timing = f"{cold_ms}, warm {warm * 1000:.0f} ms, peak {peak / 2**20:.1f} MB"
        print(f"{name}: {size:,} bytes, {timing}")


def forget_process_caches() -> None:
    """Empty the process-wide caches the file builders share, so the next request computes everything."""
    from mockserver.tachograph.card import file as card_file
    from mockserver.tachograph.codec import memo

    cached_plan.cache_clear()
    card_file.clear_static_elements()
    memo.MEMO.clear()


def _sent(answer: FileAnswer | None) -> int:
    """Take the answer's parts one by one, as the server sends them, and count its bytes."""
    assert answer is not None
    return sum(len(part) for part in answer.parts)


if __name__ == "__main__":
    measure("Gen2v2 VU file, 730 days", vu_file)
    measure("Gen2 card files, 2 years weekly, zipped", card_set)
    measure("Gen2v2 card files (own layout), 2 years weekly, zipped", card_set_v2)
    api_path()
