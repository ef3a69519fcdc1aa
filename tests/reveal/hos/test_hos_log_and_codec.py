"""The log's normalisation and the JSON log format."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hos_test_support import BASE, load_vectors

from mockserver.reveal.hos import (
    DutyEvent,
    DutyLog,
    DutyStatus,
    LogFormatError,
    SubStatus,
    dump_log,
    parse_log,
    parse_utc,
)


def test_log_sorts_and_keeps_the_last_event_of_an_instant() -> None:
    later = DutyEvent(BASE + timedelta(hours=2), DutyStatus.ON_DUTY_DRIVING)
    first = DutyEvent(BASE, DutyStatus.OFF_DUTY)
    replaced = DutyEvent(BASE, DutyStatus.SLEEPER_BERTH)
    log = DutyLog.from_events([later, first, replaced])
    assert list(log) == [replaced, later]


def test_append_refuses_to_go_back_in_time() -> None:
    log = DutyLog.from_events([DutyEvent(BASE, DutyStatus.OFF_DUTY)])
    with pytest.raises(ValueError, match="before the end"):
        log.append(DutyEvent(BASE - timedelta(seconds=1), DutyStatus.OFF_DUTY))


def test_events_need_aware_times_and_matching_sub_statuses() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        DutyEvent(datetime(2024, 6, 3), DutyStatus.OFF_DUTY)
    with pytest.raises(ValueError, match="does not belong"):
        DutyEvent(BASE, DutyStatus.OFF_DUTY, SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE)


def test_sub_statuses_know_their_status() -> None:
    assert SubStatus.OFF_DUTY_30_MIN_BREAK.status is DutyStatus.OFF_DUTY
    assert SubStatus.SLEEPER_BERTH_SPLIT_BREAK.status is DutyStatus.SLEEPER_BERTH
    assert SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE.status is DutyStatus.ON_DUTY_NOT_DRIVING


def test_parse_utc_accepts_z_offsets_and_naive_utc() -> None:
    expected = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)
    assert parse_utc("2024-06-03T06:00:00Z") == expected
    assert parse_utc("2024-06-03T01:00:00-05:00") == expected
    assert parse_utc("2024-06-03T06:00:00") == expected
    assert parse_utc("2024-06-03T06:00:00.46") == expected + timedelta(milliseconds=460)
    assert parse_utc("2024-06-03T08:00:00+02:00").tzinfo == UTC
    assert parse_utc("2024-06-03T08:00:00+02:00") == datetime(
        2024, 6, 3, 8, tzinfo=timezone(timedelta(hours=2))
    )


@pytest.mark.parametrize(
    "text", ["tomorrow", "", "2024-13-01T00:00:00Z", "9999-12-31T23:00:00-05:00", 17, None]
)
def test_parse_utc_rejects_garbage(text: object) -> None:
    with pytest.raises(LogFormatError):
        parse_utc(text)


def test_parse_log_reads_statuses_sub_statuses_and_short_forms() -> None:
    events = parse_log(
        [
            ["2024-06-03T00:00:00Z", "OffDuty"],
            ["2024-06-03T06:00:00Z", "OnDutyNotDriving", "OnDutyNotDrivingYardMove"],
            ["2024-06-03T06:10:00Z", "OffDuty", "PersonalUse"],
            ["2024-06-03T06:20:00Z", "D", None],
        ]
    )
    assert [event.status for event in events] == [
        DutyStatus.OFF_DUTY,
        DutyStatus.ON_DUTY_NOT_DRIVING,
        DutyStatus.OFF_DUTY,
        DutyStatus.ON_DUTY_DRIVING,
    ]
    assert events[1].sub_status is SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE
    assert events[2].sub_status is SubStatus.OFF_DUTY_PERSONAL_USE
    assert events[3].sub_status is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"events": []}, "JSON list"),
        ([["2024-06-03T00:00:00Z"]], "event 0"),
        ([["2024-06-03T00:00:00Z", "Napping"]], "unknown duty status"),
        ([["2024-06-03T00:00:00Z", "OffDuty", "OnDutyNotDrivingYardMove"]], "does not belong"),
        ([["2024-06-03T00:00:00Z", "OffDuty", "Dancing"]], "unknown sub-status"),
        ([["yesterday", "OffDuty"]], "not an ISO 8601"),
        (["2024-06-03T00:00:00Z"], "event 0"),
    ],
)
def test_parse_log_errors_say_what_is_wrong(data: object, message: str) -> None:
    with pytest.raises(LogFormatError, match=message):
        parse_log(data)


def test_dump_log_round_trips_the_vectors() -> None:
    for vector in load_vectors():
        assert dump_log(vector.events) == vector.raw_events
