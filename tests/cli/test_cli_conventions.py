"""What users of LocalStack, WireMock and Prism expect of a command line (issue 18): `--version`, every `serve` option
from a FLEETMOCK_<OPTION> variable, and one clear line (no banner, no traceback) when `serve` cannot start."""

from __future__ import annotations

import importlib.metadata
import socket

import pytest

from mockserver.cli import build_parser, main


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"fleetmock {importlib.metadata.version('fleetmock')}"


def _serve_args(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], argv: list[str]) -> object:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    args = build_parser().parse_args(["serve", *argv])
    assert not args.environment_errors
    return args


def test_every_serve_option_names_its_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    options = [a for a in build_parser()._subparsers._group_actions[0].choices["serve"]._actions if a.dest != "help"]
    for action in options:
        name = "FLEETMOCK_" + action.option_strings[-1][2:].replace("-", "_").upper()
        assert f"[env {name}]" in text, name


def test_variables_set_options_and_flags_win(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "FLEETMOCK_PORT": "9001",
        "FLEETMOCK_HOST": "0.0.0.0",
        "FLEETMOCK_RATE": "60",
        "FLEETMOCK_STRICT": "true",
        "FLEETMOCK_SCENARIO": "rate-limited, flaky-network",
        "FLEETMOCK_LOG_LEVEL": "info",
        "FLEETMOCK_STATE": "/data/state.sqlite",
    }
    args = _serve_args(monkeypatch, env, [])
    assert (args.port, args.host, args.rate, args.strict) == (9001, "0.0.0.0", 60.0, True)  # type: ignore[attr-defined]
    assert args.scenario == ["rate-limited", "flaky-network"]  # type: ignore[attr-defined]
    assert (args.log_level, args.state) == ("info", "/data/state.sqlite")  # type: ignore[attr-defined]
    flagged = _serve_args(monkeypatch, {}, ["--port", "9002", "--rate", "0"])
    assert (flagged.port, flagged.rate, flagged.host) == (9002, 0.0, "0.0.0.0")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [("FLEETMOCK_PORT", "abc", "not a valid int"), ("FLEETMOCK_LOG_LEVEL", "loud", "choose from"),
     ("FLEETMOCK_STRICT", "maybe", "expected one of")],
)
def test_a_bad_variable_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        main(["serve"])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert f"{name}={value!r}" in error and says in error
    assert build_parser().parse_args(["scenario", "list"]).command == "scenario"  # other commands do not care


def _serve_fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["serve", "--rate", "0", *argv]) == 2
    out, err = capsys.readouterr()
    assert "Demo credentials" not in out and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_a_taken_port_is_one_line_before_any_banner(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        err = _serve_fails(capsys, "--port", str(port))
    assert f"cannot listen on 127.0.0.1:{port}" in err


def test_an_unknown_scenario_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = _serve_fails(capsys, "--port", "0", "--scenario", "nope")
    assert "no scenario 'nope'; known:" in err and "rate-limited" in err


def test_a_start_that_is_no_instant_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = _serve_fails(capsys, "--port", "0", "--start", "tomorrow")
    assert "--start 'tomorrow': not an ISO 8601 instant" in err and "Invalid isoformat" not in err
