"""Reveal's refusals, as domain errors; `mockserver.reveal.views.reveal_error` renders them.

Observed and documented behaviour (reference/api-context.md): an expired or unknown token is a 400 whose body is
the plain text `The provided token has an invalid format.`; a missing Authorization header, a wrong app id and bad
credentials on `/token` are 401. **Convention:** every other error body is ASP.NET Web API's `{"Message": ...}`
(JSON, or `<Error><Message>...</Message></Error>` when the client asks for XML), the shape of the reference's
404 example.
"""

from __future__ import annotations

from mockserver.errors import ApiError

INVALID_TOKEN_TEXT = "The provided token has an invalid format."
DENIED_TEXT = "Authorization has been denied for this request."


class RevealError(ApiError):
    """An error whose description is exactly Reveal's `Message`."""


class InvalidToken(RevealError):
    """An unknown, malformed or expired token: 400 with a plain-text body."""

    status = 400
    plain_text = True

    def __init__(self) -> None:
        super().__init__(INVALID_TOKEN_TEXT)


class Denied(RevealError):
    """401: no or a malformed Authorization header, an app id the account does not allow, bad credentials."""

    status = 401

    def __init__(self, description: str = DENIED_TEXT, *, basic_challenge: bool = False) -> None:
        headers = {"WWW-Authenticate": 'Basic realm="Reveal"'} if basic_challenge else None
        super().__init__(description, headers=headers)


class DriverNotFound(RevealError):
    status = 404

    def __init__(self, driver_number: str) -> None:
        super().__init__(f"Driver Information not found for DriverNumber: {driver_number}")


class OutsideDataPlan(RevealError):
    """The account's data plan does not cover what was asked for (the reference: 400 Bad Request)."""

    status = 400

    def __init__(self, what: str) -> None:
        super().__init__(f"The requested information is outside of the account's data plan: {what}.")


class RevealBadRequest(RevealError):
    status = 400
