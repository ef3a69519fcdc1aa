"""Bounded retries with tenacity: 429 after `Retry-After`, 5xx and connection failures with backoff and jitter.

What is retried depends on whether a repeat is safe:
- 429 is always retried: the server refused the request without doing anything;
- a connect timeout is always retried: the request never left;
- 5xx, dropped connections, read timeouts and truncated bodies are retried only for idempotent methods, since a
  `POST /vehicles/{vin}/rdl` or a refresh-token exchange the server did process must not be sent twice (a second
  RDL request uses a second attempt; a second exchange of a rotated refresh token fails).
When the attempts run out, the last answer is handed back (the caller raises its typed error) or the last
connection error is re-raised.

Waits: `Retry-After` seconds (capped at `retry_after_cap`) plus up to `jitter` seconds, or exponential backoff with
"equal jitter" (half fixed, half random) capped at `backoff_max`. The random source and the sleep are injected, so
tests run without sleeping and reproducibly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
SERVER_ERRORS = frozenset({500, 502, 503, 504})
RATE_LIMITED = 429


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    retry_after_cap: float = 120.0
    jitter: float = 1.0
    retried_statuses: frozenset[int] = field(default=SERVER_ERRORS | {RATE_LIMITED})

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")


NO_RETRIES = RetryPolicy(max_attempts=1)


class RetryableAnswer(Exception):
    """An answer whose status may be worth another attempt (raised inside the retry loop only)."""

    def __init__(self, response: requests.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after_seconds(response: requests.Response) -> float | None:
    """`Retry-After` in seconds, when given as a number (an HTTP date is not used: it needs a trusted clock)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(seconds, 0.0)


def is_safe_to_repeat(method: str, error: BaseException) -> bool:
    idempotent = method.upper() in IDEMPOTENT_METHODS
    if isinstance(error, RetryableAnswer):
        return error.response.status_code == RATE_LIMITED or idempotent
    if isinstance(error, requests.ConnectTimeout):
        return True
    transport = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
    return isinstance(error, transport) and idempotent


@dataclass
class RetryWait:
    """Tenacity wait strategy: Retry-After (bounded) plus jitter, else exponential backoff with jitter."""

    policy: RetryPolicy
    rng: random.Random

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        if isinstance(error, RetryableAnswer):
            retry_after = retry_after_seconds(error.response)
            if retry_after is not None:
                return min(retry_after, self.policy.retry_after_cap) + self.rng.uniform(0, self.policy.jitter)
        ceiling = min(self.policy.backoff_max, self.policy.backoff_initial * 2 ** (state.attempt_number - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


@dataclass
class Retrier:
    """Sends one request with the policy's retries."""

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], None] = time.sleep

    def call(self, method: str, send: Callable[[], requests.Response]) -> requests.Response:
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.max_attempts),
            wait=RetryWait(self.policy, self.rng),
            retry=retry_if_exception(lambda error: is_safe_to_repeat(method, error)),
            sleep=self.sleep,
            reraise=True,
        )

        def attempt() -> requests.Response:
            response = send()
            if response.status_code in self.policy.retried_statuses:
                raise RetryableAnswer(response)
            return response

        try:
            return retrying(attempt)
        except RetryableAnswer as exhausted:
            return exhausted.response
