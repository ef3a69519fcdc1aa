"""The token bucket: never more than burst + rate x t successes within any t; 429 with Retry-After over HTTP."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.ratelimit import RateLimiter, RateLimitRule, RateLimits
from tests.conftest import bearer


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@settings(max_examples=80, deadline=None)
@given(
    rate=st.floats(0.1, 50),
    burst=st.integers(1, 30),
    gaps=st.lists(st.floats(0, 2, allow_nan=False), min_size=1, max_size=200),
)
def test_never_more_than_burst_plus_rate_times_t(rate: float, burst: int, gaps: list[float]) -> None:
    clock = FakeTime()
    limiter = RateLimiter(clock)
    limits = RateLimits([RateLimitRule(api="tachoshare", per="token", rate=rate, burst=burst)])
    successes: list[float] = []
    for gap in gaps:
        clock.now += gap
        if limiter.check(limits, "tachoshare", "token-a", "demo") == 0:
            successes.append(clock.now)
    for i, start in enumerate(successes):
        for j in range(i, len(successes)):
            window = successes[j] - start
            assert j - i + 1 <= burst + rate * window + 1e-9


def test_retry_after_is_honest() -> None:
    clock = FakeTime()
    limiter = RateLimiter(clock)
    limits = RateLimits([RateLimitRule(api="tachoshare", per="token", rate=0.5, burst=1)])
    assert limiter.check(limits, "tachoshare", "t", None) == 0
    wait = limiter.check(limits, "tachoshare", "t", None)
    assert wait == 2
    clock.now += wait
    assert limiter.check(limits, "tachoshare", "t", None) == 0
    assert limiter.check(limits, "tachoshare", "other-token", None) == 0  # buckets are per token


def test_429_with_retry_after_and_the_apis_error_body(client: TestClient) -> None:
    assert (
        client.put("/_sim/ratelimits", json={"rules": [{"api": "tachoshare", "rate": 0.001, "burst": 2}]}).status_code
        == 200
    )
    headers = bearer(client)
    statuses = [client.get("/tachoshare/vehicles", headers=headers).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get("/tachoshare/vehicles", headers=headers)
    assert int(limited.headers["retry-after"]) >= 1
    assert set(limited.json()) == {"description", "url", "traceId"}
    assert client.get("/tachoshare/vehicles", headers=bearer(client)).status_code == 200  # a new token, a new bucket
    bad = client.put("/_sim/ratelimits", json={"rules": [{"api": "tachoshare", "rate": 0, "burst": 2}]})
    assert bad.status_code == 400 and "rate" in bad.json()["description"]
    assert client.get("/_sim/ratelimits").json()["rules"][0]["burst"] == 2


def test_reveal_is_limited_per_token_and_answers_in_its_own_shape(client: TestClient) -> None:
    token = client.get("/reveal/token", auth=("demo", "demo")).text
    headers = {"Authorization": f"Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer {token}"}
    client.put("/_sim/ratelimits", json={"rules": [{"api": "reveal", "rate": 0.001, "burst": 1}]})
    url = "/reveal/logbook/v1/driver/99/remainingtime"
    assert client.get(url, headers=headers).status_code == 200
    limited = client.get(url, headers={**headers, "Accept": "application/xml"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.text.startswith("<") and "Message" in limited.text
    entry = client.get("/_sim/journal?api=reveal&status=429").json()["entries"][-1]
    assert entry["account"] == "demo" and entry["operationId"] == "getRemainingTime"


def test_bucket_levels_refill_without_taking_and_hide_the_token() -> None:
    clock = FakeTime()
    limiter = RateLimiter(clock)
    limits = RateLimits([RateLimitRule(api="tachoshare", per="token", rate=0.5, burst=4)])
    for _ in range(3):
        limiter.check(limits, "tachoshare", "secret-token-value", None)
    assert limiter.levels(limits) == [
        {"api": "tachoshare", "per": "token", "key": "secret-t...", "tokens": 1.0, "burst": 4}
    ]
    clock.now += 2
    assert limiter.levels(limits)[0]["tokens"] == 2.0 == limiter.levels(limits)[0]["tokens"]  # reading takes nothing
    assert limiter.levels(RateLimits([])) == []  # buckets of rules no longer in force are not shown


def test_the_control_plane_shows_the_buckets(client: TestClient) -> None:
    client.put("/_sim/ratelimits", json={"rules": [{"api": "tachoshare", "rate": 0.001, "burst": 5}]})
    headers = bearer(client)
    client.get("/tachoshare/vehicles", headers=headers)
    client.get("/tachoshare/vehicles", headers=headers)
    [bucket] = client.get("/_sim/ratelimits").json()["buckets"]
    assert bucket["api"] == "tachoshare" and bucket["burst"] == 5 and 2.9 < bucket["tokens"] < 3.1
    assert headers["Authorization"].split()[1] not in str(bucket)
