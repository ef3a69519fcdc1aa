"""Who the client is: client authentication at the token and revocation endpoints, and redirect URI checks.

Client authentication (RFC 6749 §2.3.1) is HTTP Basic or `client_id` + `client_secret` in the form, and a
request must not use both. RFC 6749 says Basic credentials are form-urlencoded before base64; many clients
(authlib, for one) do not encode them, so both readings are accepted.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass
from urllib.parse import unquote_plus, urlsplit

from mockserver.oauth.errors import InvalidClient, InvalidRequest
from mockserver.oauth.params import Params
from mockserver.world.models import OAuthClient, World

REDIRECT_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class BasicCredentials:
    username: str
    password: str

    @classmethod
    def from_header(cls, authorization: str | None) -> BasicCredentials | None:
        """The credentials of an `Authorization: Basic ...` value; None for no header or another scheme."""
        if not authorization:
            return None
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidClient("The Basic credentials are not base64 of 'client_id:client_secret'.") from exc
        username, colon, password = decoded.partition(":")
        if not colon:
            raise InvalidClient("The Basic credentials are not of the form 'client_id:client_secret'.")
        return cls(username, password)


@dataclass(frozen=True)
class ClientCredentials:
    """The client authentication a request presented, from its header and its form."""

    basic: BasicCredentials | None
    form_client_id: str | None
    form_client_secret: str | None

    @classmethod
    def from_request(cls, authorization: str | None, form: Params) -> ClientCredentials:
        basic = BasicCredentials.from_header(authorization)
        return cls(basic, form.get("client_id"), form.get("client_secret"))


def _secret_matches(client: OAuthClient, secret: str) -> bool:
    return hmac.compare_digest(client.secret.encode(), secret.encode())


def authenticate_client(world: World, credentials: ClientCredentials) -> OAuthClient:
    """The authenticated client, or `invalid_client` / `invalid_request` (two methods at once)."""
    basic = credentials.basic
    if basic is not None:
        if credentials.form_client_secret is not None:
            raise InvalidRequest("Use one client authentication method: HTTP Basic or the form, not both.")
        for client_id, secret in {
            (basic.username, basic.password),
            (unquote_plus(basic.username), unquote_plus(basic.password)),
        }:
            client = world.client(client_id)
            if client is not None and _secret_matches(client, secret):
                if credentials.form_client_id not in (None, client.client_id):
                    raise InvalidClient("The client_id in the form is not the authenticated client.")
                return client
        raise InvalidClient()
    if credentials.form_client_id is None:
        raise InvalidClient("Client authentication is required: HTTP Basic or client_id and client_secret.")
    client = world.client(credentials.form_client_id)
    if client is None or credentials.form_client_secret is None:
        raise InvalidClient()
    if not _secret_matches(client, credentials.form_client_secret):
        raise InvalidClient()
    return client


def is_acceptable_redirect_uri(uri: str) -> bool:
    """An absolute http(s) URI with a host and no fragment (RFC 6749 §3.1.2)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    return parts.scheme in REDIRECT_SCHEMES and bool(parts.hostname) and "#" not in uri and uri.isprintable()


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def is_loopback(uri: str) -> bool:
    """An http URI on this machine (RFC 8252 §7.3: a native app's redirect on any port and path)."""
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS


def resolve_redirect_uri(client: OAuthClient, requested: str | None) -> str:
    """Where this client's user agent may be sent back; raises `invalid_request` (never to be redirected).

    Registered URIs must match exactly; loopback `http` URIs (any port and path, RFC 8252 §7.3) are allowed for
    every client, so a client without registered URIs can only send the user back to the machine they are on, never
    to an arbitrary site. A client with exactly one registered URI may leave it out.
    """
    if requested is None:
        if len(client.redirect_uris) == 1:
            return client.redirect_uris[0]
        raise InvalidRequest("The redirect_uri parameter is missing.")
    if not is_acceptable_redirect_uri(requested):
        raise InvalidRequest("The redirect_uri must be an absolute http or https URI without a fragment.")
    if requested not in client.redirect_uris and not is_loopback(requested):
        raise InvalidRequest("The redirect_uri is not registered for this client.")
    return requested
