"""`fleetmock serve` collects garbage less often than Python's default (issue 13: the world build and the first
lists of a large fleet spent a fifth of their CPU in collections walking what stays alive)."""

from __future__ import annotations

import gc

import pytest

from mockserver import serving
from mockserver.cli import main

PYTHON_DEFAULT = (700, 10, 10)  # an in-process `serve` of another test may have set the server's thresholds already


def test_collect_less_often_sets_the_servers_thresholds() -> None:
    before = gc.get_threshold()
    try:
        serving.collect_less_often()
        assert gc.get_threshold() == serving.COLLECT_EVERY
        assert serving.COLLECT_EVERY[0] > PYTHON_DEFAULT[0]
    finally:
        gc.set_threshold(*before)


def test_serve_sets_them_before_it_builds_the_world(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(serving, "collect_less_often", lambda: calls.append("set"))
    assert main(["serve", "--rate", "-1"]) == 2  # refused before any world is built, after the thresholds
    assert calls == ["set"]
