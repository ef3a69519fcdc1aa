"""The Reveal client's token handling and error mapping through the fake HTTP layer (properties)."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.common.retry import Retrier, RetryPolicy
from contracts.reveal import InvalidToken, RateLimited, RevealClient, ServerError, UnreadableAnswer, reveal_datetime
from tests.contracts.fake_http import Call, FakeAnswer, NoSleep, fake_session

START = datetime(2026, 11, 2, 8, tzinfo=UTC)
INVALID = FakeAnswer(400, b"The provided token has an invalid format.", {"Content-Type": "text/plain"})
STATUS: dict[str, object] = {
    "Status": "OnDutyDriving",
    "SubStatus": None,
    "StatusDateTimeUTC": "2026-11-02T07:40:00.00",
    "DriverNumber": "99",
    "TrailerNumber": [],
    "ShippingReference": [],
    "_links": {},
}


class FakeGateway:
    """Issues numbered tokens valid for `lifetime`; answers the invalid-token 400 for expired or unknown ones."""

    def __init__(self, clock: list[datetime], lifetime: timedelta = timedelta(minutes=20)) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.issued: dict[str, datetime] = {}
        self.used: list[tuple[str, datetime]] = []

    def __call__(self, call: Call) -> FakeAnswer:
        now = self.clock[0]
        if call.path.endswith("/token"):
            token = f"token-{len(self.issued) + 1}"
            self.issued[token] = now
            return FakeAnswer(200, token.encode(), {"Content-Type": "text/plain"})
        header = call.headers["Authorization"]
        assert header.startswith("Atmosphere atmosphere_app_id=fleetmatics-p-us-APP, Bearer ")
        token = header.rsplit(" ", 1)[1]
        self.used.append((token, now))
        issued = self.issued.get(token)
        if issued is None or now >= issued + self.lifetime:
            return INVALID
        return FakeAnswer.json(200, STATUS)


def client_for(handler: object, clock: list[datetime]) -> RevealClient:
    session, _ = fake_session(handler)  # type: ignore[arg-type]
    return RevealClient(
        "http://fake/reveal",
        "u",
        "p",
        "APP",
        session=session,
        clock=lambda: clock[0],
        retrier=Retrier(RetryPolicy(max_attempts=2), random.Random(0), NoSleep()),
    )


@given(st.lists(st.integers(0, 30 * 60), min_size=1, max_size=12))
@settings(max_examples=80)
def test_a_token_is_reused_while_fresh_and_never_used_past_its_margin(gaps: list[int]) -> None:
    clock = [START]
    gateway = FakeGateway(clock)
    client = client_for(gateway, clock)
    for gap in gaps:
        clock[0] += timedelta(seconds=gap)
        assert client.status_current("99").driver_number == "99"
    # never an invalid-token round trip: the client renews before the server would refuse
    assert len(gateway.used) == len(gaps)
    for token, at in gateway.used:
        assert at < gateway.issued[token] + timedelta(minutes=19)
    # and a new token only when the last one had reached its margin
    issued = sorted(gateway.issued.values())
    for earlier, later in itertools.pairwise(issued):
        assert later >= earlier + timedelta(minutes=19)


def test_a_token_refused_even_when_fresh_is_retried_once_then_raised() -> None:
    clock = [START]
    tokens: list[str] = []

    def always_invalid(call: Call) -> FakeAnswer:
        if call.path.endswith("/token"):
            tokens.append("t")
            return FakeAnswer(200, b"t", {"Content-Type": "text/plain"})
        return INVALID

    with pytest.raises(InvalidToken):
        client_for(always_invalid, clock).status_current("99")
    assert len(tokens) == 2


def test_rate_limits_and_server_errors_are_retried_then_typed() -> None:
    clock = [START]
    answers = [
        FakeAnswer(200, b"t", {"Content-Type": "text/plain"}),
        FakeAnswer.json(429, {"Message": "slow"}, {"Retry-After": "2"}),
        FakeAnswer.json(200, STATUS),
        FakeAnswer.json(503, {"Message": "down"}),
        FakeAnswer.json(503, {"Message": "down"}),
    ]

    def scripted(call: Call) -> FakeAnswer:
        return answers.pop(0)

    client = client_for(scripted, clock)
    assert client.status_current("99").driver_number == "99"
    with pytest.raises(ServerError) as raised:
        client.status_current("99")
    assert raised.value.message == "down"
    answers.extend([FakeAnswer.json(429, {"Message": "slow"})] * 2)
    with pytest.raises(RateLimited):
        client.remaining_time("99")


def test_an_unreadable_answer_is_typed() -> None:
    clock = [START]

    def garbage(call: Call) -> FakeAnswer:
        if call.path.endswith("/token"):
            return FakeAnswer(200, b"t", {"Content-Type": "text/plain"})
        return FakeAnswer.json(200, {"Status": "OffDuty"})  # no DriverNumber, no StatusDateTimeUTC

    with pytest.raises(UnreadableAnswer):
        client_for(garbage, clock).status_current("99")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)))
def test_reveal_datetimes_have_two_fractional_digits_and_no_zone(value: datetime) -> None:
    text = reveal_datetime(value)
    assert len(text) == 22 and text[19] == "." and text.endswith(f"{value.microsecond // 10_000:02d}")
    assert datetime.fromisoformat(text).replace(tzinfo=UTC) == value.replace(
        microsecond=value.microsecond // 10_000 * 10_000
    )
