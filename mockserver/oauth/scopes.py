"""The scopes the authorization server knows, and parsing a `scope` parameter (RFC 6749 §3.3).

Scopes come from the API registry: each API whose bearer tokens this server issues declares its `OAuthScope`
(name, the sentence the consent page shows, whether a request without a scope gets it) in its plugin.
Convention (api-context.md): TachoShare's real scope names are not public; its only scope is `tachoshare`.
"""

from __future__ import annotations

from mockserver.apis import registry
from mockserver.oauth.errors import InvalidScope


def known_scopes() -> dict[str, str]:
    """Every registered scope, with its consent sentence."""
    return {scope.name: scope.consent for scope in registry().oauth_scopes()}


def default_scopes() -> tuple[str, ...]:
    """What a request without a `scope` parameter gets."""
    return tuple(sorted(scope.name for scope in registry().oauth_scopes() if scope.default))


def parse_scopes(raw: str | None) -> tuple[str, ...]:
    """The requested scopes, sorted and without repeats; a missing or blank `scope` means the default."""
    names = (raw or "").split()
    if not names:
        return default_scopes()
    known = known_scopes()
    unknown = sorted({name for name in names if name not in known})
    if unknown:
        names_text = ", ".join(repr(n) for n in unknown)
        raise InvalidScope(f"Unknown scope {names_text}; known scopes: {', '.join(sorted(known))}.")
    return tuple(sorted(set(names)))


def describe(scope: str) -> str:
    return known_scopes().get(scope, scope)
