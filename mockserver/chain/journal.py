"""The journal link: one entry per exchange (`GET /_sim/journal`), recorded before the answer's last body message
leaves, so a client that has the whole answer finds its entry; what never reached that point is recorded on leaving.
"""

from __future__ import annotations

import time

from starlette.types import Scope

from mockserver.chain.base import Answer, Call, Setup
from mockserver.errors import StateUnavailable
from mockserver.journal import BodyTap, JournalEntry, bounded, kept_headers
from mockserver.queryparams import WARNINGS_KEY
from mockserver.routes import Route

UNJOURNALED = ("/_sim/journal", "/_sim/console")  # reading the journal (or the console) is not news


class JournalLink:
    def __init__(self, setup: Setup) -> None:
        self.sim = setup.sim
        self.journal = setup.sim.journal

    def enter(self, call: Call) -> Answer | None:
        if self.journal.enabled and not call.scope["path"].startswith(UNJOURNALED):
            call.began = time.perf_counter()
            call.on_complete = self.record
            tap = BodyTap(call.receive, call.forward)  # the first bytes of both bodies, for the entry
            call.receive, call.extra = tap.receive, tap
            call.forward = tap.send  # type: ignore[method-assign]
        return None

    def leave(self, call: Call) -> None:
        if call.on_complete == self.record:  # the answer ended without a last body message (or never began)
            call.on_complete = None
            self.record(call)

    def record(self, call: Call) -> None:
        tap = call.extra if isinstance(call.extra, BodyTap) else None
        request_body, response_body = tap.bodies() if tap is not None else (None, None)
        self.add(
            call.scope,
            call.route,
            call.status,
            call.account,
            call.fault_id,
            call.trace_id,
            call.began,
            request_body,
            response_body,
            tap is not None and tap.request_cut,
        )

    def add(
        self,
        scope: Scope,
        route: Route,
        status: int,
        account: str | None,
        fault: str | None,
        trace_id: str,
        began: float,
        request_body: str | None,
        response_body: str | None,
        request_cut: bool,
    ) -> None:
        """The entry of one exchange, made now (also for a read answered early: `mockserver.chain.early`)."""
        journal = self.journal
        headers, headers_cut = kept_headers(scope["headers"])
        try:
            simulated = self.sim.clock.now()
        except StateUnavailable:  # the state (a shared clock) cannot be had: the answer is that 503, unjournaled
            return
        journal.add(
            JournalEntry(
                seq=journal.next_seq(),
                simulated=simulated,
                wall=time.time(),
                api=route.api,
                method=scope["method"],
                path=bounded(scope["path"]),
                query=bounded(scope.get("query_string", b"").decode("latin-1")),
                status=status,
                account=account,
                operation_id=route.operation_id,
                fault=fault,
                trace_id=trace_id,
                duration_ms=(time.perf_counter() - began) * 1000,
                warnings=tuple(bounded(w) for w in scope.get(WARNINGS_KEY, ())),
                request_body=request_body,
                response_body=response_body,
                request_cut=request_cut,
                headers=headers,
                headers_cut=headers_cut,
            )
        )
