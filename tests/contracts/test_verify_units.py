"""Pieces of `fleetmock verify` that need no server: smoke steps and drift notes, what the specs say about writes
and credentials, and the Schemathesis configuration a run builds."""

from __future__ import annotations

import pytest
import requests

from contracts.reveal.models import RemainingTime
from contracts.tachoshare.errors import NotFound
from contracts.tachoshare.models import ErrorBody, Vehicle
from contracts.verify import Credentials, GenerationMode, OptionError, Outcome, RunBounds, Source, VerifyOptions
from contracts.verify.contract_run import contract_config, operation_schemes, write_operations
from contracts.verify.recording import RecordingSession
from contracts.verify.smoke import SmokeRun, StepFailed, StepSkipped
from contracts.verify.targets import target
from mockserver.resources import load_spec


def run_steps() -> SmokeRun:
    run = SmokeRun(RecordingSession())

    def skipped() -> str:
        raise StepSkipped("nothing to read")

    def wrong() -> str:
        raise StepFailed("asked for A, got B")

    def refused() -> str:
        raise NotFound(404, ErrorBody(description="no such vehicle"))

    assert run.step("reads", "GET /a", lambda: "3 things")
    assert not run.step("skips", "GET /b", skipped)
    assert not run.step("wrong", "GET /c", wrong)
    assert not run.step("refused", "GET /d", refused)
    return run


def test_steps_pass_skip_or_fail_and_failures_become_violations() -> None:
    run = run_steps()
    assert [(s.name, s.outcome, s.detail) for s in run.steps] == [
        ("reads", Outcome.PASS, "3 things"),
        ("skips", Outcome.SKIP, "nothing to read"),
        ("wrong", Outcome.FAIL, "asked for A, got B"),
        ("refused", Outcome.FAIL, "NotFound: 404: no such vehicle"),
    ]
    assert [(v.source, v.operation, v.check) for v in run.violations] == [
        (Source.SMOKE, "GET /c", "wrong"),
        (Source.SMOKE, "GET /d", "refused"),
    ]
    assert all(v.exchange is None for v in run.violations)  # nothing was sent


def test_a_bug_of_the_verifier_is_not_reported_as_a_violation() -> None:
    with pytest.raises(ZeroDivisionError):
        SmokeRun(RecordingSession()).step("bug", "GET /a", lambda: str(1 // 0))


def test_known_values_are_kept_once_in_order() -> None:
    run = SmokeRun(RecordingSession())
    run.learn("path.vin", ["B", "A", "B"])
    run.learn("path.vin", ["C", "A"])
    assert run.known_values == {"path.vin": ["B", "A", "C"]}


def test_drift_notes_name_unknown_fields_and_values() -> None:
    run = SmokeRun(RecordingSession())
    base = {"vin": "V", "manualAttemptsRemaining": 1, "vehicleId": "1"}
    known = Vehicle.model_validate(
        {**base, "rdlStatus": "OK", "rdlHealthStatus": {"result": "SUCCESS", "level": "INFO"}}
    )
    drifted = Vehicle.model_validate(
        {**base, "rdlStatus": "PAUSED", "colour": "red", "rdlHealthStatus": {"result": "SUCCESS", "level": "DEBUG"}}
    )
    run.note_drift("GET /vehicles", [known])
    assert run.notes == []
    run.note_drift("GET /vehicles", [known, drifted])
    assert run.notes == [
        "GET /vehicles: fields the reference client does not know: colour",
        "GET /vehicles: values the reference client does not know: level=DEBUG, rdlStatus=PAUSED",
    ]
    hours = {"DrivingLeftForToday": 1, "CycleTimeLeft": 2}
    remaining = RemainingTime.model_validate(
        {"DriverNumber": "1", "RuleCycle": 8, "HoursAgainstRuleSet": hours, "LastStatus": "Yard"}
    )
    run.note_drift("GET /remainingtime", [remaining])
    assert run.notes[-1] == "GET /remainingtime: values the reference client does not know: LastStatus=Yard"


def test_the_recording_session_remembers_a_request_that_got_no_answer() -> None:
    session = RecordingSession()
    with pytest.raises(requests.ConnectionError):
        session.get("http://127.0.0.1:9/tachoshare/vehicles", headers={"Authorization": "Bearer s3cret"}, timeout=2)
    assert session.last is not None
    exchange = session.last.exchange()
    assert exchange.status is None and exchange.excerpt.startswith("no answer: ConnectionError")
    assert "s3cret" not in exchange.curl and exchange.curl.endswith("http://127.0.0.1:9/tachoshare/vehicles")


def test_only_the_rdl_request_is_a_write() -> None:
    assert write_operations(load_spec("tachoshare.yaml")) == ["POST /vehicles/{vin}/rdl"]
    assert write_operations(load_spec("reveal.yaml")) == []


def test_each_operation_is_authenticated_with_its_own_scheme() -> None:
    reveal = operation_schemes(load_spec("reveal.yaml"))
    assert reveal.pop("GET /token") == "revealBasic"
    assert set(reveal.values()) == {"atmosphere"} and len(reveal) == 3
    assert set(operation_schemes(load_spec("tachoshare.yaml")).values()) == {"webfleetOAuth"}


def test_the_configuration_binds_known_values_and_keeps_only_the_conformance_checks() -> None:
    bounds = RunBounds(max_examples=4, mode=GenerationMode.POSITIVE, stateful=False)
    config = contract_config("http://h/tachoshare", bounds, 99, {"path.vin": ["V1", "V2"], "path.cardNumber": []})
    assert config.seed == 99
    project = config.projects.get_default()
    assert project.base_url == "http://h/tachoshare"
    assert project.generation.max_examples == 4
    assert not project.phases.stateful.enabled
    assert set(project.parameters) == {"path.vin"}


@pytest.mark.parametrize(
    ("api", "credentials", "missing"),
    [
        ("tachoshare", Credentials(), "--token"),
        ("reveal", Credentials(user="demo", app_id="X"), "--password"),
    ],
)
def test_a_target_names_the_credentials_it_lacks(api: str, credentials: Credentials, missing: str) -> None:
    with pytest.raises(OptionError, match=f"needs {missing}$"):
        target(api).check(VerifyOptions(api, "http://h", credentials))


def test_unknown_apis_and_empty_budgets_are_refused() -> None:
    with pytest.raises(OptionError, match="unknown API 'soap'"):
        target("soap")
    with pytest.raises(OptionError, match="--max-examples"):
        RunBounds(max_examples=0)
