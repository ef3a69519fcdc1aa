"""Connexion's `x-tokenInfoFunc` for the TachoShare spec: a bearer token to the caller's identity and scopes.

Returning None makes Connexion answer 401; missing scopes make it answer 403. Both are then formatted in
TachoShare's error shape by the app's error handlers.
"""

from __future__ import annotations

from typing import Any

from mockserver import runtime


def token_info(token: str) -> dict[str, Any] | None:
    principal = runtime.current().principal(token)
    if principal is None:
        return None
    return {"sub": principal.username, "scope": sorted(principal.scopes), "principal": principal}
