"""The bind link: the simulator for the handlers (`mockserver.runtime`) and the request's trace id.

It asks the store to catch up first (`Simulator.begin_request`): a shared store that is down raises
`StateUnavailable`, which the chain answers 503 in the API's own shape.
"""

from __future__ import annotations

from mockserver import runtime
from mockserver.chain.base import Answer, Call, Setup


class Bind:
    def __init__(self, setup: Setup) -> None:
        self.sim = setup.sim

    def enter(self, call: Call) -> Answer | None:
        call.bound = runtime.bind(self.sim)
        call.trace_id = self.sim.begin_request()
        call.trace_bound = runtime.bind_trace(call.trace_id)
        return None

    def leave(self, call: Call) -> None:
        if call.trace_bound is not None:
            runtime.unbind_trace(call.trace_bound)
        runtime.unbind(call.bound)
