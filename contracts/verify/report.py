"""The verify report: what ran, what passed, and every violation with the request to reproduce it.

A violation is something the server did that its spec (or the reference client's reading of it) does not allow:
an undeclared status, a body or header that does not conform, a 5xx, a flow of the reference client that failed.
Documented error answers (a 404 for an unknown VIN, a 409 refusing an RDL, a 400 asking for a generation split,
a 204 without data) are passes as long as their status is declared and their body conforms.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from contracts.verify.options import RunBounds


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


class Source(StrEnum):
    SMOKE = "smoke"  # a flow of the reference client
    SCHEMATHESIS = "schemathesis"  # a generated case and Schemathesis's conformance checks


@dataclass(frozen=True)
class Exchange:
    """One request, as a curl command (credentials masked), and what came back."""

    curl: str
    status: int | None = None
    content_type: str | None = None
    excerpt: str = ""  # the start of the body, or the transport error when there was no answer

    def to_json(self) -> dict[str, Any]:
        return {"curl": self.curl, "status": self.status, "contentType": self.content_type, "excerpt": self.excerpt}


@dataclass(frozen=True)
class Violation:
    source: Source
    operation: str  # "GET /vehicles/{vin}" (the spec's path template)
    check: str  # a Schemathesis check name, or the smoke step's name
    title: str
    message: str
    exchange: Exchange | None = None
    phase: str | None = None  # Schemathesis phase: examples, coverage, fuzzing, stateful
    steps: tuple[str, ...] = ()  # earlier requests (curl) a stateful failure needs, oldest first
    occurrences: int = 1

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Same operation, check and complaint: the same violation, however many cases showed it."""
        return self.source, self.operation, self.check, self.title, self.message

    def to_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "operation": self.operation,
            "check": self.check,
            "title": self.title,
            "message": self.message,
            "phase": self.phase,
            "occurrences": self.occurrences,
            "request": self.exchange.to_json() if self.exchange is not None else None,
            "steps": list(self.steps),
        }


@dataclass(frozen=True)
class SmokeStep:
    name: str
    operation: str
    outcome: Outcome
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "operation": self.operation, "outcome": str(self.outcome), "detail": self.detail}


@dataclass(frozen=True)
class OperationStats:
    """The generated cases of one operation (all phases, stateful steps included) and their checks."""

    operation: str
    cases: int
    checks_passed: int
    checks_failed: int
    statuses: tuple[tuple[int, int], ...]  # (status, count), by status

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "cases": self.cases,
            "checksPassed": self.checks_passed,
            "checksFailed": self.checks_failed,
            "statuses": {str(status): count for status, count in self.statuses},
        }


@dataclass(frozen=True)
class Skipped:
    operation: str
    reason: str


@dataclass(frozen=True)
class RunError:
    """The run itself could not do something (the server unreachable, a schema Schemathesis cannot use)."""

    label: str
    title: str
    message: str
    occurrences: int = 1


@dataclass(frozen=True)
class VerifyReport:
    api: str
    base_url: str
    spec: str  # "TachoShare.connect 2.19.0 (tachoshare.yaml)"
    bounds: RunBounds
    seed: int | None
    smoke: tuple[SmokeStep, ...] = ()
    operations: tuple[OperationStats, ...] = ()
    phases: tuple[str, ...] = ()  # the Schemathesis phases that ran
    skipped: tuple[Skipped, ...] = ()
    violations: tuple[Violation, ...] = ()
    errors: tuple[RunError, ...] = ()
    notes: tuple[str, ...] = field(default=())  # drift the client tolerated, where a value came from, ...

    @property
    def ok(self) -> bool:
        return not self.violations and not self.errors

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def violated_operations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.operation for v in self.violations))

    def to_json(self) -> dict[str, Any]:
        return {
            "api": self.api,
            "baseUrl": self.base_url,
            "spec": self.spec,
            "ok": self.ok,
            "settings": {
                "seed": self.seed,
                "maxExamples": self.bounds.max_examples,
                "mode": str(self.bounds.mode),
                "stateful": self.bounds.stateful,
                "allowWrites": self.bounds.allow_writes,
            },
            "smoke": [step.to_json() for step in self.smoke],
            "phases": list(self.phases),
            "operations": [stats.to_json() for stats in self.operations],
            "skipped": [{"operation": s.operation, "reason": s.reason} for s in self.skipped],
            "violations": [v.to_json() for v in self.violations],
            "errors": [
                {"label": e.label, "title": e.title, "message": e.message, "occurrences": e.occurrences}
                for e in self.errors
            ],
            "notes": list(self.notes),
        }


def merge_duplicates(violations: list[Violation]) -> tuple[Violation, ...]:
    """One entry per `Violation.key`, the first example kept, in order of first appearance, with a count."""
    merged: dict[tuple[str, str, str, str, str], Violation] = {}
    for violation in violations:
        first = merged.get(violation.key)
        if first is None:
            merged[violation.key] = violation
        else:
            merged[violation.key] = replace(first, occurrences=first.occurrences + violation.occurrences)
    return tuple(merged.values())


def merge_errors(errors: list[RunError]) -> tuple[RunError, ...]:
    """One entry per (label, title, message), with a count."""
    merged: dict[tuple[str, str, str], RunError] = {}
    for error in errors:
        key = (error.label, error.title, error.message)
        first = merged.get(key)
        merged[key] = error if first is None else replace(first, occurrences=first.occurrences + error.occurrences)
    return tuple(merged.values())
