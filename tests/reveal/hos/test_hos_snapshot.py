"""What the LogBook API reads: clocks now, clocks when the current status began, usage since the reset."""

from __future__ import annotations

from datetime import timedelta

from hos_test_support import BASE, OFF, ON, SB, D, timeline

from mockserver.reveal.hos import DutyLog, DutyStatus, HosOptions, compute_clocks, hos_snapshot

OPTIONS = HosOptions(cycle_days=8)


def test_snapshot_reports_the_clocks_when_the_current_status_began() -> None:
    log = DutyLog.from_events(timeline((OFF, 6), (ON, 0.5), (D, 3)))
    at = BASE + timedelta(hours=8)  # 1.5 h into driving
    snapshot = hos_snapshot(log, at, OPTIONS)
    assert snapshot.last_event is not None
    assert snapshot.last_event.status is DutyStatus.ON_DUTY_DRIVING
    assert snapshot.clocks == compute_clocks(log, at, OPTIONS)
    assert snapshot.clocks_at_last_status == compute_clocks(log, BASE + timedelta(hours=6.5), OPTIONS)
    assert snapshot.clocks_at_last_status.minutes().drive_left == 660
    assert snapshot.clocks.minutes().drive_left == 570
    # Reveal's worked example: remaining at the status change minus the time since equals remaining now.
    since = at - snapshot.last_event.at
    assert (
        snapshot.clocks.driving_left_for_today
        == snapshot.clocks_at_last_status.driving_left_for_today - since
    )


def test_usage_since_reset_counts_driving_and_all_on_duty_time() -> None:
    log = DutyLog.from_events(timeline((OFF, 6), (ON, 1), (D, 4), (OFF, 0.5), (D, 2), (SB, 8), (D, 1)))
    snapshot = hos_snapshot(log, BASE + timedelta(hours=22.5), OPTIONS)
    assert snapshot.usage_since_reset.driving == timedelta(hours=7)
    assert snapshot.usage_since_reset.on_duty == timedelta(hours=8)


def test_usage_is_zero_during_a_completed_reset_and_for_an_empty_log() -> None:
    log = DutyLog.from_events(timeline((OFF, 6), (D, 5), (OFF, 12)))
    snapshot = hos_snapshot(log, BASE + timedelta(hours=22), OPTIONS)
    assert snapshot.usage_since_reset.driving == timedelta(0)
    empty = hos_snapshot(DutyLog(), BASE, OPTIONS)
    assert empty.last_event is None
    assert empty.clocks == empty.clocks_at_last_status
    assert empty.clocks.minutes().to_json() == {
        "driveLeft": 660,
        "windowLeft": 840,
        "breakLeft": 480,
        "cycleLeft": 4200,
    }


def test_driving_available_is_the_tightest_clock() -> None:
    log = DutyLog.from_events(timeline((OFF, 6), (D, 7.5)))
    clocks = compute_clocks(log, BASE + timedelta(hours=13.5), OPTIONS)
    assert clocks.driving_available == timedelta(minutes=30)  # the 30-minute break is due first
    assert clocks.driving_left_for_today == timedelta(hours=3.5)
