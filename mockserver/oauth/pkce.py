"""Proof Key for Code Exchange (RFC 7636): checking a `code_verifier` against the stored `code_challenge`.

Methods are registered in `METHODS`; `plain` is the default when a challenge comes without a method (§4.3).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass

from mockserver.oauth.errors import InvalidGrant, InvalidRequest

# §4.1 and §4.2: 43 to 128 characters of the unreserved set.
_CODE_PATTERN = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
DEFAULT_METHOD = "plain"


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def plain(verifier: str) -> str:
    return verifier


METHODS: dict[str, Callable[[str], str]] = {"S256": s256, "plain": plain}


@dataclass(frozen=True)
class PkceChallenge:
    challenge: str
    method: str

    @classmethod
    def from_request(cls, challenge: str | None, method: str | None) -> PkceChallenge | None:
        """The challenge of an authorization request, None without one; bad ones: `invalid_request`."""
        if not challenge:
            if method:
                raise InvalidRequest("code_challenge_method was given without a code_challenge.")
            return None
        method = method or DEFAULT_METHOD
        if method not in METHODS:
            raise InvalidRequest(
                f"Unsupported code_challenge_method {method!r}; supported: {', '.join(sorted(METHODS))}."
            )
        if not _CODE_PATTERN.fullmatch(challenge):
            raise InvalidRequest("code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~].")
        return cls(challenge, method)

    def verify(self, verifier: str | None) -> None:
        """Raise `invalid_grant` unless `verifier` answers this challenge (RFC 7636 §4.6)."""
        if not verifier:
            raise InvalidGrant("The code_verifier is missing; the authorization request had a challenge.")
        if not _CODE_PATTERN.fullmatch(verifier):
            raise InvalidGrant("The code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].")
        if not hmac.compare_digest(METHODS[self.method](verifier), self.challenge):
            raise InvalidGrant("The code_verifier does not match the code_challenge.")
