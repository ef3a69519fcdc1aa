"""RFC 6749 errors, each carrying its `error` code, so any layer can raise them and one formatter prints them.

They are `ApiError`s: `oauth_error` (the OAuth plugin's renderer) answers them as `{"error", "error_description"}` with
their status. Errors of the authorization endpoint that the client must learn through its redirect URI are
wrapped in `RedirectToClient` instead (see `mockserver.oauth.authorization`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mockserver.errors import ApiError
from mockserver.problems import json_error

if TYPE_CHECKING:
    from connexion.lifecycle import ConnexionRequest, ConnexionResponse

    from mockserver.simulator import Simulator

BASIC_CHALLENGE = 'Basic realm="webfleet-auth"'


class OAuthError(ApiError):
    """An RFC 6749 §4.1.2.1 / §5.2 error: `error` is the code clients switch on."""

    error: ClassVar[str] = "invalid_request"
    status = 400


class InvalidRequest(OAuthError):
    error = "invalid_request"


class InvalidClient(OAuthError):
    """Client authentication failed. Always 401 with a Basic challenge: HTTP requires a challenge on 401, and
    RFC 6749 §5.2 requires this one whenever the client tried Basic."""

    error = "invalid_client"
    status = 401

    def __init__(self, description: str = "Client authentication failed.") -> None:
        super().__init__(description, headers={"WWW-Authenticate": BASIC_CHALLENGE})


class InvalidGrant(OAuthError):
    error = "invalid_grant"


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"


class InvalidScope(OAuthError):
    error = "invalid_scope"


class AccessDenied(OAuthError):
    error = "access_denied"
    status = 403


def error_code(error: ApiError) -> str:
    """The RFC 6749 code for any `ApiError`: its own for an `OAuthError`, else one fitting its status."""
    if isinstance(error, OAuthError):
        return error.error
    if error.status == 503:  # the store is busy (RFC 6749 §4.1.2.1's code for a server that is overloaded)
        return "temporarily_unavailable"
    return InvalidClient.error if error.status == 401 else InvalidRequest.error


def oauth_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    """RFC 6749 §5.2 error body: the code an `OAuthError` carries, else one fitting the status."""
    body = {"error": error_code(error), "error_description": error.description}
    return json_error(error.status, body, error.headers)
