"""Hand-derived cases for hos-rules.md 2.9 and the paths the public vectors do not reach.

Each expected value is worked out from the rules in the comment beside it (minutes).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hos_test_support import BASE, OFF, ON, SB, D, timeline

from mockserver.reveal.hos import (
    CarrierType,
    DutyEvent,
    HosOptions,
    SubStatus,
    clocks_for_events,
)

PROPERTY_8 = HosOptions(cycle_days=8)


def minutes(
    events: list[DutyEvent], at_hours: float, options: HosOptions = PROPERTY_8
) -> dict[str, int | None]:
    return clocks_for_events(events, BASE + timedelta(hours=at_hours), options).minutes().to_json()


def test_empty_log_is_a_rested_driver() -> None:
    assert minutes([], 5) == {"driveLeft": 660, "windowLeft": 840, "breakLeft": 480, "cycleLeft": 4200}
    passenger = HosOptions(carrier=CarrierType.PASSENGER, cycle_days=7)
    assert minutes([], 5, passenger) == {
        "driveLeft": 600,
        "windowLeft": 900,
        "breakLeft": None,
        "cycleLeft": 3600,
    }


def test_adverse_conditions_add_two_hours_to_driving_and_window_only() -> None:
    events = timeline(
        (OFF, 6), (D, 3.25)
    )  # V19 with adverse: 13 h - 3.25 h, 16 h - 3.25 h; break and cycle as is
    assert minutes(events, 9.25, HosOptions(adverse=True)) == {
        "driveLeft": 585,
        "windowLeft": 765,
        "breakLeft": 285,
        "cycleLeft": 4005,
    }


def test_adverse_passenger_gets_twelve_and_seventeen_hours() -> None:
    events = timeline((OFF, 6), (D, 4), (OFF, 3), (D, 6), (ON, 1))  # V18: 10 h driven, 11 h on duty
    options = HosOptions(carrier=CarrierType.PASSENGER, adverse=True)
    assert minutes(events, 20, options) == {
        "driveLeft": 120,
        "windowLeft": 360,
        "breakLeft": None,
        "cycleLeft": 3540,
    }


def test_passenger_resets_after_eight_hours_but_property_does_not() -> None:
    events = timeline((OFF, 6), (D, 8), (OFF, 8), (D, 1))
    passenger = HosOptions(carrier=CarrierType.PASSENGER)
    assert minutes(events, 23, passenger)["driveLeft"] == 540  # new passenger day: 10 h - 1 h
    assert minutes(events, 23)["driveLeft"] == 120  # property: 11 h - 9 h since the last 10 h rest
    assert minutes(events, 23)["windowLeft"] == 0  # 17 h since coming on duty


def test_passenger_on_duty_limit_is_accumulated_not_elapsed() -> None:
    events = timeline((OFF, 6), (ON, 2), (OFF, 5), (D, 2))  # 4 h on duty over 9 h elapsed
    passenger = HosOptions(carrier=CarrierType.PASSENGER)
    assert minutes(events, 15, passenger)["windowLeft"] == 660
    assert minutes(events, 15)["windowLeft"] == 300  # property: 14 h - 9 h elapsed


def test_short_haul_has_no_break_but_all_other_limits() -> None:
    events = timeline((OFF, 6), (D, 9))
    assert minutes(events, 15, HosOptions(short_haul=True)) == {
        "driveLeft": 120,
        "windowLeft": 300,
        "breakLeft": None,
        "cycleLeft": 3660,
    }


def test_limits_reached_exactly_and_overrun_never_go_negative() -> None:
    events = timeline((OFF, 6), (D, 8), (OFF, 0.5), (D, 5))  # 13 h driven, past the 11 h limit
    clocks = minutes(events, 19.5)
    assert clocks["driveLeft"] == 0
    assert clocks["breakLeft"] == 0 + 180  # 5 h since the 30-minute break
    assert minutes(events, 17.5)["driveLeft"] == 0  # exactly 11 h: zero, not negative


def test_query_at_a_status_boundary_counts_the_new_status_as_empty() -> None:
    events = timeline((OFF, 6), (D, 2), (ON, 1))
    at_boundary = minutes(events, 8)
    assert at_boundary == {"driveLeft": 540, "windowLeft": 720, "breakLeft": 360, "cycleLeft": 4080}


def test_query_inside_a_period_clips_it() -> None:
    events = timeline((OFF, 6), (D, 5), (OFF, 10))
    assert minutes(events, 7.5)["driveLeft"] == 570


def test_future_events_are_ignored() -> None:
    events = timeline((OFF, 6), (D, 2), (OFF, 20), (D, 5))
    assert minutes(events, 7) == minutes(events[:2], 7)


def test_same_instant_last_event_wins() -> None:
    events = [
        *timeline((OFF, 6)),
        DutyEvent(BASE + timedelta(hours=6), OFF),
        DutyEvent(BASE + timedelta(hours=6), D),
    ]
    assert minutes(events, 7)["driveLeft"] == 600
    reversed_pair = [*events[:1], events[2], events[1]]
    assert minutes(reversed_pair, 7)["driveLeft"] == 660  # the off-duty event came last, so it wins


def test_gaps_and_repeated_statuses_extend_the_previous_status() -> None:
    split = [
        *timeline((OFF, 6), (D, 1)),
        DutyEvent(BASE + timedelta(hours=7), D),
        DutyEvent(BASE + timedelta(hours=8), D),
    ]
    assert minutes(split, 9) == minutes(timeline((OFF, 6), (D, 3)), 9)


def test_mixed_off_and_sleeper_rest_of_ten_hours_is_a_reset() -> None:
    events = timeline((OFF, 6), (D, 10), (OFF, 4), (SB, 6), (D, 1))
    assert minutes(events, 27) == {"driveLeft": 600, "windowLeft": 780, "breakLeft": 420, "cycleLeft": 3540}


def test_nine_hours_fifty_nine_of_rest_is_not_a_reset() -> None:
    events = timeline((OFF, 6), (D, 5), (OFF, 9 + 59 / 60), (D, 1))
    assert minutes(events, 22 - 1 / 60)["driveLeft"] == 300  # 11 h - 6 h


def test_sleeper_period_reaching_seven_hours_pairs_with_the_reset() -> None:
    events = timeline((OFF, 6), (D, 5), (SB, 8))
    assert minutes(events, 17.5)["windowLeft"] == 840 - 5 * 60 - 6.5 * 60  # SB 6.5 h: not yet excluded
    assert minutes(events, 18)["windowLeft"] == 540  # SB reaches 7 h: excluded, 5 h used
    assert minutes(events, 19)["windowLeft"] == 540


def test_short_period_first_is_excluded_only_when_the_long_one_completes() -> None:
    events = timeline((OFF, 6), (D, 4), (OFF, 3), (D, 4), (SB, 7), (D, 2))
    # SB at 6 h: no valid pair yet, the clocks run from 06:00: 8 h driven, 17 h elapsed
    assert minutes(events, 23) == {
        "driveLeft": 180,
        "windowLeft": 0,
        "breakLeft": 480,
        "cycleLeft": 4200 - 480,
    }
    # pair (3 h off, 7 h SB): count from 13:00, 6 h driven, 13 h elapsed minus 7 h excluded
    assert minutes(events, 26) == {"driveLeft": 300, "windowLeft": 480, "breakLeft": 360, "cycleLeft": 3600}


def test_six_four_split_never_qualifies() -> None:
    events = timeline((OFF, 6), (D, 5), (SB, 6), (D, 3), (OFF, 4))  # V21 shape: 8 h driven, 18 h elapsed
    assert minutes(events, 24)["windowLeft"] == 0
    assert minutes(events, 24)["driveLeft"] == 180


def test_ping_pong_splits_chain() -> None:
    events = timeline((OFF, 6), (D, 5), (SB, 8), (D, 5), (OFF, 2), (D, 5), (SB, 8), (D, 1))
    # pairs: (reset, SB8) -> (SB8, OFF2) -> (OFF2, SB8); the last counts from the end of OFF2 (02:00 next day)
    at = 6 + 5 + 8 + 5 + 2 + 5 + 8 + 1  # 16:00 next day
    assert minutes(events, at)["driveLeft"] == 300  # 11 h - (5 h + 1 h)
    assert minutes(events, at)["windowLeft"] == 480  # 14 h - (14 h elapsed - 8 h excluded)
    assert (
        minutes(events, at - 1 - 8 + 0.5)["driveLeft"] == 60
    )  # during the second SB (0.5 h): 11 h - (5 + 5)


def test_ten_hour_sleeper_reset_pairs_with_a_later_short_rest() -> None:
    """A 10 h berth period also serves as the 7 h period of a split (hos-rules.md 1.3, 2.4)."""
    events = timeline((SB, 10), (D, 5), (OFF, 3), (D, 6), start=BASE - timedelta(hours=10))
    assert minutes(events, 14)["windowLeft"] == 180  # 14 h elapsed minus the 3 h excluded
    assert minutes(events, 14)["driveLeft"] == 0


def test_thirty_minutes_of_combined_non_driving_time_is_a_break_two_short_stops_are_not() -> None:
    combined = timeline((OFF, 6), (D, 7), (ON, 0.25), (OFF, 0.25), (D, 1))
    assert minutes(combined, 14.5)["breakLeft"] == 420
    separate = timeline((OFF, 6), (D, 4), (OFF, 1 / 3), (D, 3), (ON, 1 / 3), (D, 0.5))
    assert minutes(separate, 6 + 4 + 3 + 0.5 + 2 / 3)["breakLeft"] == 30  # 7.5 h of driving without a break


def test_personal_use_is_off_duty_and_yard_move_is_on_duty() -> None:
    pc = timeline((OFF, 6), (D, 5), (OFF, 1, SubStatus.OFF_DUTY_PERSONAL_USE), (D, 1))
    assert minutes(pc, 13) == {"driveLeft": 300, "windowLeft": 420, "breakLeft": 420, "cycleLeft": 3840}
    ym = timeline((OFF, 6), (D, 5), (ON, 1, SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE), (D, 1))
    assert minutes(ym, 13) == {"driveLeft": 300, "windowLeft": 420, "breakLeft": 420, "cycleLeft": 3780}


def test_seven_day_cycle_hours_fall_off_at_the_day_start() -> None:
    days = [period for _ in range(7) for period in ((OFF, 8), (ON, 8), (OFF, 8))]
    events = timeline(*days)  # 8 h on duty on each of 7 days, June 3 to 9
    seven = HosOptions(cycle_days=7)
    assert minutes(events, 6 * 24 + 20, seven)["cycleLeft"] == 240  # 60 h - 56 h
    assert minutes(events, 7 * 24, seven)["cycleLeft"] == 720  # June 3 falls off: 60 h - 48 h
    assert minutes(events, 6 * 24 + 20)["cycleLeft"] == 840  # 70 h - 56 h
    assert minutes(events, 7 * 24)["cycleLeft"] == 840  # 8-day cycle: June 3 is still inside
    assert minutes(events, 8 * 24)["cycleLeft"] == 1320  # June 3 and 4 gone: 70 h - 48 h


def test_home_terminal_day_start_moves_the_drop_off() -> None:
    days = [period for _ in range(7) for period in ((OFF, 8), (ON, 8), (OFF, 8))]
    events = timeline(*days)
    shifted = HosOptions(cycle_days=7, day_start=timedelta(hours=5))  # days run 05:00 to 05:00 UTC
    assert minutes(events, 7 * 24, shifted)["cycleLeft"] == 240  # before 05:00 on June 10 nothing fell off
    assert minutes(events, 7 * 24 + 5, shifted)["cycleLeft"] == 720


def test_restart_of_34_hours_resets_the_cycle_and_33_59_does_not() -> None:
    work = [period for _ in range(4) for period in ((ON, 12), (OFF, 12))]
    restart = timeline((OFF, 6), *work[:-1], (OFF, 34), (D, 2))
    at = 6 + 4 * 24 - 12 + 34 + 2
    assert minutes(restart, at)["cycleLeft"] == 70 * 60 - 120  # only the 2 h after the restart count
    short = timeline((OFF, 6), *work[:-1], (OFF, 34 - 1 / 60), (D, 2))
    assert minutes(short, at - 1 / 60)["cycleLeft"] == 70 * 60 - 48 * 60 - 120


def test_restart_in_progress_counts_once_it_reaches_34_hours() -> None:
    events = timeline((OFF, 6), (ON, 14), (OFF, 40))
    assert minutes(events, 20 + 33.5)["cycleLeft"] == 70 * 60 - 14 * 60
    assert minutes(events, 20 + 34)["cycleLeft"] == 70 * 60


def test_restart_partially_inside_the_cycle_window() -> None:
    # Work on June 3 and 4, a 36 h restart from June 4 20:00 to June 6 08:00, then 10 h on duty on June 6.
    events = timeline((OFF, 6), (ON, 14), (OFF, 10), (ON, 10), (OFF, 36), (ON, 10), (OFF, 4))
    assert minutes(events, 3 * 24 + 22)["cycleLeft"] == 70 * 60 - 10 * 60


def test_passenger_carriers_have_no_restart() -> None:
    events = timeline((OFF, 6), (ON, 14), (OFF, 40))
    passenger = HosOptions(carrier=CarrierType.PASSENGER)
    assert minutes(events, 20 + 36, passenger)["cycleLeft"] == 70 * 60 - 14 * 60


def test_minutes_round_down() -> None:
    events = [DutyEvent(BASE, OFF), DutyEvent(BASE + timedelta(hours=6, seconds=30), D)]
    assert minutes(events, 12)["driveLeft"] == 300  # 5 h 59 min 30 s driven: 5 h 0 min 30 s left


@pytest.mark.parametrize("cycle_days", [7, 8])
def test_sixty_seven_and_seventy_eight_differ_only_in_the_cycle(cycle_days: int) -> None:
    events = timeline((OFF, 6), (D, 4), (OFF, 0.5), (D, 3))
    clocks = minutes(events, 13.5, HosOptions(cycle_days=cycle_days))
    assert (clocks["driveLeft"], clocks["windowLeft"], clocks["breakLeft"]) == (240, 390, 300)
    assert clocks["cycleLeft"] == (60 if cycle_days == 7 else 70) * 60 - 420
