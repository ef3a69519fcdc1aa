"""`contracts.common`: the clock, retrier and error base both reference clients share (neither imports the other)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

import contracts.reveal.errors as reveal_errors
import contracts.tachoshare.errors as tachoshare_errors
from contracts.common import ClientError, StatusError, status_class
from contracts.common import clock as common_clock
from contracts.common import retry as common_retry
from contracts.reveal import client as reveal_client
from contracts.tachoshare.models import ErrorBody

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_reveal_client_takes_nothing_from_the_tachoshare_client() -> None:
    for path in sorted((ROOT / "contracts" / "reveal").rglob("*.py")):
        assert not {n for n in _imports(path) if n.startswith("contracts.tachoshare")}, path


def test_the_reveal_client_uses_the_shared_clock_and_retrier() -> None:
    assert reveal_client.Retrier is common_retry.Retrier
    assert reveal_client.system_clock is common_clock.system_clock


def test_the_old_tachoshare_paths_still_name_the_shared_pieces() -> None:
    """README examples and partner code import `contracts.tachoshare.retry` / `.clock`: kept as re-exports."""
    old_retry = importlib.import_module("contracts.tachoshare.retry")
    old_clock = importlib.import_module("contracts.tachoshare.clock")
    assert old_retry.Retrier is common_retry.Retrier and old_retry.RetryPolicy is common_retry.RetryPolicy
    assert old_clock.system_clock is common_clock.system_clock
    from contracts.tachoshare import Retrier, RetryPolicy

    assert (Retrier, RetryPolicy) == (common_retry.Retrier, common_retry.RetryPolicy)


def _response(status: int) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = b"nope"
    return response


@pytest.mark.parametrize("status", [400, 401, 404, 409, 429, 500, 501, 503, 418])
def test_both_clients_errors_share_one_base(status: int) -> None:
    """Code driving either client catches an API's refusal as `ClientError` and reads `status_code` alike."""
    response = _response(status)
    for error in (
        tachoshare_errors.api_error(status, ErrorBody(description="nope")),
        reveal_errors.reveal_error(response),
    ):
        assert isinstance(error, ClientError) and isinstance(error, StatusError)
        assert error.status_code == status


def test_501_is_unexpected_for_tachoshare_but_a_server_error_for_reveal() -> None:
    """The one difference the shared choice keeps: TachoShare's simulator answers 501 for unimplemented routes."""
    assert tachoshare_errors.error_class(501, "") is tachoshare_errors.UnexpectedStatus
    assert status_class(
        501, reveal_errors.STATUS_ERRORS, reveal_errors.ServerError, reveal_errors.UnexpectedStatus
    ) is (reveal_errors.ServerError)


@given(st.integers(min_value=100, max_value=599))
def test_status_class_picks_registered_then_server_then_unexpected(status: int) -> None:
    class Base(StatusError):
        pass

    class Registered(Base):
        status = 404

    class Server(Base):
        pass

    class Unexpected(Base):
        pass

    chosen = status_class(status, {404: Registered}, Server, Unexpected)
    expected = Registered if status == 404 else Server if status >= 500 else Unexpected
    assert chosen is expected


def test_the_neutral_resources_find_the_wheels_data_folder(tmp_path: Path) -> None:
    """An installed copy has no `specs/` beside it: it finds them under `fleetmock_resources/_data/`, where the
    wheel build puts them (pyproject's force-include), so `fleetmock verify` works after `pip install .`."""
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    assert build["targets"]["wheel"]["force-include"] == {
        "specs": "fleetmock_resources/_data/specs",
        "fixtures": "fleetmock_resources/_data/fixtures",
    }
    assert "fleetmock_resources" in build["targets"]["wheel"]["packages"]
    installed = tmp_path / "site" / "fleetmock_resources"
    (installed / "_data" / "specs").mkdir(parents=True)
    (installed / "_data" / "fixtures").mkdir()
    (installed / "__init__.py").write_text((ROOT / "fleetmock_resources" / "__init__.py").read_text())
    (installed / "_data" / "specs" / "tiny.yaml").write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n")
    spec = importlib.util.spec_from_file_location("installed_resources", installed / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["installed_resources"] = module
    try:
        spec.loader.exec_module(module)
        assert module.specs_dir() == installed / "_data" / "specs"
        assert module.load_spec("tiny.yaml")["info"]["title"] == "t"
    finally:
        del sys.modules["installed_resources"]
