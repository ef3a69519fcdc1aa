"""Who may use the control plane (`/_sim`): a bearer token when one is set, same-origin or allowed browsers,
and only local callers when the server listens on other addresses without a token.

`GET /_sim/health` stays open (readiness probes, container health checks): it answers only "ok" and the instant.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass

from mockserver.console import holds_no_data

CONTROL_PREFIX = "/_sim"
OPEN_PATHS = frozenset({"/_sim/health"})


@dataclass(frozen=True)
class Caller:
    """What of a request decides its access: its Origin, the origin it was sent to, credentials, peer address."""

    origin: str | None
    own_origin: str
    authorization: str | None
    client: str | None


@dataclass(frozen=True)
class Access:
    token: str | None = None  # `--control-token`: `/_sim` then needs `Authorization: Bearer <token>`
    origins: frozenset[str] = frozenset()  # origins a browser may call `/_sim` from besides the server's own
    loopback_only: bool = False  # no token and bound beyond loopback: `/_sim` answers local callers only

    def guards(self, path: str) -> bool:
        """The console's page shells hold no data (a browser's navigation cannot send the token; their script asks
        for it and sends it with every `/_sim` call), so they load without it."""
        under = path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")
        return under and path not in OPEN_PATHS and not holds_no_data(path)

    def refusal(self, caller: Caller) -> tuple[int, str] | None:
        """(status, why) when this request may not use the control plane, else None."""
        origin = caller.origin
        if origin is not None and origin != caller.own_origin and origin not in self.origins:  # never "*" here
            return 403, f"the control plane refuses calls from the origin {origin[:100]} (allow it with --cors-origin)"
        if self.token is not None:
            scheme_word, _, given = (caller.authorization or "").partition(" ")
            if scheme_word.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
                return 401, "the control plane needs Authorization: Bearer <the --control-token>"
            return None
        if self.loopback_only and not is_loopback(caller.client):
            return 403, "the control plane answers local callers only (start the server with --control-token)"
        return None


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return host in ("localhost", "testclient")
