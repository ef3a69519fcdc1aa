"""The one error a state engine's outage turns into: 503 with Retry-After, never a 500 or a hang."""

from __future__ import annotations

from mockserver.errors import ApiError

RETRY_AFTER_SECONDS = 1


class StateUnavailable(ApiError):
    """The shared state cannot be reached (PostgreSQL restarting or unreachable); nothing was changed."""

    status = 503

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The simulator's state store is unavailable ({reason}); retry shortly.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
