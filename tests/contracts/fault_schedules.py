"""Random fault schedules for the reference client's properties, installed through the simulator's control plane:
rules of every effect kind with `times`, `after` and `probability`, and rounds that move the clock and retrofit
units between syncs (`test_fault_schedules_live.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from mockserver.control.handle import Control

ATTEMPTS = 4  # the clients' retry budget: a round whose faults fire fewer times than this must sync everything

# -- fault schedules --------------------------------------------------------------------------------------------

EFFECTS = st.one_of(
    st.integers(0, 120).map(lambda s: {"respond": {"status": 429, "headers": {"Retry-After": str(s)}}}),
    st.just({"respond": {"status": 503}}),
    st.just({"respond": {"status": 401}}),
    st.just({"drop": True}),
    st.just({"truncate": True}),
    st.integers(1, 40).map(lambda ms: {"latencyMs": ms}),
)
VEHICLE_PATHS = ("/vehicles", "/vehicles/*/files", "*")
DRIVER_PATHS = ("/drivers", "/drivers/*/files", "*")


@st.composite
def fault_rules(draw: st.DrawFn, paths: tuple[str, ...], bounded: bool, max_after: int = 12) -> dict[str, Any]:
    rule: dict[str, Any] = {"match": {"api": "tachoshare", "method": "GET", "path": draw(st.sampled_from(paths))}}
    rule.update(draw(EFFECTS))
    times = draw(st.integers(1, 3) if bounded else st.none() | st.integers(1, 8))
    if times is not None:
        rule["times"] = times
    if draw(st.booleans()):
        rule["after"] = draw(st.integers(0, max_after))
    if draw(st.booleans()):
        rule["probability"] = draw(st.sampled_from([0.2, 0.5, 0.8]))
    return rule


def absorbable(rules: list[dict[str, Any]]) -> bool:
    """Faults that cannot fail a request: fewer firings than attempts, and at most one 401 (one token refresh)."""
    unauthorized = sum(r.get("times", ATTEMPTS) for r in rules if r.get("respond", {}).get("status") == 401)
    return all("times" in r for r in rules) and sum(r["times"] for r in rules) < ATTEMPTS and unauthorized <= 1


@dataclass(frozen=True)
class Round:
    advance_days: int
    generation_change: bool
    faults: tuple[dict[str, Any], ...]


def rounds(paths: tuple[str, ...]) -> st.SearchStrategy[list[Round]]:
    faults = st.one_of(
        st.lists(fault_rules(paths, bounded=True), max_size=3).filter(absorbable),
        st.lists(fault_rules(paths, bounded=False), min_size=1, max_size=3),
    )
    one = st.builds(Round, st.integers(0, 4), st.booleans(), faults.map(tuple))
    return st.lists(one, min_size=1, max_size=3)


@contextmanager
def faults_installed(control: Control, rules: tuple[dict[str, Any], ...]) -> Iterator[None]:
    for rule in rules:
        control.add_fault(rule)
    try:
        yield
    finally:
        control.clear_faults()


def apply_changes(control: Control, step: Round, generation_changed: bool) -> bool:
    """Move the clock and retrofit units as the round says (the retrofit once); whether units were retrofitted."""
    if step.advance_days:
        control.advance(step.advance_days * 86_400)
    if step.generation_change and not generation_changed:
        control.apply_scenario("generation-change")
        return True
    return generation_changed
