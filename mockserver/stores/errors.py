"""The one 503 of the state: its engine is down, or it stayed busy past the watchdog. `Retry-After`, never a 500
or a hang, and nothing was changed."""

from __future__ import annotations

from mockserver.errors import ApiError

RETRY_AFTER_SECONDS = 1  # what every 503 of the state asks the client to wait


class StateUnavailable(ApiError):
    """The state could not be had for this request: answered 503 with `Retry-After`; nothing was changed.

    Two causes, one shape: `down` (PostgreSQL restarting or unreachable) and `busy` (the store's lock or SQLite's
    write lock not had within the watchdog's seconds)."""

    status = 503

    def __init__(self, description: str) -> None:
        super().__init__(description, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @classmethod
    def down(cls, reason: str) -> StateUnavailable:
        return cls(f"The simulator's state store is unavailable ({reason}); retry shortly.")

    @classmethod
    def busy(cls, seconds: float, what: str = "the state store") -> StateUnavailable:
        return cls(f"The simulator is busy: {what} was not available within {seconds:g} s. Retry later.")
