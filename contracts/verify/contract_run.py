"""Schemathesis 4 over the project's own spec, against any server: stateless over every operation (examples,
coverage, fuzzing) and stateful through the spec's OpenAPI links, with the conformance checks only.

The run is Schemathesis's own engine (what `schemathesis run` drives), configured in code: the base URL, the seed,
the budget per operation, the five conformance checks (`CHECKS`), and credentials set per security scheme by an
auth provider. Operations that change state are excluded unless writes are allowed. Values the smoke flow found
(real VINs, card numbers, driver numbers) are bound to their parameters with a probability, so that generated
cases reach existing resources as well as unknown ones.

Checks not run: Schemathesis's security and acceptance checks (`ignored_auth`, `positive_data_acceptance`,
`negative_data_rejection`, ...): the question here is whether the answers conform to the spec, not whether the
server's validation is as strict as the schema (the real API's is not always).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.core.transport import Response
from schemathesis.engine import Status, StopReason, events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.engine.run import TESTING_PHASES
from schemathesis.generation.case import Case
from schemathesis.schemas import BaseSchema

from contracts.verify.options import SAFE_METHODS, RunBounds
from contracts.verify.recording import body_excerpt
from contracts.verify.report import (
    Exchange,
    OperationStats,
    RunError,
    Skipped,
    Source,
    Violation,
    merge_duplicates,
    merge_errors,
)

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
KNOWN_VALUE_PROBABILITY = 0.5
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
WRITE_METHODS = [method.upper() for method in HTTP_METHODS if method.upper() not in SAFE_METHODS]

HeaderSource = Callable[[], str]
"""Produces the `Authorization` value of one security scheme (it may fetch a token)."""


@dataclass(frozen=True)
class ContractOutcome:
    operations: tuple[OperationStats, ...]
    violations: tuple[Violation, ...]
    errors: tuple[RunError, ...]
    skipped: tuple[Skipped, ...]
    phases: tuple[str, ...]


def write_operations(document: Mapping[str, Any]) -> list[str]:
    """Labels (`POST /vehicles/{vin}/rdl`) of the operations whose method changes state."""
    return [
        f"{method.upper()} {path}"
        for path, item in document.get("paths", {}).items()
        for method in item
        if method in HTTP_METHODS and method.upper() not in SAFE_METHODS
    ]


def operation_schemes(document: Mapping[str, Any]) -> dict[str, str]:
    """Operation label -> the first security scheme it accepts (operations without security are left out)."""
    schemes: dict[str, str] = {}
    default = document.get("security") or []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            requirements = operation.get("security", default) or []
            named = [next(iter(requirement)) for requirement in requirements if requirement]
            if named and all(requirement for requirement in requirements):
                schemes[f"{method.upper()} {path}"] = named[0]
    return schemes


def contract_config(
    base_url: str, bounds: RunBounds, seed: int, known_values: Mapping[str, Iterable[str]]
) -> SchemathesisConfig:
    known = {binding: list(values) for binding, values in known_values.items() if values}
    raw: dict[str, Any] = {
        "base-url": base_url,
        "seed": seed,
        "continue-on-failure": True,
        "request-timeout": bounds.timeout,
        "suppress-health-check": ["all"],
        "generation": {"mode": str(bounds.mode), "max-examples": bounds.max_examples, "database": "none"},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {
            # Only the spec's own links: the question is whether the documented flows hold.
            "stateful": {"enabled": bounds.stateful, "inference": {"algorithms": []}},
            # Undeclared methods would only feed the (disabled) unsupported_method check, and may be writes.
            "coverage": {"unexpected-methods": []},
        },
    }
    if known:
        raw["dictionaries"] = {_dictionary(binding): {"values": values} for binding, values in known.items()}
        raw["parameters"] = {
            binding: {"dictionary": _dictionary(binding), "probability": KNOWN_VALUE_PROBABILITY} for binding in known
        }
    return SchemathesisConfig.from_dict(raw)


def _dictionary(binding: str) -> str:
    return "known-" + binding.replace(".", "-")


def build_schema(
    document: dict[str, Any],
    config: SchemathesisConfig,
    headers: Mapping[str, HeaderSource],
    allow_writes: bool,
) -> BaseSchema:
    schema: BaseSchema = schemathesis.openapi.from_dict(document, config=config)
    if not allow_writes:
        schema = schema.exclude(method=WRITE_METHODS)
    schemes = operation_schemes(document)

    class SchemeCredentials:
        """The Authorization header of each case, from its operation's security scheme."""

        def get(self, case: Case, context: Any) -> str | None:
            scheme = schemes.get(case.operation.label)
            source = headers.get(scheme) if scheme is not None else None
            return source() if source is not None else None

        def set(self, case: Case, data: str, context: Any) -> None:
            case.headers["Authorization"] = data

    schema.auth(refresh_interval=None)(SchemeCredentials)
    return schema


@dataclass
class _Collector:
    """Folds the engine's events into statistics, violations and errors."""

    cases: Counter[str] = field(default_factory=Counter)
    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)

    def consume(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.PhaseStarted) and event.phase.name in TESTING_PHASES:
            self.phases.append(str(event.phase.name.value))
        elif isinstance(event, events.ScenarioFinished):
            self._scenario(str(event.phase.value), event.recorder)
        elif isinstance(event, events.NonFatalError):
            self.errors.append(RunError(event.label, event.info.title, event.info.message))
        elif isinstance(event, events.FatalError):
            self.errors.append(RunError("run", "Fatal error", f"{type(event.exception).__name__}: {event.exception}"))
        elif isinstance(event, events.EngineFinished) and event.stop_reason is not StopReason.COMPLETED:
            explanation = event.stop_reason.skip_explanation or str(event.stop_reason)
            self.errors.append(RunError("run", "The run stopped early", explanation))

    def _scenario(self, phase: str, recorder: ScenarioRecorder) -> None:
        for case_id, interaction in recorder.interactions.items():
            node = recorder.cases.get(case_id)
            if node is None or interaction.response is None:
                continue
            label = node.value.operation.label
            self.cases[label] += 1
            self.statuses.setdefault(label, Counter())[interaction.response.status_code] += 1
        for case_id, checks in recorder.checks.items():
            for check in checks:
                node = recorder.cases.get(case_id)
                label = node.value.operation.label if node is not None else recorder.label
                if check.status is Status.SUCCESS:
                    self.passed[label] += 1
                elif check.status is Status.FAILURE and check.failure_info is not None:
                    self.failed[label] += 1
                    self.violations.append(_violation(phase, recorder, case_id, check.name, check.failure_info))

    def outcome(self, skipped: tuple[Skipped, ...]) -> ContractOutcome:
        stats = tuple(
            OperationStats(
                label,
                self.cases[label],
                self.passed[label],
                self.failed[label],
                tuple(sorted(self.statuses.get(label, Counter()).items())),
            )
            for label in sorted(set(self.cases) | set(self.failed))
        )
        return ContractOutcome(
            stats,
            merge_duplicates(self.violations),
            merge_errors(self.errors),
            skipped,
            tuple(dict.fromkeys(self.phases)),
        )


def _violation(phase: str, recorder: ScenarioRecorder, case_id: str, check: str, info: Any) -> Violation:
    failure = info.failure
    failing_id = failure.case_id or case_id
    node = recorder.cases.get(failing_id)
    operation = node.value.operation.label if node is not None else (failure.operation or recorder.label)
    interaction = recorder.interactions.get(failing_id)
    response: Response | None = interaction.response if interaction is not None else None
    exchange = Exchange(info.code_sample)
    if response is not None:
        kind = next(iter(response.headers.get("content-type", [])), None)  # lowercase keys, list values
        exchange = Exchange(info.code_sample, response.status_code, kind, body_excerpt(response.content, kind))
    steps = tuple(step.curl for step in info.steps if step.case_id != failing_id)
    return Violation(
        Source.SCHEMATHESIS, operation, check, failure.title, failure.message.strip(), exchange, phase, steps
    )


def _announce(phase: Any, progress: Callable[[str], None]) -> None:
    if phase.name in TESTING_PHASES and phase.is_enabled:
        progress(f"schemathesis: {phase.name.value} phase")


def run_contract(
    document: dict[str, Any],
    base_url: str,
    bounds: RunBounds,
    seed: int,
    headers: Mapping[str, HeaderSource],
    known_values: Mapping[str, Iterable[str]],
    progress: Callable[[str], None] | None = None,
) -> ContractOutcome:
    config = contract_config(base_url, bounds, seed, known_values)
    schema = build_schema(document, config, headers, bounds.allow_writes)
    skipped = tuple(
        Skipped(label, "changes state (on the real API an RDL request uses a manual attempt); pass --allow-writes")
        for label in ([] if bounds.allow_writes else write_operations(document))
    )
    collector = _Collector()
    for event in from_schema(schema).execute():
        if progress is not None and isinstance(event, events.PhaseStarted):
            _announce(event.phase, progress)
        collector.consume(event)
    return collector.outcome(skipped)
