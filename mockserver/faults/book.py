"""The fault book: installed rules, their match counters, and the seeded decision whether a matching rule fires.

It is a state section (part of snapshots and of `--state` files). Decisions are deterministic: a rule with a
probability fires on its n-th match exactly when a hash of (seed, rule id, n) says so, so the same seed, rules and
request sequence give the same faults.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from mockserver.errors import BadRequest, NotFound
from mockserver.faults.rules import FaultRule

SECTION = "faults"


def validation_message(exc: ValidationError, prefix: str = "") -> str:
    """A one-line message naming every bad field, e.g. `match.method: String should match pattern ...`."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "rule"
        parts.append(f"{prefix}{where}: {err['msg']}")
    return "; ".join(parts)


def parse_rule(raw: Any, prefix: str = "") -> FaultRule:
    try:
        return FaultRule.model_validate(raw)
    except ValidationError as exc:
        raise BadRequest(validation_message(exc, prefix)) from exc


@dataclass
class FaultBook:
    rules: list[FaultRule] = field(default_factory=list)
    matches: dict[str, int] = field(default_factory=dict)
    next_id: int = 1

    def add(self, rule: FaultRule) -> FaultRule:
        if rule.id is None:
            rule = rule.model_copy(update={"id": f"fault-{self.next_id}"})
            self.next_id += 1
        elif any(r.id == rule.id for r in self.rules):
            raise BadRequest(f"id: a fault rule {rule.id!r} is already installed")
        self.rules.append(rule)
        self.matches[str(rule.id)] = 0
        return rule

    def remove(self, rule_id: str) -> None:
        before = len(self.rules)
        self.rules = [r for r in self.rules if r.id != rule_id]
        if len(self.rules) == before:
            raise NotFound(f"no fault rule {rule_id!r}")
        self.matches.pop(rule_id, None)

    def clear(self) -> None:
        self.rules.clear()
        self.matches.clear()

    def decide(
        self, seed: int, api: str, method: str, path: str, operation_id: str | None, account: str | None
    ) -> FaultRule | None:
        """The first rule that matches and fires for this request; counts the match of every matching rule."""
        fired = None
        for rule in self.rules:
            if not rule.match.accepts(api, method, path, operation_id, account):
                continue
            rule_id = str(rule.id)
            n = self.matches.get(rule_id, 0) + 1
            self.matches[rule_id] = n
            if fired is None and _fires(rule, n, seed):
                fired = rule
        return fired

    def to_json(self) -> Any:
        return {
            "rules": [r.to_json() for r in self.rules],
            "matches": dict(self.matches),
            "nextId": self.next_id,
        }

    @classmethod
    def from_json(cls, data: Any | None) -> FaultBook:
        if not data:
            return cls()
        rules = [parse_rule(raw, f"faults.rules.{i}.") for i, raw in enumerate(data.get("rules", []))]
        return cls(
            rules, {str(k): int(v) for k, v in dict(data.get("matches", {})).items()}, int(data.get("nextId", 1))
        )


def _fires(rule: FaultRule, n: int, seed: int) -> bool:
    if rule.times is not None and n > rule.times:
        return False
    if rule.after is not None and n <= rule.after:
        return False
    if rule.probability is None:
        return True
    digest = hashlib.sha256(f"{seed}:{rule.id}:{n}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rule.probability
