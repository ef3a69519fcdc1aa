"""The console on the server side: the ELD day from Reveal's public statushistory (segments clipped to the day,
violations from the minutes left when each driving status began), and which paths hold no data."""

from __future__ import annotations

from datetime import UTC, date, datetime

from mockserver.console.eld import eld_day

DAY = date(2026, 11, 1)


def _record(at: str, status: str, driving: int | None = None, window: int | None = None) -> dict[str, object]:
    record: dict[str, object] = {"Status": status, "StatusDateTimeUTC": at}
    if driving is not None:
        record["TimeRemainingSinceLastStatus"] = {"DailyDrivingMinutes": driving, "DailyOnDutyMinutes": window}
    return record


def test_segments_are_clipped_to_the_day_and_end_now() -> None:
    history = [_record("2026-10-31T20:00:00.00", "OffDuty"), _record("2026-11-01T06:00:00.00", "OnDutyNotDriving")]
    grid = eld_day(DAY, history, datetime(2026, 11, 1, 9, tzinfo=UTC), {})
    assert [(s.status, s.start, s.end) for s in grid.segments] == [("OffDuty", 0, 360), ("OnDutyNotDriving", 360, 540)]


def test_driving_past_the_smaller_clock_is_flagged_from_where_it_runs_out() -> None:
    history = [
        _record("2026-11-01T06:00:00.00", "OnDutyDriving", driving=120, window=90),
        _record("2026-11-01T09:00:00.00", "OffDuty"),
        _record("2026-11-01T10:00:00.00", "OnDutyDriving", driving=600, window=700),
        _record("2026-11-01T11:00:00.00", "OffDuty"),
    ]
    grid = eld_day(DAY, history, None, {"driveLeft": 0})
    assert [(v.rule, v.start, v.end) for v in grid.violations] == [("14-hour window", 360 + 90, 540)]
    assert grid.clocks_at == "now"


def test_only_the_shells_and_assets_are_free_of_data() -> None:
    from mockserver.console import holds_no_data

    assert all(map(holds_no_data, ["/_sim/console", "/_sim/console/", "/_sim/console/pages/faults",
                                   "/_sim/console/assets/console.js"]))  # fmt: skip
    assert not any(map(holds_no_data, ["/_sim/console/journal/stream", "/_sim/console/charts/eld", "/_sim/journal",
                                       "/_sim/console/pages/../../journal", "/_sim/consolex"]))  # fmt: skip
