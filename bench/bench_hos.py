"""Benchmark: LogBook `remainingtime`-equivalent engine calls for drivers with six months of generated log.

Each call is `hos_snapshot` (clocks now, clocks at the last status change, usage since the reset), the work
the LogBook API does per request. Query instants are spread over the last 30 days of the log. Run:

    python bench/bench_hos.py [--calls N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from mockserver.reveal.dutylog import DutyLogGenerator, profile_names
from mockserver.reveal.hos import hos_snapshot

START = datetime(2024, 1, 1, tzinfo=UTC)
SIX_MONTHS = timedelta(days=183)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5000, help="engine calls per profile (default 5000)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    end = START + SIX_MONTHS
    print(f"{'profile':<12} {'events':>7} {'generate':>10} {'p50':>9} {'p99':>9} {'max':>9}")
    for name in profile_names():
        started = time.perf_counter()
        generator = DutyLogGenerator(args.seed, name, 8, START, vehicles=("85",))
        log = generator.duty_log_until(end)
        generated = time.perf_counter() - started
        rng = random.Random(args.seed)
        instants = [end - timedelta(minutes=rng.randint(0, 30 * 24 * 60)) for _ in range(args.calls)]
        durations: list[float] = []
        for at in instants:
            call_started = time.perf_counter()
            hos_snapshot(log, at, generator.hos_options)
            durations.append(time.perf_counter() - call_started)
        durations.sort()
        print(
            f"{name:<12} {len(log):>7} {generated * 1000:>8.0f}ms"
            f" {statistics.median(durations) * 1e6:>7.0f}us"
            f" {_percentile(durations, 0.99) * 1e6:>7.0f}us"
            f" {durations[-1] * 1e6:>7.0f}us"
        )


if __name__ == "__main__":
    main()
