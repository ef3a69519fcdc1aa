"""Every public vector of hos-vectors-public.json through the engine (and through the test's own
reference)."""

from __future__ import annotations

import pytest
from hos_test_support import Vector, load_vectors, reference_clocks_seconds

from mockserver.reveal.hos import DutyLog, clocks_for_events, compute_clocks

VECTORS = load_vectors()


def test_the_public_vectors_are_all_there() -> None:
    assert len(VECTORS) == 21
    assert len({vector.id for vector in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=[vector.id for vector in VECTORS])
def test_engine_matches_vector(vector: Vector) -> None:
    clocks = clocks_for_events(vector.events, vector.query, vector.options)
    assert clocks.minutes().to_json() == vector.expected


@pytest.mark.parametrize("vector", VECTORS, ids=[vector.id for vector in VECTORS])
def test_vector_order_and_duplicates_do_not_matter(vector: Vector) -> None:
    shuffled = list(reversed(vector.events)) + vector.events[:1]
    log = DutyLog.from_events(shuffled)
    assert compute_clocks(log, vector.query, vector.options).minutes().to_json() == vector.expected


@pytest.mark.parametrize("vector", VECTORS, ids=[vector.id for vector in VECTORS])
def test_reference_matches_vector(vector: Vector) -> None:
    """The forward reference used by the property tests agrees with the hand-derived vectors too."""
    seconds = reference_clocks_seconds(vector.events, vector.query, vector.options)
    minutes = {key: None if value is None else value // 60 for key, value in seconds.items()}
    assert minutes == vector.expected
