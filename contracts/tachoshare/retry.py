"""Moved to `contracts.common.retry` (both clients share it); this path is kept for existing imports."""

from contracts.common.retry import (
    IDEMPOTENT_METHODS,
    NO_RETRIES,
    RATE_LIMITED,
    SERVER_ERRORS,
    Retrier,
    RetryableAnswer,
    RetryPolicy,
    RetryWait,
    is_safe_to_repeat,
    retry_after_seconds,
)

__all__ = [
    "IDEMPOTENT_METHODS",
    "NO_RETRIES",
    "RATE_LIMITED",
    "SERVER_ERRORS",
    "Retrier",
    "RetryPolicy",
    "RetryWait",
    "RetryableAnswer",
    "is_safe_to_repeat",
    "retry_after_seconds",
]
