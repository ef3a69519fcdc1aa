"""One PostgreSQL server for the whole session (the `pg` xdist group keeps these tests on one worker)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg.pgharness import PgServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/pg/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.xdist_group("pg"))
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    server = PgServer()
    server.init()
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop("immediate")
        finally:
            server.remove()


@pytest.fixture
def database(pg: PgServer) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return pg.create_database()
