"""The control plane's writes: fault rules and rate limits (the other `/_sim` writes belong to the simulator:
reset, tenants, scenarios, snapshots). Handlers (`mockserver.control.qa`) call one method here per request; this is
the only control module that opens `store.write()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockserver.faults import FaultRule
from mockserver.ratelimit import RateLimitRule

if TYPE_CHECKING:
    from mockserver.simulator import Simulator


class ControlService:
    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def add_fault(self, rule: FaultRule) -> FaultRule:
        sim = self._sim
        with sim.store.write():
            return sim.faults.add(rule)

    def delete_fault(self, rule_id: str) -> None:
        sim = self._sim
        with sim.store.write():
            sim.faults.remove(rule_id)

    def clear_faults(self) -> None:
        sim = self._sim
        with sim.store.write():
            sim.faults.clear()

    def set_rate_limits(self, rules: list[RateLimitRule]) -> None:
        sim = self._sim
        with sim.store.write():
            sim.rate_limits.rules[:] = rules
            sim.rate_limiter.reset()
