"""Retries through the fake HTTP layer: 429 waits Retry-After (bounded, jittered), 5xx and connection failures
back off, POSTs are repeated only when the server cannot have processed them, and attempts are bounded."""

from __future__ import annotations

import random

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.common.retry import Retrier, RetryPolicy
from contracts.tachoshare import errors
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.oauth import StaticToken
from tests.contracts.fake_http import Call, FakeAdapter, FakeAnswer, NoSleep, fake_session

VEHICLES = FakeAnswer.json(200, {"items": []})
VEHICLE = {"vin": "WDB9634041L738190", "rdlStatus": "OK", "manualAttemptsRemaining": 2, "vehicleId": "1"}


def client_with(
    answers: list[FakeAnswer | Exception], policy: RetryPolicy | None = None, seed: int = 0
) -> tuple[TachoShareClient, FakeAdapter, NoSleep]:
    queue = list(answers)

    def handler(call: Call) -> FakeAnswer:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    session, adapter = fake_session(handler)
    sleep = NoSleep()
    retrier = Retrier(policy or RetryPolicy(), random.Random(seed), sleep)
    client = TachoShareClient("http://fake/tachoshare", StaticToken("t"), session=session, retrier=retrier)
    return client, adapter, sleep


def test_429_waits_retry_after_then_succeeds() -> None:
    client, adapter, sleep = client_with(
        [FakeAnswer.error(429, "slow down", {"Retry-After": "7"}), VEHICLES], RetryPolicy(jitter=0.5)
    )
    assert client.list_vehicles() == []
    assert len(adapter.calls) == 2
    assert len(sleep.waits) == 1 and 7.0 <= sleep.waits[0] <= 7.5


def test_retry_after_is_capped() -> None:
    client, _, sleep = client_with(
        [FakeAnswer.error(429, "slow down", {"Retry-After": "3600"}), VEHICLES],
        RetryPolicy(retry_after_cap=20, jitter=1),
    )
    client.list_vehicles()
    assert 20.0 <= sleep.waits[0] <= 21.0


def test_429_is_retried_for_a_post_too() -> None:
    client, adapter, _ = client_with(
        [FakeAnswer.error(429, "slow", {"Retry-After": "1"}), FakeAnswer.json(200, VEHICLE)]
    )
    assert client.request_rdl("WDB9634041L738190").manual_attempts_remaining == 2
    assert [c.method for c in adapter.calls] == ["POST", "POST"]


@pytest.mark.parametrize(
    "fault",
    [
        FakeAnswer.error(500, "boom"),
        FakeAnswer(503),
        requests.ConnectionError("reset by peer"),
        requests.ReadTimeout("slow"),
        requests.exceptions.ChunkedEncodingError("truncated"),
    ],
)
def test_a_get_is_retried_after_server_and_connection_faults(fault: FakeAnswer | Exception) -> None:
    client, adapter, sleep = client_with([fault, fault, VEHICLES])
    assert client.list_vehicles() == []
    assert len(adapter.calls) == 3 and len(sleep.waits) == 2


@pytest.mark.parametrize(
    "fault", [FakeAnswer.error(500, "boom"), requests.ConnectionError("reset"), requests.ReadTimeout("x")]
)
def test_a_post_the_server_may_have_processed_is_not_repeated(fault: FakeAnswer | Exception) -> None:
    client, adapter, _ = client_with([fault, FakeAnswer.json(200, VEHICLE)])
    with pytest.raises((errors.ServerError, requests.RequestException)):
        client.request_rdl("WDB9634041L738190")
    assert len(adapter.calls) == 1


def test_a_post_whose_connection_never_opened_is_repeated() -> None:
    client, adapter, _ = client_with([requests.ConnectTimeout("no route"), FakeAnswer.json(200, VEHICLE)])
    client.request_rdl("WDB9634041L738190")
    assert len(adapter.calls) == 2


def test_attempts_are_bounded_and_the_last_answer_becomes_the_typed_error() -> None:
    client, adapter, sleep = client_with([FakeAnswer.error(502, "bad gateway")] * 10, RetryPolicy(max_attempts=4))
    with pytest.raises(errors.ServerError) as raised:
        client.list_vehicles()
    assert raised.value.status_code == 502 and raised.value.description == "bad gateway"
    assert len(adapter.calls) == 4 and len(sleep.waits) == 3


def test_connection_errors_are_reraised_when_attempts_run_out() -> None:
    client, adapter, _ = client_with([requests.ConnectionError("down")] * 3, RetryPolicy(max_attempts=3))
    with pytest.raises(requests.ConnectionError):
        client.list_vehicles()
    assert len(adapter.calls) == 3


def test_a_rate_limit_that_outlasts_the_attempts_raises_rate_limited_with_retry_after() -> None:
    client, _, _ = client_with([FakeAnswer.error(429, "slow", {"Retry-After": "2"})] * 3, RetryPolicy(max_attempts=3))
    with pytest.raises(errors.RateLimited) as raised:
        client.list_vehicles()
    assert raised.value.retry_after == 2.0


@given(
    faults=st.lists(st.sampled_from(["429", "429-date", "500", "503", "drop"]), min_size=0, max_size=6),
    seed=st.integers(0, 2**32),
    policy=st.builds(
        RetryPolicy,
        max_attempts=st.integers(1, 6),
        backoff_initial=st.floats(0.01, 2),
        backoff_max=st.floats(2, 60),
        retry_after_cap=st.floats(1, 120),
        jitter=st.floats(0, 3),
    ),
    retry_after=st.integers(0, 500),
)
@settings(max_examples=150)
def test_waits_and_attempts_stay_within_the_policy(
    faults: list[str], seed: int, policy: RetryPolicy, retry_after: int
) -> None:
    answers: list[FakeAnswer | Exception] = []
    for fault in faults:
        if fault == "429":
            answers.append(FakeAnswer.error(429, "slow", {"Retry-After": str(retry_after)}))
        elif fault == "429-date":
            answers.append(FakeAnswer.error(429, "slow", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
        elif fault == "drop":
            answers.append(requests.ConnectionError("dropped"))
        else:
            answers.append(FakeAnswer.error(int(fault), "boom"))
    answers.append(VEHICLES)
    client, adapter, sleep = client_with(answers, policy, seed)
    try:
        client.list_vehicles()
        succeeded = True
    except (errors.ApiError, requests.ConnectionError):
        succeeded = False
    assert len(adapter.calls) == min(len(faults) + 1, policy.max_attempts)
    assert succeeded == (len(faults) < policy.max_attempts)
    assert len(sleep.waits) == len(adapter.calls) - 1
    for attempt, wait in enumerate(sleep.waits, start=1):
        assert wait >= 0
        backoff_ceiling = min(policy.backoff_max, policy.backoff_initial * 2 ** (attempt - 1))
        assert wait <= max(backoff_ceiling, policy.retry_after_cap + policy.jitter) + 1e-9
        if faults[attempt - 1] == "429":
            assert wait >= min(retry_after, policy.retry_after_cap)
