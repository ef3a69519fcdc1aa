"""The faults link: the effect of a fault rule that matches the request (`mockserver.faults`), instead of or around
the API. Only APIs that take fault rules (`ApiPlugin.fault_target`) are checked; only a matching rule opens a write
(its counters are state), so a request no rule matches costs one pass over the rules."""

from __future__ import annotations

from mockserver.chain.base import Answer, Call, Setup
from mockserver.faults import EFFECTS, FaultContext
from mockserver.routes import Route


class Faults:
    def __init__(self, setup: Setup) -> None:
        self.sim = setup.sim
        self.setup = setup
        self.targets = frozenset(setup.apis.fault_targets())

    def matches(self, route: Route, method: str, account: str | None) -> bool:
        """Whether a fault rule matches the request (a pure test: nothing is counted)."""
        if route.api not in self.targets:
            return False
        args = (route.api, method, route.relative_path, route.operation_id, account)
        return any(rule.match.accepts(*args) for rule in self.sim.faults.rules)

    def enter(self, call: Call) -> Answer | None:
        route = call.route
        method = call.scope["method"]
        if not self.matches(route, method, call.account):
            return None
        sim = self.sim
        args = (route.api, method, route.relative_path, route.operation_id, call.account)
        with sim.store.write():
            rule = sim.faults.decide(sim.world.seed, *args)
        if rule is None:
            return None
        call.fault_id = rule.id
        call.rule = rule
        return self.effect

    async def effect(self, call: Call) -> None:
        render = self.setup.render_error

        def error_body(code: int, description: str) -> tuple[bytes, str]:
            _, headers, body = render(call.scope, code, description, {})
            media = next((v.decode() for k, v in headers if k == b"content-type"), "application/json")
            return body, media

        rule = call.rule
        context = FaultContext(call.scope, call.receive, call.forward, self.setup.app, rule, error_body)
        call.status = await EFFECTS[rule.effect](context) or call.status
