"""The verify report without a server: merging repeated violations, the text and JSON renderings, and the curl
commands and body excerpts of recorded exchanges."""

from __future__ import annotations

import json

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.verify import (
    Exchange,
    OperationStats,
    Outcome,
    RunBounds,
    RunError,
    Skipped,
    SmokeStep,
    Source,
    VerifyReport,
    Violation,
    render_text,
)
from contracts.verify.recording import body_excerpt, curl_command
from contracts.verify.report import merge_duplicates, merge_errors

VIOLATION = Violation(
    Source.SCHEMATHESIS,
    "GET /vehicles",
    "response_schema_conformance",
    "Response violates schema",
    '42 is not of type "string"',
    Exchange("curl -X GET http://h/tachoshare/vehicles", 200, "application/json", '{"items":[{"vin":42}]}'),
    "coverage",
    ("curl -X GET http://h/tachoshare/drivers",),
)

violations = st.builds(
    Violation,
    source=st.sampled_from(Source),
    operation=st.sampled_from(["GET /vehicles", "GET /drivers"]),
    check=st.sampled_from(["status_code_conformance", "list vehicles"]),
    title=st.just("t"),
    message=st.sampled_from(["a", "b"]),
    occurrences=st.integers(1, 3),
)


@settings(max_examples=60)
@given(st.lists(violations, max_size=12))
def test_merging_keeps_one_violation_per_key_and_every_occurrence(items: list[Violation]) -> None:
    merged = merge_duplicates(items)
    assert len({v.key for v in merged}) == len(merged)
    assert [v.key for v in merged] == list(dict.fromkeys(v.key for v in items))
    assert sum(v.occurrences for v in merged) == sum(v.occurrences for v in items)
    for violation in merged:
        first = next(v for v in items if v.key == violation.key)
        assert violation.exchange == first.exchange and violation.phase == first.phase


def test_errors_merge_by_label_title_and_message() -> None:
    errors = [RunError("GET /x", "Network Error", "down")] * 3 + [RunError("GET /y", "Network Error", "down")]
    merged = merge_errors(errors)
    assert [(e.label, e.occurrences) for e in merged] == [("GET /x", 3), ("GET /y", 1)]


def report(**fields: object) -> VerifyReport:
    base: dict[str, object] = {
        "api": "tachoshare",
        "base_url": "http://h/tachoshare",
        "spec": "TachoShare.connect (version 2.19.0, specs/tachoshare.yaml)",
        "bounds": RunBounds(max_examples=4),
        "seed": 11,
        "smoke": (SmokeStep("list vehicles", "GET /vehicles", Outcome.PASS, "3 vehicles"),),
        "operations": (OperationStats("GET /vehicles", 5, 20, 0, ((200, 4), (400, 1))),),
        "phases": ("examples", "stateful"),
        "skipped": (Skipped("POST /vehicles/{vin}/rdl", "changes state"),),
    }
    base.update(fields)
    return VerifyReport(**base)  # type: ignore[arg-type]


def test_a_clean_report_passes_and_says_how_to_repeat_it() -> None:
    clean = report()
    assert clean.ok and clean.exit_code == 0
    text = render_text(clean)
    assert "seed 11" in text and "--seed 11" in text
    assert "PASS  list vehicles  GET /vehicles  3 vehicles" in text
    assert "200x4 400x1" in text and "skipped  POST /vehicles/{vin}/rdl: changes state" in text
    assert text.endswith("PASSED: no violations (1 client steps, 5 generated cases, 20 checks)")


def test_a_violation_is_shown_with_its_request_and_answer() -> None:
    failed = report(violations=(VIOLATION,))
    assert not failed.ok and failed.exit_code == 1
    text = render_text(failed)
    assert "[1] GET /vehicles: response_schema_conformance (schemathesis, coverage phase)" in text
    assert "      curl -X GET http://h/tachoshare/vehicles" in text
    assert "Earlier request 1:" in text and "curl -X GET http://h/tachoshare/drivers" in text
    assert "Response: 200 application/json" in text and '{"items":[{"vin":42}]}' in text
    assert text.endswith("FAILED: 1 violations in GET /vehicles")


def test_a_run_error_alone_fails_the_run() -> None:
    broken = report(errors=(RunError("GET /vehicles", "Network Error", "Connection failed", 3),))
    assert broken.exit_code == 1
    assert "GET /vehicles: Network Error: Connection failed (3 times)" in render_text(broken)


def test_the_json_report_round_trips_through_json() -> None:
    document = json.loads(json.dumps(report(violations=(VIOLATION,)).to_json()))
    assert document["ok"] is False and document["settings"]["maxExamples"] == 4
    assert document["violations"][0]["request"]["status"] == 200
    assert document["operations"][0]["statuses"] == {"200": 4, "400": 1}


def test_curl_commands_mask_credentials_and_keep_the_rest() -> None:
    request = requests.Request(
        "GET",
        "http://h/tachoshare/vehicles/X/files",
        params={"activityDate-from": "2026-01-01"},
        headers={"Authorization": "Bearer secret", "Accept": "application/json"},
    ).prepare()
    curl = curl_command(request)
    assert "secret" not in curl and "'Authorization: [Filtered]'" in curl
    assert "'Accept: application/json'" in curl
    assert curl.endswith("'http://h/tachoshare/vehicles/X/files?activityDate-from=2026-01-01'")


def test_excerpts_are_text_or_a_description_of_binary_content() -> None:
    assert body_excerpt(b"", "application/json") == "(empty body)"
    assert body_excerpt(b"\x00\x01" * 10, "application/octet-stream") == "(20 bytes of application/octet-stream)"
    long = body_excerpt(b"x" * 1000, "text/plain", limit=10)
    assert long == "xxxxxxxxxx ... (1000 bytes in all)"
