"""The `pg` xdist group keeps these tests on one worker, so they share its PostgreSQL server (`pg`, in
tests/conftest.py, as the stress run in tests/reliability uses it too)."""

from __future__ import annotations

import pytest

from tests.pg.pgharness import PgServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/pg/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.xdist_group("pg"))
            item.add_marker(pytest.mark.live)


@pytest.fixture
def database(pg: PgServer) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return pg.create_database()
