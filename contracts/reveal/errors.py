"""Typed errors of the Reveal client, chosen by status (registration, not `if` chains).

Reveal's error bodies are `{"Message": ...}` (or `<Error><Message>` in XML); the invalid-token 400 is plain text.
The client handles that 400 itself (it fetches a new token once); it surfaces as `InvalidToken` only if a fresh
token is refused too.
"""

from __future__ import annotations

import requests

from contracts.common.errors import ClientError, StatusError, registry, status_class
from contracts.reveal.xml import parse_xml


class RevealError(ClientError):
    """Anything this client raises about the API (transport failures stay `requests` exceptions)."""


class RevealApiError(RevealError, StatusError):
    """An error answer: the status and the `Message` of its body (or the start of its text)."""

    def __init__(self, status: int, message: str) -> None:
        self.status_code = status
        self.message = message
        super().__init__(f"{status}: {message}")


class BadRequest(RevealApiError):
    """400: outside the account's data plan, or a `startDateTimeUtc` not within the last 6 months."""

    status = 400


class InvalidToken(BadRequest):
    """400 `The provided token has an invalid format.`, even with a token fetched just now."""


class Denied(RevealApiError):
    """401: bad credentials on `/token`, or an app id the account does not allow."""

    status = 401


class DriverNotFound(RevealApiError):
    status = 404


class NotAcceptable(RevealApiError):
    status = 406


class RateLimited(RevealApiError):
    status = 429


class ServerError(RevealApiError):
    pass


class UnexpectedStatus(RevealApiError):
    pass


class UnreadableAnswer(RevealApiError):
    """A 200 whose body this client cannot read into its model."""


STATUS_ERRORS: dict[int, type[RevealApiError]] = registry(
    BadRequest, Denied, DriverNotFound, NotAcceptable, RateLimited
)
INVALID_TOKEN_TEXT = "The provided token has an invalid format."


def error_message(response: requests.Response) -> str:
    content_type = response.headers.get("Content-Type", "")
    try:
        if "json" in content_type:
            body = response.json()
            if isinstance(body, dict) and "Message" in body:
                return str(body["Message"])
        if "xml" in content_type:
            body = parse_xml(response.content)
            if isinstance(body, dict) and "Message" in body:
                return str(body["Message"])
    except ValueError:
        pass
    return response.text.strip()[:500]


def reveal_error(response: requests.Response) -> RevealApiError:
    message = error_message(response)
    status = response.status_code
    if status == 400 and message == INVALID_TOKEN_TEXT:
        return InvalidToken(status, message)
    return status_class(status, STATUS_ERRORS, ServerError, UnexpectedStatus)(status, message)
