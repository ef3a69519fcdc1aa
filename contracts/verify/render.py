"""The verify report as text for a terminal or a CI log: the run, the smoke flow, the operations, then every
violation with its request as a curl command and the start of the answer, and a one-line verdict at the end."""

from __future__ import annotations

import textwrap

from contracts.verify.report import OperationStats, VerifyReport, Violation

INDENT = "    "
MESSAGE_LINES = 12


def render_text(report: VerifyReport) -> str:
    lines = _header(report)
    lines += _smoke(report)
    lines += _operations(report)
    if report.notes:
        lines += ["", "Notes", *(f"  - {note}" for note in report.notes)]
    if report.violations:
        lines += ["", f"Violations ({len(report.violations)})"]
        for number, violation in enumerate(report.violations, 1):
            lines += _violation(number, violation)
    if report.errors:
        lines += ["", f"Run errors ({len(report.errors)})"]
        lines += [f"  - {e.label}: {e.title}: {e.message}{_times(e.occurrences)}" for e in report.errors]
    lines += ["", _verdict(report)]
    return "\n".join(lines)


def _header(report: VerifyReport) -> list[str]:
    bounds = report.bounds
    stateful = "on (the spec's OpenAPI links)" if bounds.stateful else "off"
    writes = "included" if bounds.allow_writes else "skipped (--allow-writes to include)" if report.skipped else "none"
    return [
        f"fleetmock verify: {report.spec}",
        f"  server    {report.base_url}",
        f"  run       seed {report.seed}, max-examples {bounds.max_examples}, mode {bounds.mode}",
        f"            stateful {stateful}, writes {writes}",
        f"  repeat    --seed {report.seed}",
    ]


def _smoke(report: VerifyReport) -> list[str]:
    if not report.smoke:
        return []
    name_width = max(len(s.name) for s in report.smoke)
    operation_width = max(len(s.operation) for s in report.smoke)
    lines = ["", "Reference client flow"]
    for step in report.smoke:
        outcome = step.outcome.upper()
        lines.append(f"  {outcome:<4}  {step.name:<{name_width}}  {step.operation:<{operation_width}}  {step.detail}")
    return lines


def _operations(report: VerifyReport) -> list[str]:
    phases = ", ".join(report.phases) or "none"
    lines = ["", f"Schemathesis (phases: {phases}; checks: status, content type, headers, body, no 5xx)"]
    if report.operations:
        width = max(len(stats.operation) for stats in report.operations)
        lines += [_stats_line(stats, width) for stats in report.operations]
    else:
        lines.append("  no case reached the server")
    lines += [f"  skipped  {s.operation}: {s.reason}" for s in report.skipped]
    return lines


def _stats_line(stats: OperationStats, width: int) -> str:
    statuses = " ".join(f"{status}x{count}" for status, count in stats.statuses)
    checks = stats.checks_passed + stats.checks_failed
    failed = f"{stats.checks_failed} FAILED" if stats.checks_failed else "0 failed"
    return f"  {stats.operation:<{width}}  {stats.cases:>4} cases  {checks:>5} checks  {failed:<9}  {statuses}"


def _violation(number: int, violation: Violation) -> list[str]:
    where = [str(violation.source)]
    if violation.phase:
        where.append(f"{violation.phase} phase")
    if violation.occurrences > 1:
        where.append(f"{violation.occurrences} times")
    lines = ["", f"[{number}] {violation.operation}: {violation.check} ({', '.join(where)})"]
    lines.append(f"{INDENT}{violation.title}")
    message = violation.message.splitlines()
    lines += [f"{INDENT}  {line}" if line else "" for line in message[:MESSAGE_LINES]]
    if len(message) > MESSAGE_LINES:
        lines.append(f"{INDENT}  ... ({len(message) - MESSAGE_LINES} more lines; --json has them all)")
    for step_number, step in enumerate(violation.steps, 1):
        lines.append(f"{INDENT}Earlier request {step_number}:")
        lines += _block(step)
    exchange = violation.exchange
    if exchange is not None:
        lines.append(f"{INDENT}Request:")
        lines += _block(exchange.curl)
        if exchange.status is not None:
            lines.append(f"{INDENT}Response: {exchange.status} {exchange.content_type or '(no Content-Type)'}")
        else:
            lines.append(f"{INDENT}Response: none")
        lines += _block(exchange.excerpt)
    return lines


def _times(occurrences: int) -> str:
    return f" ({occurrences} times)" if occurrences > 1 else ""


def _block(text: str) -> list[str]:
    return textwrap.indent(text, INDENT + "  ").splitlines()


def _verdict(report: VerifyReport) -> str:
    if report.ok:
        cases = sum(stats.cases for stats in report.operations)
        checks = sum(stats.checks_passed for stats in report.operations)
        steps = sum(1 for step in report.smoke if step.outcome == "pass")
        return f"PASSED: no violations ({steps} client steps, {cases} generated cases, {checks} checks)"
    parts = []
    if report.violations:
        parts.append(f"{len(report.violations)} violations in {', '.join(report.violated_operations())}")
    if report.errors:
        parts.append(f"{len(report.errors)} run errors")
    return f"FAILED: {'; '.join(parts)}"
