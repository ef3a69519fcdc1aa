"""`fleetmock verify` against the live simulator: it passes when the simulator keeps its specs, and fails, naming
the operation, when a fault rule makes the simulator break them (a non-conforming body, an undeclared status).

Runs are kept small (3 examples per operation, fixed seeds) so the file stays fast.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from contracts.verify import (
    TARGETS,
    Credentials,
    GenerationMode,
    Outcome,
    RunBounds,
    Source,
    VerifyOptions,
    VerifyReport,
    run_verify,
)
from mockserver.cli import main
from mockserver.cli.verify import API_NAMES, EXIT_BAD_OPTIONS, EXIT_OK, EXIT_VIOLATIONS
from tests.conftest import LiveServer

pytestmark = pytest.mark.live

SMALL = RunBounds(max_examples=3, seed=20261102)
SMALL_POSITIVE = RunBounds(max_examples=3, seed=20261102, mode=GenerationMode.POSITIVE)
REVEAL_USER = Credentials(user="demo", password="demo", app_id="DEMOAPPID")


def add_fault(live: LiveServer, rule: dict[str, Any]) -> None:
    answer = requests.post(f"{live.base_url}/_sim/faults", json=rule, timeout=10)
    assert answer.status_code in (200, 201), answer.text


def tachoshare(live: LiveServer, bounds: RunBounds = SMALL) -> VerifyOptions:
    return VerifyOptions("tachoshare", f"{live.base_url}/tachoshare", Credentials(token=live.token()), bounds)


def reveal(live: LiveServer, bounds: RunBounds = SMALL, driver: str | None = None) -> VerifyOptions:
    return VerifyOptions("reveal", f"{live.base_url}/reveal", REVEAL_USER, bounds, driver)


def schemathesis_checks(report: VerifyReport, operation: str) -> set[str]:
    return {v.check for v in report.violations if v.source is Source.SCHEMATHESIS and v.operation == operation}


def journal(live: LiveServer) -> list[dict[str, Any]]:
    return list(requests.get(f"{live.base_url}/_sim/journal", timeout=10).json()["entries"])


def test_the_simulator_passes_for_tachoshare_and_nothing_is_written(live: LiveServer) -> None:
    report = run_verify(tachoshare(live))
    assert report.ok, [v.to_json() for v in report.violations] + [vars(e) for e in report.errors]
    assert report.exit_code == 0
    assert [s.outcome for s in report.smoke] == [Outcome.PASS] * 7 + [Outcome.SKIP]
    operations = {stats.operation for stats in report.operations}
    assert operations == {
        "GET /vehicles",
        "GET /vehicles/{vin}",
        "GET /vehicles/{vin}/files",
        "GET /drivers",
        "GET /drivers/{cardNumber}/files",
        "GET /companyCards",
        "GET /companyCardGroups",
    }
    assert [s.operation for s in report.skipped] == ["POST /vehicles/{vin}/rdl"]
    assert "stateful" in report.phases
    # The VINs the smoke flow found reach Schemathesis: the file route answers files, not only 404s.
    statuses = dict(next(s for s in report.operations if s.operation == "GET /vehicles/{vin}/files").statuses)
    assert statuses.get(200, 0) > 0
    assert not [e for e in journal(live) if e["api"] == "tachoshare" and e["method"] != "GET"]


def test_writes_run_when_allowed_and_documented_refusals_pass(live: LiveServer) -> None:
    bounds = RunBounds(max_examples=3, seed=7, mode=GenerationMode.POSITIVE, allow_writes=True)
    report = run_verify(tachoshare(live, bounds))
    assert report.ok, [v.to_json() for v in report.violations]
    assert not report.skipped
    rdl = next(s for s in report.operations if s.operation == "POST /vehicles/{vin}/rdl")
    assert rdl.cases > 0 and rdl.checks_failed == 0
    assert report.smoke[-1].outcome is Outcome.PASS
    assert any(e["method"] == "POST" and e["api"] == "tachoshare" for e in journal(live))


def test_the_simulator_passes_for_reveal(live: LiveServer) -> None:
    report = run_verify(reveal(live))
    assert report.ok, [v.to_json() for v in report.violations]
    assert [s.outcome for s in report.smoke] == [Outcome.PASS] * 4
    assert any("driver 99" in note for note in report.notes)  # the first driver of the demo account
    current = next(s for s in report.operations if s.operation.endswith("/statuscurrent"))
    assert dict(current.statuses).get(200, 0) > 0


def test_the_same_seed_repeats_the_same_cases(live: LiveServer) -> None:
    bounds = RunBounds(max_examples=3, seed=99, mode=GenerationMode.POSITIVE)
    first = run_verify(reveal(live, bounds))
    live.sim.reset()
    assert run_verify(reveal(live, bounds)).operations == first.operations


def test_a_non_conforming_body_fails_and_names_the_operation(live: LiveServer) -> None:
    add_fault(
        live,
        {
            "match": {"api": "tachoshare", "path": "/vehicles"},
            "respond": {"status": 200, "body": {"items": [{"vin": 42}]}},
        },
    )
    report = run_verify(tachoshare(live, SMALL_POSITIVE))
    assert not report.ok and report.exit_code == 1
    assert report.violated_operations() == ("GET /vehicles",)
    assert "response_schema_conformance" in schemathesis_checks(report, "GET /vehicles")
    smoke = next(v for v in report.violations if v.source is Source.SMOKE)
    assert smoke.check == "list vehicles" and "UnreadableAnswer" in smoke.message
    assert smoke.exchange is not None and smoke.exchange.status == 200
    assert '"vin":42' in smoke.exchange.excerpt.replace(" ", "")
    assert "Authorization: [Filtered]" in smoke.exchange.curl and live.base_url in smoke.exchange.curl


def test_an_undeclared_status_fails_and_names_the_operation(live: LiveServer) -> None:
    add_fault(live, {"match": {"api": "tachoshare", "path": "/companyCardGroups"}, "respond": {"status": 418}})
    report = run_verify(tachoshare(live, SMALL_POSITIVE))
    assert report.violated_operations() == ("GET /companyCardGroups",)
    violation = next(v for v in report.violations if v.check == "status_code_conformance")
    assert violation.exchange is not None and violation.exchange.status == 418
    assert "418" in violation.message


def test_a_file_that_is_not_a_tachograph_download_fails(live: LiveServer) -> None:
    add_fault(
        live,
        {
            "match": {"api": "tachoshare", "path": "/vehicles/*/files"},
            "respond": {"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "oops"},
        },
    )
    report = run_verify(tachoshare(live, SMALL_POSITIVE))
    operation = "GET /vehicles/{vin}/files"
    assert report.violated_operations() == (operation,)
    assert {"content_type_conformance", "response_headers_conformance"} <= schemathesis_checks(report, operation)
    smoke = next(v for v in report.violations if v.source is Source.SMOKE)
    assert smoke.check == "download a vehicle file" and "not vehicle-unit downloads" in smoke.message


def test_a_reveal_answer_missing_a_required_field_fails(live: LiveServer) -> None:
    add_fault(
        live,
        {
            "match": {"api": "reveal", "path": "/logbook/v1/driver/*/remainingtime"},
            "respond": {"status": 200, "body": {"DriverNumber": "99"}},
        },
    )
    report = run_verify(reveal(live, SMALL_POSITIVE, driver="99"))
    operation = "GET /logbook/v1/driver/{driverNumber}/remainingtime"
    assert report.violated_operations() == (operation,)
    assert "response_schema_conformance" in schemathesis_checks(report, operation)
    assert any(n == "driver 99 from --driver" for n in report.notes)


def test_the_command_prints_the_report_and_exits_by_the_verdict(
    live: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["verify", "--api", "reveal", "--base-url", f"{live.base_url}/reveal", "--user", "demo"]
    common += ["--password", "demo", "--app-id", "DEMOAPPID", "--max-examples", "3", "--seed", "5", "--no-stateful"]
    assert main(common) == EXIT_OK
    text = capsys.readouterr().out
    assert "PASSED: no violations" in text and "seed 5" in text and "stateful off" in text

    add_fault(live, {"match": {"api": "reveal", "path": "/token"}, "respond": {"status": 418}})
    assert main([*common, "--json"]) == EXIT_VIOLATIONS
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False
    violation = next(v for v in document["violations"] if v["source"] == "schemathesis")
    assert violation["operation"] == "GET /token" and violation["request"]["status"] == 418
    assert violation["request"]["curl"].startswith("curl -X GET")


def test_text_report_shows_the_request_and_the_answer_of_a_violation(
    live: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_fault(live, {"match": {"api": "tachoshare", "path": "/drivers"}, "respond": {"status": 200, "body": {}}})
    args = ["verify", "--api", "tachoshare", "--base-url", f"{live.base_url}/tachoshare", "--token", live.token()]
    assert main([*args, "--max-examples", "3", "--seed", "1", "--mode", "positive"]) == EXIT_VIOLATIONS
    text = capsys.readouterr().out
    assert "GET /drivers: response_schema_conformance (schemathesis" in text
    assert f"curl -X GET -H 'Authorization: [Filtered]' {live.base_url}/tachoshare/drivers" in text
    assert "Response: 200 application/json" in text
    assert text.rstrip().endswith("violations in GET /drivers")


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["--api", "tachoshare"], "--token"),
        (["--api", "reveal", "--user", "demo"], "--password, --app-id"),
    ],
)
def test_missing_credentials_are_a_usage_error(
    args: list[str], missing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--base-url", "http://127.0.0.1:9/x", *args]) == EXIT_BAD_OPTIONS
    assert f"needs {missing}" in capsys.readouterr().err


def test_the_command_offers_every_registered_api() -> None:
    assert set(API_NAMES) == set(TARGETS)
