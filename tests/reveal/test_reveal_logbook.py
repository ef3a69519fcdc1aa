"""The LogBook service against the engine: every value at the right instant, history windows, no future."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.reveal.errors import DriverNotFound, OutsideDataPlan, RevealBadRequest
from mockserver.reveal.gateway import RevealPrincipal
from mockserver.reveal.hos import compute_clocks, hos_snapshot
from mockserver.reveal.logbook import StatusRecord, received_at
from mockserver.reveal.models import reveal_of
from mockserver.reveal.timeline import months_before
from mockserver.simulator import Simulator

DEMO = RevealPrincipal("demo", "demo", "DEMOAPPID")
ACME = RevealPrincipal("acme", "acme-reveal", "ACMEAPPID")
DRIVERS = ["99", "101", "102", "103", "104", "105", "c_3379569"]
SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
MINUTE = timedelta(minutes=1)


def _minutes(value: timedelta) -> int:
    return value // MINUTE


@settings(max_examples=60)
@given(
    moment=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)),
    months=st.integers(0, 30),
)
def test_months_before_steps_back_whole_calendar_months(moment: datetime, months: int) -> None:
    earlier = months_before(moment, months)
    assert (moment.year * 12 + moment.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == min(moment.day, earlier.day) and earlier.time() == moment.time()
    assert earlier <= moment
    if earlier.day < moment.day:  # clamped: the last day of a shorter month
        assert (earlier + timedelta(days=1)).month != earlier.month


@settings(max_examples=12, deadline=None, suppress_health_check=SUPPRESS)
@given(number=st.sampled_from(DRIVERS), hours=st.integers(0, 72))
def test_statuscurrent_is_the_engine_at_now(sim: Simulator, number: str, hours: int) -> None:
    sim.reset()
    sim.clock.advance(hours * 3600)
    now = sim.clock.now()
    record = sim.reveal.logbook.status_current(DEMO, number)
    account = sim.account("demo")
    assert account is not None and reveal_of(account) is not None
    driver = reveal_of(account).driver(number)
    assert driver is not None
    timeline = sim.reveal.logbook.timeline("demo", driver)
    log = timeline.engine_log(now)
    event = log.event_at(now)
    assert event is not None
    assert (record.status, record.started) == (event.status, event.at)
    assert record.sub_status == (None if event.sub_status is None else event.sub_status.value)
    assert record.duration_seconds == (now - event.at).total_seconds()
    at_start = compute_clocks(log, event.at, timeline.options)
    assert record.remaining_at_status.driving == _minutes(min(at_start.drive_left, at_start.window_left))
    assert record.remaining_at_status.on_duty == _minutes(at_start.window_left)
    used = hos_snapshot(log, now, timeline.options).usage_since_reset
    assert (record.used_since_reset.driving, record.used_since_reset.on_duty) == (
        _minutes(used.driving),
        _minutes(used.on_duty),
    )
    assert event.at <= record.received <= now and record.received - event.at <= timedelta(seconds=90.5)
    assert record.who.vehicle == reveal_of(account).vehicle(driver.vehicle_number)


@settings(max_examples=12, deadline=None, suppress_health_check=SUPPRESS)
@given(number=st.sampled_from(DRIVERS), hours=st.integers(0, 72))
def test_remaining_time_is_the_engine_at_now(sim: Simulator, number: str, hours: int) -> None:
    sim.reset()
    sim.clock.advance(hours * 3600)
    now = sim.clock.now()
    remaining = sim.reveal.logbook.remaining_time(DEMO, number)
    driver = remaining.who.driver
    timeline = sim.reveal.logbook.timeline("demo", driver)
    snapshot = hos_snapshot(timeline.engine_log(now), now, timeline.options)
    assert remaining.driving_left_today == _minutes(min(snapshot.clocks.drive_left, snapshot.clocks.window_left))
    assert remaining.cycle_left == _minutes(snapshot.clocks.cycle_left)
    assert remaining.rule_cycle == driver.rule_cycle == timeline.options.cycle_days
    assert snapshot.last_event is not None
    assert (remaining.last_status, remaining.last_status_at) == (snapshot.last_event.status, snapshot.last_event.at)
    assert remaining.remaining_at_status.on_duty == _minutes(snapshot.clocks_at_last_status.window_left)


def _check_window(records: list[StatusRecord], start: datetime, now: datetime) -> None:
    assert records, "the status in effect at the start is always listed"
    assert records[0].started <= start  # generated logs begin before the 6-month window
    end = start + timedelta(hours=24)
    for record in records:
        assert record.started < end and record.started <= now
        assert record.duration_seconds >= 0
    for earlier, later in itertools.pairwise(records):
        assert earlier.started + timedelta(seconds=earlier.duration_seconds) == later.started
    last = records[-1]
    assert last.started + timedelta(seconds=last.duration_seconds) <= now


@settings(max_examples=15, deadline=None, suppress_health_check=SUPPRESS)
@given(number=st.sampled_from(DRIVERS), back_minutes=st.integers(0, 182 * 24 * 60), later_hours=st.integers(1, 48))
def test_history_windows_are_contiguous_oldest_first_and_stable_as_time_passes(
    sim: Simulator, number: str, back_minutes: int, later_hours: int
) -> None:
    sim.reset()
    now = sim.clock.now()
    start = max(now - timedelta(minutes=back_minutes), months_before(now, 6))
    records = sim.reveal.logbook.status_history(DEMO, number, start)
    _check_window(records, start, now)
    # Later, every period that had ended by then is shown exactly as before; nothing new appears before `now`.
    sim.clock.advance(later_hours * 3600)
    later = sim.reveal.logbook.status_history(DEMO, number, start)
    _check_window(later, start, sim.clock.now())
    ended = [r for r in records if r.started + timedelta(seconds=r.duration_seconds) < now]
    assert later[: len(ended)] == ended
    assert [r.started for r in later if r.started <= now] == [r.started for r in records]


@settings(max_examples=10, deadline=None, suppress_health_check=SUPPRESS)
@given(number=st.sampled_from(DRIVERS), back_hours=st.integers(24, 24 * 20), shift=st.integers(1, 23))
def test_a_period_shows_the_same_in_every_window_that_lists_it(
    sim: Simulator, number: str, back_hours: int, shift: int
) -> None:
    sim.reset()
    now = sim.clock.now()
    first = sim.reveal.logbook.status_history(DEMO, number, now - timedelta(hours=back_hours))
    second = sim.reveal.logbook.status_history(DEMO, number, now - timedelta(hours=back_hours - shift))
    common = {r.started for r in first} & {r.started for r in second}
    assert common
    assert [r for r in first if r.started in common] == [r for r in second if r.started in common]


def test_a_day_of_a_working_driver_shows_several_statuses(sim: Simulator) -> None:
    now = sim.clock.now()
    records = sim.reveal.logbook.status_history(DEMO, "101", now - timedelta(hours=24 * 4))
    assert len({r.status for r in records}) >= 3
    driving = [r for r in records if r.status.value == "OnDutyDriving"]
    assert driving and all(float(r.distance_km) > 0 for r in driving)
    assert any(r.address is not None for r in records if r.status.value == "OnDutyNotDriving")
    assert all(r.address is None for r in records if r.status.value != "OnDutyNotDriving")


def test_the_six_month_limit(sim: Simulator) -> None:
    now = sim.clock.now()
    earliest = months_before(now, 6)
    assert sim.reveal.logbook.status_history(DEMO, "99", earliest)
    for start in (earliest - timedelta(seconds=1), now + timedelta(seconds=1), now - timedelta(days=400)):
        with pytest.raises(RevealBadRequest, match="within the last 6 months"):
            sim.reveal.logbook.status_history(DEMO, "99", start)


def test_unknown_foreign_and_out_of_plan_drivers(sim: Simulator) -> None:
    with pytest.raises(DriverNotFound, match=r"^Driver Information not found for DriverNumber: 7001$"):
        sim.reveal.logbook.status_current(DEMO, "7001")  # acme's driver
    assert sim.reveal.logbook.status_current(ACME, "7001").who.driver.driver_number == "7001"
    with pytest.raises(DriverNotFound):
        sim.reveal.logbook.remaining_time(ACME, "99")
    for operation in (sim.reveal.logbook.status_current, sim.reveal.logbook.remaining_time):
        with pytest.raises(OutsideDataPlan):
            operation(DEMO, "106")


@settings(max_examples=50)
@given(seed=st.integers(0, 2**63), seconds=st.integers(0, 10**6), lag=st.integers(0, 200))
def test_received_time_trails_the_status_by_half_a_second_to_ninety(seed: int, seconds: int, lag: int) -> None:
    from mockserver.reveal.hos import DutyEvent, DutyStatus

    event = DutyEvent(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds), DutyStatus.ON_DUTY_DRIVING)
    now = event.at + timedelta(seconds=lag)
    received = received_at(seed, event, now)
    assert event.at <= received <= now
    if lag > 91:
        assert timedelta(milliseconds=500) <= received - event.at <= timedelta(seconds=90)
    assert received == received_at(seed, event, now)
