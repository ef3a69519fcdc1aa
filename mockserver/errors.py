"""Errors the domain raises, free of HTTP formatting; each API's handlers format them in its own error shape."""

from __future__ import annotations


class ApiError(Exception):
    """A request the simulator refuses: an HTTP status, a human description, optional extra headers."""

    status: int = 400

    def __init__(self, description: str, *, status: int | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.description = description
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class NotAcceptable(ApiError):
    status = 406


class Conflict(ApiError):
    status = 409


RETRY_AFTER_SECONDS = 1  # what every 503 of the state (`StateUnavailable`) asks the client to wait


class StateUnavailable(ApiError):
    """The state could not be had for this request: answered 503 with `Retry-After`, never a 500 or a hang; nothing
    was changed.

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
