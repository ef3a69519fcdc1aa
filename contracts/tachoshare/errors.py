"""Typed errors of the TachoShare client: one class per status, refined by the error body's `description`.

Classes are chosen by registration, not by `if` chains: `STATUS_ERRORS` maps a status to its class, and a class
may register refinements (`refine`) that recognise a description, such as the six manual-RDL refusals (409) or the
generation-change answer of the file routes (400). A partner adding a case registers it with `register_refinement`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from contracts.common.errors import ClientError, StatusError, registry, status_class
from contracts.tachoshare.models import ErrorBody

SERVER_ERROR_STATUSES = frozenset(range(500, 600)) - {501}
"""501 is the simulator's answer for a route it does not implement: `UnexpectedStatus`, not a `ServerError`."""


class TachoShareError(ClientError):
    """Anything this client raises about the API (transport failures stay `requests` exceptions)."""


class ApiError(TachoShareError, StatusError):
    """An error answer: the status and the `{"description", "url", "traceId"}` body (when there is one)."""

    def __init__(self, status: int, body: ErrorBody | None, retry_after: float | None = None) -> None:
        self.status_code = status
        self.body = body
        self.retry_after = retry_after
        super().__init__(f"{status}: {self.description}")

    @property
    def description(self) -> str:
        return self.body.description if self.body is not None else ""

    @property
    def trace_id(self) -> str | None:
        return self.body.trace_id if self.body is not None else None


class BadRequest(ApiError):
    status = 400


class GenerationChanged(BadRequest):
    """The range crosses a change of tachograph generation on `changed_on`: make two requests split there."""

    @property
    def changed_on(self) -> date:
        match = _GENERATION_CHANGE.search(self.description)
        assert match is not None, "registered only for descriptions that match"
        return date.fromisoformat(match["day"])


class RangeTooLong(BadRequest):
    """The date range is longer than 2 years (the client splits ranges itself, so this means a server drift)."""


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class NotAcceptable(ApiError):
    status = 406


class RdlRefused(ApiError):
    """A manual RDL refused (409); the subclass names which of the reference's conditions refused it (this base
    class alone: a description this client does not know)."""

    status = 409


class NoAttemptsRemaining(RdlRefused):
    pass


class RdlInProgress(RdlRefused):
    pass


class RdlServiceNotEnabled(RdlRefused):
    pass


class NoTelematicsDevice(RdlRefused):
    pass


class RdlScheduledToday(RdlRefused):
    pass


class RdlUpToDate(RdlRefused):
    pass


class RateLimited(ApiError):
    """429; `retry_after` holds the `Retry-After` seconds when the server sent them."""

    status = 429


class ServerError(ApiError):
    """Any 5xx answer."""


class UnexpectedStatus(ApiError):
    """A status this client has no class for (including the simulator's 501 for unimplemented routes)."""


class UnreadableAnswer(ApiError):
    """A success answer this client cannot read: JSON that does not fit the model, a ZIP that is not one."""


class OAuthError(TachoShareError):
    """An RFC 6749 error answer of the authorization server (`error`, `error_description`)."""

    def __init__(self, status: int, error: str, description: str | None) -> None:
        self.status_code = status
        self.error = error
        self.error_description = description
        super().__init__(f"{status} {error}: {description or ''}")


class NotAuthorized(TachoShareError):
    """No tokens are stored (or the refresh token is dead): the customer must consent again."""


_GENERATION_CHANGE = re.compile(r"different tachograph generation was detected on (?P<day>\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Refinement:
    """A subclass chosen when the description matches."""

    matches: Callable[[str], bool]
    error: type[ApiError]


STATUS_ERRORS: dict[int, type[ApiError]] = registry(
    BadRequest, Unauthorized, Forbidden, NotFound, NotAcceptable, RdlRefused, RateLimited
)
REFINEMENTS: dict[type[ApiError], list[Refinement]] = {}


def register_refinement(base: type[ApiError], matches: Callable[[str], bool], error: type[ApiError]) -> None:
    REFINEMENTS.setdefault(base, []).append(Refinement(matches, error))


def _exactly(text: str) -> Callable[[str], bool]:
    return lambda description: description.strip() == text


# The 409 descriptions: the reference's wording of the six refusal conditions (the simulator answers exactly these).
for _text, _error in (
    ("There are no more remaining attempts (manualAttemptsRemaining is 0)", NoAttemptsRemaining),
    ("RDL is already in progress or waiting for execution", RdlInProgress),
    ("RDL service is not enabled for this vehicle", RdlServiceNotEnabled),
    ("RDL service is not possible due to lack of telematics device", NoTelematicsDevice),
    ("RDL is already scheduled for today", RdlScheduledToday),
    ("RDL is up-to-date", RdlUpToDate),
):
    register_refinement(RdlRefused, _exactly(_text), _error)
register_refinement(BadRequest, lambda d: _GENERATION_CHANGE.search(d) is not None, GenerationChanged)
register_refinement(BadRequest, lambda d: "longer than 2 years" in d, RangeTooLong)


def error_class(status: int, description: str) -> type[ApiError]:
    base = status_class(status, STATUS_ERRORS, ServerError, UnexpectedStatus, SERVER_ERROR_STATUSES)
    for refinement in REFINEMENTS.get(base, []):
        if refinement.matches(description):
            return refinement.error
    return base


def api_error(status: int, body: ErrorBody | None, retry_after: float | None = None) -> ApiError:
    """The typed error for an answer."""
    cls = error_class(status, body.description if body is not None else "")
    return cls(status, body, retry_after)
