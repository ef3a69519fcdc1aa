"""The scopes the authorization server knows, and parsing a `scope` parameter (RFC 6749 §3.3).

Convention (api-context.md): TachoShare's real scope names are not public; the only scope is `tachoshare`,
and a request without a scope gets it. Scopes are registered in `KNOWN_SCOPES` with the sentence the consent
page shows.
"""

from __future__ import annotations

from mockserver.oauth.errors import InvalidScope
from mockserver.tachoshare.service import SCOPE as TACHOSHARE_SCOPE

KNOWN_SCOPES: dict[str, str] = {
    TACHOSHARE_SCOPE: "Read your tachograph data (vehicles, drivers, company cards and their files) and "
    "request remote downloads.",
}
DEFAULT_SCOPES: tuple[str, ...] = (TACHOSHARE_SCOPE,)


def parse_scopes(raw: str | None) -> tuple[str, ...]:
    """The requested scopes, sorted and without repeats; a missing or blank `scope` means the default."""
    names = (raw or "").split()
    if not names:
        return DEFAULT_SCOPES
    unknown = sorted({name for name in names if name not in KNOWN_SCOPES})
    if unknown:
        names_text = ", ".join(repr(n) for n in unknown)
        raise InvalidScope(f"Unknown scope {names_text}; known scopes: {', '.join(sorted(KNOWN_SCOPES))}.")
    return tuple(sorted(set(names)))


def describe(scope: str) -> str:
    return KNOWN_SCOPES.get(scope, scope)
