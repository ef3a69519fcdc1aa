"""The duty-log generator: deterministic, prefix-stable, sorted, plausible and compliant except where
marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.reveal.dutylog import (
    DutyLogGenerator,
    LogEntry,
    generate_duty_log,
    profile_named,
    profile_names,
)
from mockserver.reveal.hos import CarrierType, DutyLog, DutyStatus, SubStatus, compute_clocks

START = datetime(2024, 3, 4, 9, 17, tzinfo=UTC)
VEHICLES = ("85", "86", "87")
PROFILES = profile_names()


def _entries(seed: int, profile: str, days: float, cycle_days: int = 8) -> list[LogEntry]:
    return generate_duty_log(
        seed, profile, cycle_days, START, START + timedelta(days=days), vehicles=VEHICLES
    )


def test_all_five_profiles_are_registered() -> None:
    assert set(PROFILES) >= {"long-haul", "regional", "passenger", "near-limits", "short-haul"}
    with pytest.raises(KeyError, match="unknown driver profile"):
        profile_named("astronaut")


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 2**64),
    st.sampled_from(PROFILES),
    st.sampled_from([7, 8]),
    st.integers(0, 14 * 24 * 60),
    st.integers(0, 10 * 24 * 60),
)
def test_prefix_stable_and_deterministic(
    seed: int, profile: str, cycle_days: int, first: int, more: int
) -> None:
    early_end = START + timedelta(minutes=first)
    late_end = early_end + timedelta(minutes=more)
    early = generate_duty_log(seed, profile, cycle_days, START, early_end, vehicles=VEHICLES)
    late = generate_duty_log(seed, profile, cycle_days, START, late_end, vehicles=VEHICLES)
    assert early == [entry for entry in late if entry.event.at <= early_end]
    assert early == generate_duty_log(seed, profile, cycle_days, START, early_end, vehicles=VEHICLES)
    # An extended generator gives the same answer as a fresh one.
    generator = DutyLogGenerator(seed, profile, cycle_days, START, vehicles=VEHICLES)
    generator.entries_until(late_end)
    assert generator.entries_until(early_end) == early


def test_different_seeds_give_different_logs() -> None:
    assert _entries(1, "regional", 7) != _entries(2, "regional", 7)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(PROFILES), st.integers(1, 21))
def test_entries_are_sorted_and_chained(seed: int, profile: str, days: int) -> None:
    end = START + timedelta(days=days)
    entries = generate_duty_log(seed, profile, 8, START, end, vehicles=VEHICLES)
    assert entries[0].event.at == START.replace(second=0, microsecond=0)
    assert entries[0].event.status is DutyStatus.OFF_DUTY
    for entry, following in pairwise(entries):
        assert entry.event.at < following.event.at
        assert entry.ends_at == following.event.at
    assert all(entry.event.at <= end for entry in entries)
    assert entries[-1].ends_at > end


@pytest.mark.parametrize("profile", PROFILES)
def test_compliant_except_for_the_marked_violations(profile: str) -> None:
    """Every driving period fits in the driving time the clocks left at its start, unless marked."""
    generator = DutyLogGenerator(11, profile, 8, START, vehicles=VEHICLES)
    entries = generator.entries_until(START + timedelta(days=60))
    log = DutyLog.from_events(entry.event for entry in entries)
    driving = [entry for entry in entries if entry.event.status is DutyStatus.ON_DUTY_DRIVING]
    assert driving
    for entry in driving:
        available = compute_clocks(log, entry.event.at, generator.hos_options).driving_available
        if entry.violation is None:
            assert entry.ends_at - entry.event.at <= available, entry
        else:
            assert entry.ends_at - entry.event.at > available, entry


def test_near_limits_drivers_violate_now_and_then_and_others_rarely() -> None:
    near = DutyLogGenerator(5, "near-limits", 8, START).entries_until(START + timedelta(days=180))
    regional = DutyLogGenerator(5, "regional", 8, START).entries_until(START + timedelta(days=180))
    near_violations = sum(1 for entry in near if entry.violation)
    assert near_violations >= 3
    assert sum(1 for entry in regional if entry.violation) < near_violations


@pytest.mark.parametrize("profile", PROFILES)
def test_plausible_distances_vehicles_and_sub_statuses(profile: str) -> None:
    spec = profile_named(profile)
    entries = _entries(3, profile, 45)
    for entry in entries:
        hours = (entry.ends_at - entry.event.at) / timedelta(hours=1)
        sub_status = entry.event.sub_status
        if entry.event.status is DutyStatus.ON_DUTY_DRIVING:
            assert spec.speed_kmh.low * hours - 0.1 <= entry.distance_km <= spec.speed_kmh.high * hours + 0.1
            assert entry.vehicle_number in VEHICLES
        elif sub_status in (SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE, SubStatus.OFF_DUTY_PERSONAL_USE):
            assert 0 < entry.distance_km <= 30
        else:
            assert entry.distance_km == 0
        if sub_status is not None:
            assert sub_status.status is entry.event.status
    if spec.carrier is CarrierType.PASSENGER or not spec.sleeper:
        assert all(entry.event.status is not DutyStatus.SLEEPER_BERTH for entry in entries)


def test_long_haul_splits_in_the_sleeper_berth_and_restarts() -> None:
    entries = _entries(8, "long-haul", 60)
    subs = {entry.event.sub_status for entry in entries}
    assert SubStatus.SLEEPER_BERTH_SPLIT_BREAK in subs
    assert SubStatus.OFF_DUTY_PERSONAL_USE in subs
    assert SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE in subs
    rests = [
        entry.ends_at - entry.event.at for entry in entries if entry.event.status is DutyStatus.SLEEPER_BERTH
    ]
    assert any(rest >= timedelta(hours=34) for rest in rests)


def test_regional_drivers_take_weekends_off() -> None:
    generator = DutyLogGenerator(4, "regional", 7, START)
    entries = generator.entries_until(START + timedelta(days=28))
    local = generator.home_utc_offset
    work_days = {
        (entry.event.at + local).weekday()
        for entry in entries
        if entry.event.status is DutyStatus.ON_DUTY_DRIVING
    }
    assert work_days <= {0, 1, 2, 3, 4}


def test_short_haul_shifts_end_within_14_hours() -> None:
    entries = _entries(9, "short-haul", 30)
    shift_start: datetime | None = None
    for entry in entries:
        working = entry.event.status in (DutyStatus.ON_DUTY_DRIVING, DutyStatus.ON_DUTY_NOT_DRIVING)
        if working and shift_start is None:
            shift_start = entry.event.at
        if working and shift_start is not None:
            assert entry.ends_at - shift_start <= timedelta(hours=14), entry
        if not working and entry.ends_at - entry.event.at >= timedelta(hours=10):
            shift_start = None


def test_passenger_drivers_rest_at_least_eight_hours_between_shifts() -> None:
    entries = _entries(2, "passenger", 30)
    shift_rests = [
        entry.ends_at - entry.event.at
        for entry in entries
        if entry.event.sub_status is SubStatus.OFF_DUTY_DAILY_RESET
    ]
    assert shift_rests
    assert min(shift_rests[1:]) >= timedelta(hours=8)


def test_distance_until_prorates_a_period_in_progress() -> None:
    driving = next(entry for entry in _entries(1, "long-haul", 3) if entry.distance_km > 50)
    middle = driving.event.at + (driving.ends_at - driving.event.at) / 2
    assert driving.distance_until(middle) == pytest.approx(driving.distance_km / 2, abs=0.1)
    assert driving.distance_until(driving.event.at - timedelta(hours=1)) == 0
    assert driving.distance_until(driving.ends_at + timedelta(hours=1)) == driving.distance_km


def test_generator_options_follow_the_profile_and_home_terminal() -> None:
    generator = DutyLogGenerator(1, "short-haul", 7, START, home_utc_offset=timedelta(hours=-5))
    assert generator.hos_options.short_haul
    assert generator.hos_options.cycle_days == 7
    assert generator.hos_options.day_start == timedelta(hours=5)
    assert DutyLogGenerator(1, "passenger", 8, START).hos_options.carrier is CarrierType.PASSENGER


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(PROFILES), st.integers(0, 20 * 24 * 60))
def test_the_shared_engine_log_gives_the_clocks_of_the_log_so_far(
    seed: int, profile: str, minutes: int
) -> None:
    generator = DutyLogGenerator(seed, profile, 8, START)
    at = START + timedelta(minutes=minutes)
    shared = generator.engine_log_through(at)
    assert len(shared) > len(generator.duty_log_until(at))  # it holds planned periods after `at` too
    assert compute_clocks(shared, at, generator.hos_options) == compute_clocks(
        generator.duty_log_until(at), at, generator.hos_options
    )
