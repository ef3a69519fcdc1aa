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
