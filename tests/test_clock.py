from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.clock import ClockError, SimClock, parse_instant

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


class FakeWall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_rate_scales_wall_time_and_zero_freezes() -> None:
    wall = FakeWall()
    clock = SimClock(START, rate=60, wall=wall)
    wall.t += 10
    assert clock.now() == START + timedelta(minutes=10)
    clock.set(rate=0)
    wall.t += 1000
    assert clock.now() == START + timedelta(minutes=10)


def test_set_to_the_past_is_refused_and_changes_nothing() -> None:
    clock = SimClock(START, rate=0, wall=FakeWall())
    with pytest.raises(ClockError, match="never goes backwards"):
        clock.set(START - timedelta(seconds=1), rate=5)
    assert clock.reading().now == START and clock.rate == 0


def test_negative_advance_and_bad_rate_are_refused() -> None:
    clock = SimClock(START, rate=0, wall=FakeWall())
    with pytest.raises(ClockError):
        clock.advance(-1)
    with pytest.raises(ClockError):
        clock.set(rate=-2)
    assert clock.now() == START


@given(st.lists(st.integers(min_value=0, max_value=10**7), max_size=20))
def test_advances_add_up_and_never_go_back(steps: list[int]) -> None:
    clock = SimClock(START, rate=0, wall=FakeWall())
    previous = clock.now()
    for step in steps:
        now = clock.advance(step).now
        assert now >= previous
        previous = now
    assert clock.now() == START + timedelta(seconds=sum(steps))


def test_parse_instant_accepts_z_and_naive_as_utc() -> None:
    assert parse_instant("2026-11-02T08:00:00Z") == START
    assert parse_instant("2026-11-02T08:00:00") == START
    assert parse_instant("2026-11-02T09:00:00+01:00") == START
    with pytest.raises(ValueError):
        parse_instant("yesterday")


@given(
    st.lists(
        st.tuples(st.floats(0, 5, allow_nan=False), st.sampled_from(["read", "rate", "advance", "set"])),
        min_size=1,
        max_size=40,
    )
)
def test_readings_are_the_formulas_whatever_was_read_before(steps: list[tuple[float, str]]) -> None:
    """`now` keeps its last reading and answers a frozen clock's anchor (issue 13); every reading is still anchor +
    whole seconds of (wall - wall anchor) x rate, through rate changes, advances and jumps."""
    wall = FakeWall()
    clock = SimClock(START, rate=60, wall=wall)
    rates = iter([0, 1, 60, 0.5, 3600] * 10)
    for pause, action in steps:
        wall.t += pause
        if action == "rate":
            clock.set(rate=next(rates))
        elif action == "advance":
            clock.advance(7)
        elif action == "set":
            clock.set(clock.now() + timedelta(hours=1))
        state = clock._state
        expected = state.anchor + timedelta(seconds=int(max((wall.t - state.wall_anchor) * state.rate, 0.0)))
        assert clock.now() == expected
        assert clock.now() == expected  # the kept reading
