"""Hypothesis properties of the engine over random duty logs."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from hos_test_support import BASE, reference_clocks_seconds
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.reveal.hos import (
    CarrierType,
    DutyEvent,
    DutyLog,
    DutyStatus,
    HosClocks,
    HosOptions,
    SubStatus,
    clocks_for_events,
    compute_clocks,
    rule_set_for,
)

STATUSES: list[tuple[DutyStatus, SubStatus | None]] = [
    (DutyStatus.OFF_DUTY, None),
    (DutyStatus.OFF_DUTY, SubStatus.OFF_DUTY_PERSONAL_USE),
    (DutyStatus.SLEEPER_BERTH, None),
    (DutyStatus.SLEEPER_BERTH, SubStatus.SLEEPER_BERTH_SPLIT_BREAK),
    (DutyStatus.ON_DUTY_DRIVING, None),
    (DutyStatus.ON_DUTY_NOT_DRIVING, None),
    (DutyStatus.ON_DUTY_NOT_DRIVING, SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE),
]

durations = st.one_of(
    st.integers(1, 90),  # minutes: stops and breaks
    st.integers(90, 600),  # legs, split rests
    st.integers(600, 2400),  # resets and restarts
)
options_strategy = st.builds(
    HosOptions,
    cycle_days=st.sampled_from([7, 8]),
    adverse=st.booleans(),
    short_haul=st.booleans(),
    carrier=st.sampled_from(list(CarrierType)),
    day_start=st.sampled_from([timedelta(0), timedelta(hours=5), timedelta(hours=7, minutes=30)]),
)


@st.composite
def duty_logs(draw: st.DrawFn, max_periods: int = 30) -> tuple[list[DutyEvent], list[int]]:
    """Consecutive periods from BASE; returns the events and each period's length in minutes."""
    count = draw(st.integers(0, max_periods))
    events: list[DutyEvent] = []
    lengths: list[int] = []
    at = BASE
    for _ in range(count):
        status, sub_status = draw(st.sampled_from(STATUSES))
        length = draw(durations)
        events.append(DutyEvent(at, status, sub_status))
        lengths.append(length)
        at += timedelta(minutes=length)
    return events, lengths


def _end(lengths: list[int]) -> int:
    return sum(lengths)


def _limits(clocks: HosClocks, options: HosOptions) -> None:
    rules = rule_set_for(options)
    micro = timedelta(microseconds=1)
    assert timedelta(0) <= clocks.drive_left <= rules.drive_limit_for(options) * micro
    assert timedelta(0) <= clocks.window_left <= rules.duty_limit_for(options) * micro
    assert timedelta(0) <= clocks.cycle_left <= rules.cycle_limit_for(options) * micro
    break_after = rules.break_after_for(options)
    if break_after is None:
        assert clocks.break_left is None
    else:
        assert clocks.break_left is not None
        assert timedelta(0) <= clocks.break_left <= break_after * micro


@settings(max_examples=150, deadline=None)
@given(duty_logs(), st.integers(0, 4000), options_strategy)
def test_engine_agrees_with_the_plain_forward_reading_of_the_rules(
    log: tuple[list[DutyEvent], list[int]], offset: int, options: HosOptions
) -> None:
    events, _ = log
    at = BASE + timedelta(minutes=offset)
    clocks = clocks_for_events(events, at, options)
    expected = reference_clocks_seconds(events, at, options)
    got = {
        "driveLeft": clocks.drive_left.total_seconds(),
        "windowLeft": clocks.window_left.total_seconds(),
        "breakLeft": None if clocks.break_left is None else clocks.break_left.total_seconds(),
        "cycleLeft": clocks.cycle_left.total_seconds(),
    }
    assert got == expected


@settings(max_examples=100, deadline=None)
@given(duty_logs(), st.integers(0, 4000), options_strategy)
def test_clocks_are_never_negative_nor_above_their_limits(
    log: tuple[list[DutyEvent], list[int]], offset: int, options: HosOptions
) -> None:
    _limits(clocks_for_events(log[0], BASE + timedelta(minutes=offset), options), options)


@settings(max_examples=100, deadline=None)
@given(duty_logs(), st.integers(1, 900), st.integers(0, 900), options_strategy)
def test_more_driving_never_increases_drive_left(
    log: tuple[list[DutyEvent], list[int]], first: int, more: int, options: HosOptions
) -> None:
    events, lengths = log
    start = BASE + timedelta(minutes=_end(lengths))
    driving = DutyLog.from_events([*events, DutyEvent(start, DutyStatus.ON_DUTY_DRIVING)])
    earlier = compute_clocks(driving, start + timedelta(minutes=first), options)
    later = compute_clocks(driving, start + timedelta(minutes=first + more), options)
    used = timedelta(minutes=more)
    assert later.drive_left == max(timedelta(0), earlier.drive_left - used)
    assert later.drive_left <= earlier.drive_left
    if earlier.break_left is not None and later.break_left is not None:
        assert later.break_left == max(timedelta(0), earlier.break_left - used)
    assert later.window_left == max(timedelta(0), earlier.window_left - used)


@settings(max_examples=100, deadline=None)
@given(duty_logs(), st.integers(0, 600), st.booleans(), options_strategy)
def test_a_daily_rest_restores_the_driving_and_window_clocks(
    log: tuple[list[DutyEvent], list[int]], extra: int, sleeper: bool, options: HosOptions
) -> None:
    events, lengths = log
    start = BASE + timedelta(minutes=_end(lengths))
    rules = rule_set_for(options)
    micro = timedelta(microseconds=1)
    rest_status = DutyStatus.SLEEPER_BERTH if sleeper else DutyStatus.OFF_DUTY
    rest = [
        DutyEvent(start, DutyStatus.OFF_DUTY),
        DutyEvent(start + timedelta(hours=1), rest_status),  # a mixed OFF + SB rest still counts
    ]
    at = start + rules.daily_reset_rest * micro + timedelta(minutes=extra)
    clocks = clocks_for_events([*events, *rest], at, options)
    assert clocks.drive_left == rules.drive_limit_for(options) * micro
    assert clocks.window_left == rules.duty_limit_for(options) * micro
    break_after = rules.break_after_for(options)
    assert clocks.break_left == (None if break_after is None else break_after * micro)


@settings(max_examples=100, deadline=None)
@given(duty_logs(), st.integers(0, 600), options_strategy)
def test_a_34_hour_rest_restores_the_cycle(
    log: tuple[list[DutyEvent], list[int]], extra: int, options: HosOptions
) -> None:
    options = replace(options, carrier=CarrierType.PROPERTY)
    events, lengths = log
    start = BASE + timedelta(minutes=_end(lengths))
    at = start + timedelta(hours=34, minutes=extra)
    clocks = clocks_for_events([*events, DutyEvent(start, DutyStatus.OFF_DUTY)], at, options)
    assert clocks.cycle_left == timedelta(hours=60 if options.cycle_days == 7 else 70)


@settings(max_examples=100, deadline=None)
@given(duty_logs(), st.integers(0, 4000), options_strategy)
def test_60_7_and_70_8_differ_only_in_the_cycle(
    log: tuple[list[DutyEvent], list[int]], offset: int, options: HosOptions
) -> None:
    at = BASE + timedelta(minutes=offset)
    seven = clocks_for_events(log[0], at, replace(options, cycle_days=7))
    eight = clocks_for_events(log[0], at, replace(options, cycle_days=8))
    assert (seven.drive_left, seven.window_left, seven.break_left) == (
        eight.drive_left,
        eight.window_left,
        eight.break_left,
    )
    assert seven.cycle_left <= eight.cycle_left


@settings(max_examples=100, deadline=None)
@given(duty_logs(), st.data(), st.integers(2, 5), st.integers(0, 4000), options_strategy)
def test_splitting_a_period_into_equal_consecutive_events_changes_nothing(
    log: tuple[list[DutyEvent], list[int]],
    data: st.DataObject,
    parts: int,
    offset: int,
    options: HosOptions,
) -> None:
    events, lengths = log
    if not events:
        return
    index = data.draw(st.integers(0, len(events) - 1))
    original = events[index]
    step = timedelta(minutes=lengths[index]) / parts
    pieces = [
        DutyEvent(
            original.at + step * part,
            original.status,
            original.sub_status if part % 2 == 0 else None,  # a sub-status never changes how time counts
        )
        for part in range(parts)
    ]
    split = [*events[:index], *pieces, *events[index + 1 :]]
    at = BASE + timedelta(minutes=offset)
    assert clocks_for_events(split, at, options) == clocks_for_events(events, at, options)


@settings(max_examples=60, deadline=None)
@given(duty_logs(), st.randoms(use_true_random=False), st.integers(0, 4000), options_strategy)
def test_event_order_and_future_events_do_not_matter(
    log: tuple[list[DutyEvent], list[int]], rng: random.Random, offset: int, options: HosOptions
) -> None:
    events, _ = log
    at = BASE + timedelta(minutes=offset)
    shuffled = list(events)
    rng.shuffle(shuffled)
    assert clocks_for_events(shuffled, at, options) == clocks_for_events(events, at, options)
    kept = [event for event in events if event.at <= at]
    assert clocks_for_events(kept, at, options) == clocks_for_events(events, at, options)
