"""File downloads through the fake HTTP layer (range rules the simulator cannot be steered into on demand):
defaults, 204 -> None, the generation split, 2-year splitting, driver ZIPs unpacked; and 401 -> refresh once."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.common.retry import Retrier, RetryPolicy
from contracts.tachoshare import errors
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.models import DriverFileFormat, VehicleFileFormat
from contracts.tachoshare.oauth import StaticToken
from contracts.tachoshare.ranges import DateRange
from tests.contracts.fake_http import Call, FakeAdapter, FakeAnswer, NoSleep, fake_session
from tests.contracts.tachoshare.fake_api import FakeSubject, FakeTachoShare, vehicle_file_days

VIN = "WDB9634041L738190"
CARD = ("0x0D", "DF000012345670")
TODAY = datetime(2026, 11, 2, 8, tzinfo=UTC)


def days_between(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def make_client(api: FakeTachoShare, token: str = "token-1") -> tuple[TachoShareClient, FakeAdapter]:
    session, adapter = fake_session(api)
    retrier = Retrier(RetryPolicy(), random.Random(1), NoSleep())
    client = TachoShareClient(
        "http://fake/tachoshare", StaticToken(token), session=session, retrier=retrier, clock=lambda: TODAY
    )
    return client, adapter


def test_no_data_is_none_for_one_request_and_an_empty_list_overall() -> None:
    api = FakeTachoShare(vehicles={VIN: FakeSubject(days={date(2026, 1, 5)})})
    client, _ = make_client(api)
    assert client.get_vehicle_file(VIN, DateRange(date(2026, 2, 1), date(2026, 3, 1))) is None
    assert client.download_vehicle_files(VIN, date(2026, 2, 1), date(2026, 3, 1)) == []


def test_without_dates_the_last_90_days_are_asked_for_explicitly() -> None:
    api = FakeTachoShare(vehicles={VIN: FakeSubject(days={date(2026, 10, 30)})})
    client, adapter = make_client(api)
    [file] = client.download_vehicle_files(VIN, file_format=VehicleFileFormat.TGD)
    assert file.range == DateRange(date(2026, 8, 5), date(2026, 11, 3))
    assert adapter.calls[0].query == {
        "activityDate-from": "2026-08-05",
        "activityDate-to": "2026-11-03",
        "format": "TGD",
    }
    assert adapter.calls[0].headers["Accept"] == "application/octet-stream, application/json"
    assert file.filename == f"M_20261031_0615_AB123_{VIN}.TGD" and file.extension == "TGD"


def test_a_generation_change_gives_both_files_in_order() -> None:
    api = FakeTachoShare(
        vehicles={VIN: FakeSubject(days=days_between(date(2026, 1, 1), date(2026, 4, 30)), changes=[date(2026, 3, 2)])}
    )
    client, adapter = make_client(api)
    files = client.download_vehicle_files(VIN, date(2026, 1, 1), date(2026, 5, 1))
    assert [f.range for f in files] == [
        DateRange(date(2026, 1, 1), date(2026, 3, 2)),
        DateRange(date(2026, 3, 2), date(2026, 5, 1)),
    ]
    assert vehicle_file_days(files[0].content)[-1] == date(2026, 3, 1)
    assert vehicle_file_days(files[1].content)[0] == date(2026, 3, 2)
    assert len(adapter.calls) == 3


def test_a_range_over_two_years_is_split_by_the_client() -> None:
    api = FakeTachoShare(vehicles={VIN: FakeSubject(days=days_between(date(2021, 1, 1), date(2026, 1, 1)))})
    client, _ = make_client(api)
    files = client.download_vehicle_files(VIN, date(2021, 1, 1), date(2026, 1, 2))
    delivered = [d for f in files for d in vehicle_file_days(f.content)]
    assert delivered == sorted(days_between(date(2021, 1, 1), date(2026, 1, 1)))
    assert all((end - start).days <= 730 for _, start, end in api.file_requests)


@given(
    data_days=st.sets(st.integers(0, 1500), max_size=60),
    changes=st.lists(st.integers(1, 1500), max_size=3),
    start=st.integers(0, 1400),
    length=st.integers(1, 1600),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_every_day_with_data_arrives_exactly_once_in_order(
    data_days: set[int], changes: list[int], start: int, length: int
) -> None:
    origin = date(2022, 1, 1)
    subject = FakeSubject(
        days={origin + timedelta(days=d) for d in data_days}, changes=[origin + timedelta(days=c) for c in changes]
    )
    client, _ = make_client(FakeTachoShare(vehicles={VIN: subject}))
    requested = DateRange(origin + timedelta(days=start), origin + timedelta(days=start + length))
    files = client.download_vehicle_files(VIN, requested.start, requested.end)
    delivered = [d for f in files for d in vehicle_file_days(f.content)]
    assert delivered == sorted(d for d in subject.days if d in requested)
    for file in files:
        assert not any(file.range.start < c < file.range.end for c in subject.changes)


def test_driver_files_are_unzipped_into_typed_entries_oldest_first() -> None:
    days = {date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 15)}
    api = FakeTachoShare(drivers={CARD: FakeSubject(days=days, changes=[date(2026, 9, 10)])})
    client, adapter = make_client(api)
    archives = client.download_driver_files(
        CARD[1], CARD[0], date(2026, 9, 1), date(2026, 10, 1), DriverFileFormat.C1B_C1C
    )
    assert [a.range for a in archives] == [
        DateRange(date(2026, 9, 1), date(2026, 9, 10)),
        DateRange(date(2026, 9, 10), date(2026, 10, 1)),
    ]
    entries = [e for a in archives for e in a.entries]
    assert [e.downloaded_at for e in entries] == [
        datetime(d.year, d.month, d.day, 7, 15, tzinfo=UTC) for d in sorted(days)
    ]
    assert {(e.initial, e.surname, e.card_number, e.extension) for e in entries} == {("J", "DOE", CARD[1], "DDD")}
    assert adapter.calls[0].query["countryCode"] == "0x0D" and adapter.calls[0].query["format"] == "C1B_C1C"
    assert archives[0].filename.endswith(".ZIP")


def test_driver_files_without_data_are_none() -> None:
    client, _ = make_client(FakeTachoShare(drivers={CARD: FakeSubject()}))
    assert client.get_driver_archive(CARD[1], CARD[0], DateRange(date(2026, 1, 1), date(2026, 2, 1))) is None


class RotatingTokens:
    """An AccessTokenSource whose refresh hands out the next token, counting refreshes."""

    def __init__(self, current: str, next_token: str | None) -> None:
        self.current = current
        self.next_token = next_token
        self.refreshes = 0

    def access_token(self) -> str:
        return self.current

    def refresh(self, stale: str | None = None) -> str | None:
        self.refreshes += 1
        if self.next_token is None:
            return None
        self.current = self.next_token
        return self.current


def test_a_401_refreshes_once_and_repeats_the_request() -> None:
    api = FakeTachoShare(vehicles={VIN: FakeSubject(days={date(2026, 1, 1)})}, valid_token="token-2")
    session, adapter = fake_session(api)
    tokens = RotatingTokens("token-1", "token-2")
    client = TachoShareClient("http://fake/tachoshare", tokens, session=session)
    assert [v.vin for v in client.list_vehicles()] == [VIN]
    assert tokens.refreshes == 1
    assert [c.headers["Authorization"] for c in adapter.calls] == ["Bearer token-1", "Bearer token-2"]


def test_a_second_401_is_raised_not_refreshed_again() -> None:
    api = FakeTachoShare(vehicles={}, valid_token="token-3")
    session, adapter = fake_session(api)
    tokens = RotatingTokens("token-1", "token-2")
    client = TachoShareClient("http://fake/tachoshare", tokens, session=session)
    with pytest.raises(errors.Unauthorized):
        client.list_vehicles()
    assert tokens.refreshes == 1 and len(adapter.calls) == 2


def test_a_401_without_a_way_to_refresh_is_raised() -> None:
    client, adapter = make_client(FakeTachoShare(), token="expired")
    with pytest.raises(errors.Unauthorized):
        client.list_drivers()
    assert len(adapter.calls) == 1


def test_a_driver_answer_that_is_not_a_zip_is_unreadable_not_a_crash() -> None:
    def not_a_zip(call: Call) -> FakeAnswer:
        return FakeAnswer(200, b"PK\x03\x04 truncated", {"Content-Disposition": 'attachment; filename="C_x.ZIP"'})

    session, _ = fake_session(not_a_zip)
    client = TachoShareClient("http://fake/tachoshare", StaticToken("t"), session=session)
    with pytest.raises(errors.UnreadableAnswer):
        client.get_driver_archive(CARD[1], CARD[0], DateRange(date(2026, 1, 1), date(2026, 2, 1)))


def test_a_list_that_does_not_fit_the_model_is_unreadable() -> None:
    session, _ = fake_session(lambda call: FakeAnswer.json(200, {"items": [{"vin": "X"}]}))
    client = TachoShareClient("http://fake/tachoshare", StaticToken("t"), session=session)
    with pytest.raises(errors.UnreadableAnswer):
        client.list_vehicles()
