"""Snapshots of the whole mutable state, the clock included, and their exact restoration.

A snapshot is versioned JSON: `{"version", "clock": {"now", "rate"}, "sections": {...}}`. Restoring checks
everything first and changes nothing when any part is refused, so a bad snapshot never loses state.
"""

from __future__ import annotations

from typing import Any

from mockserver.clock import ClockError, check_instant, parse_instant, rate_json
from mockserver.errors import BadRequest
from mockserver.http import iso_instant
from mockserver.simulator import Simulator
from mockserver.store import STATE_VERSION, StateError


def take_snapshot(sim: Simulator) -> dict[str, Any]:
    with sim.store.write():
        reading = sim.clock.reading()
        stored = sim.store.snapshot()
    return {
        "version": STATE_VERSION,
        "clock": {"now": iso_instant(reading.now), "rate": rate_json(reading.rate)},
        "sections": stored["sections"],
    }


def restore_snapshot(sim: Simulator, snapshot: Any) -> None:
    if not isinstance(snapshot, dict):
        raise BadRequest("a state snapshot is a JSON object with version, clock and sections")
    clock = snapshot.get("clock")
    if not isinstance(clock, dict):
        raise BadRequest("clock: an object with now and rate is expected")
    try:
        now = check_instant(parse_instant(str(clock["now"])), "clock.now")
        rate = float(clock["rate"])
    except (KeyError, TypeError, ValueError) as exc:  # ClockError is a ValueError
        raise BadRequest(f"clock: {exc}") from exc
    if not 0 <= rate <= 1_000_000:
        raise BadRequest(f"clock.rate: {rate} is not between 0 and 1000000")
    with sim.store.write():
        try:
            sim.store.restore({"version": snapshot.get("version"), "sections": snapshot.get("sections")})
        except StateError as exc:
            raise BadRequest(str(exc)) from exc
        sim.after_restore()
        try:
            sim.clock.set_anchor(now)
            sim.clock.set(rate=rate)
        except ClockError as exc:  # validated above; kept so a future rule cannot leave state half restored
            raise BadRequest(str(exc)) from exc
