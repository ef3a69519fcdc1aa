"""EU 561/2006 plausibility of generated days, as properties over seeds and dates."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.tachograph.dayplan import (
    BREAK_MIN,
    DAILY_LIMIT,
    DAY_END_LATEST,
    DAY_START_EARLIEST,
    EXTENDED_LIMIT,
    LONG_DAY,
    MAX_STINT,
    Draws,
    check_day,
    derive_seed,
    extended_days_of_week,
    plan_driver_day,
)
from mockserver.tachograph.types import Activity

seeds = st.integers(0, 2**63)
dates = st.dates(date(2015, 1, 1), date(2035, 12, 31))
SETTINGS = settings(max_examples=60, deadline=None)


def limit_of(seed: int, day: date) -> int:
    return EXTENDED_LIMIT if day.weekday() in extended_days_of_week(seed, day) else DAILY_LIMIT


@SETTINGS
@given(seed=seeds, day=dates)
def test_declared_violations_are_exactly_the_broken_rules(seed: int, day: date) -> None:
    plan = plan_driver_day(seed, day)
    assert check_day(plan, limit_of(seed, day)) == set(plan.violations)


@SETTINGS
@given(seed=seeds, day=dates)
def test_segments_are_contiguous_and_compliant_days_fit_the_rest_window(seed: int, day: date) -> None:
    plan = plan_driver_day(seed, day)
    for before, after in zip(plan.segments, plan.segments[1:], strict=False):
        assert before.end == after.start and before.minutes > 0
    if plan.working and not plan.violations:
        assert plan.card_inserted is not None and plan.card_withdrawn is not None
        assert DAY_START_EARLIEST <= plan.card_inserted < plan.card_withdrawn <= DAY_END_LATEST
        assert plan.card_withdrawn - plan.card_inserted <= 13 * 60  # daily rest >= 11 h in every 24 h
        assert plan.driving_minutes <= limit_of(seed, day)


@SETTINGS
@given(seed=seeds, day=dates)
def test_breaks_come_before_four_and_a_half_hours_of_driving(seed: int, day: date) -> None:
    plan = plan_driver_day(seed, day)
    if plan.violations:
        return
    cumulative = 0
    for segment in plan.segments:
        if segment.activity is Activity.DRIVING:
            cumulative += segment.minutes
            assert cumulative <= MAX_STINT
        elif segment.activity is Activity.BREAK_REST and segment.minutes >= BREAK_MIN:
            cumulative = 0


@settings(max_examples=25, deadline=None)
@given(seed=seeds, monday=dates.map(lambda d: d - timedelta(days=d.weekday())))
def test_weekly_and_fortnightly_limits_and_weekly_rest(seed: int, monday: date) -> None:
    fortnight = [plan_driver_day(seed, monday + timedelta(days=i)) for i in range(14)]
    for week in (fortnight[:7], fortnight[7:]):
        compliant = not any(p.violations for p in week)
        if compliant:
            assert sum(p.driving_minutes for p in week) <= 56 * 60
            assert sum(p.driving_minutes > DAILY_LIMIT for p in week) <= 2
        assert not week[5].working and not week[6].working  # weekend = weekly rest of more than 45 h
    if not any(p.violations for p in fortnight):
        assert sum(p.driving_minutes for p in fortnight) <= 90 * 60


@settings(max_examples=10, deadline=None)
@given(seed=seeds, day=dates)
def test_a_day_is_a_pure_function_of_seed_and_date(seed: int, day: date) -> None:
    assert plan_driver_day(seed, day) == plan_driver_day(seed, day)


def test_card_view_starts_at_midnight_and_ends_withdrawn() -> None:
    plan = next(p for p in (plan_driver_day(7, date(2024, 3, 4) + timedelta(days=i)) for i in range(20)) if p.working)
    changes = plan.activity_changes()
    assert changes[0].minute == 0 and not changes[0].card_present
    assert not changes[-1].card_present and changes[-1].minute == plan.card_withdrawn
    assert [c.minute for c in changes] == sorted(c.minute for c in changes)


def test_violations_are_rare_but_present() -> None:
    plans = [plan_driver_day(seed, date(2024, 1, 1) + timedelta(days=i)) for seed in range(8) for i in range(365)]
    working = [p for p in plans if p.working]
    violating = [p for p in working if p.violations]
    assert 0 < len(violating) < 0.05 * len(working)
    assert any(LONG_DAY in p.violations for p in violating)


@SETTINGS
@given(
    seed=seeds,
    draws=st.lists(st.one_of(st.tuples(st.integers(-50, 2000), st.integers(0, 2**40)), st.just(None)), max_size=30),
)
def test_fast_draws_are_the_library_draws(seed: int, draws: list[tuple[int, int] | None]) -> None:
    """Plans draw through `Draws`; each draw takes what `random.Random`'s own randint and choice take."""
    ours, theirs = Draws(random.Random(seed)), random.Random(seed)
    options = (Activity.WORK, Activity.AVAILABILITY, Activity.DRIVING)
    for draw in draws:
        if draw is None:
            assert ours.choice(options[:2]) is theirs.choice(options[:2])
            assert ours.choice(options) is theirs.choice(options)
        else:
            low, width = draw
            assert ours.randint(low, low + width) == theirs.randint(low, low + width)
        assert ours.random() == theirs.random()


def test_extended_days_are_the_same_for_every_day_of_a_week() -> None:
    monday = date(2024, 12, 30)  # ISO week 1 of 2025 begins in 2024
    assert {extended_days_of_week(7, monday + timedelta(days=i)) for i in range(7)} == {
        extended_days_of_week(7, monday)
    }
    assert extended_days_of_week(7, monday) == frozenset(
        random.Random(derive_seed(7, "extended", 2025, 1)).sample(range(5), 2)
    )
