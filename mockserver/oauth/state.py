"""The OAuth server's mutable state: pending authorization codes, live refresh tokens, and a token counter."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SECTION = "oauth"


@dataclass(frozen=True)
class Grant:
    """What a code or refresh token stands for: a user of an account consented to a client for these scopes."""

    account: str
    username: str
    client_id: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class PendingCode:
    grant: Grant
    redirect_uri: str
    expires_at: str  # ISO instant
    code_challenge: str | None = None
    code_challenge_method: str | None = None


@dataclass
class OAuthState:
    codes: dict[str, PendingCode] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    issued: int = 0  # tokens issued so far; makes token ids deterministic

    def to_json(self) -> Any:
        return {
            "codes": {k: {**asdict(v), "grant": asdict(v.grant)} for k, v in self.codes.items()},
            "refreshTokens": {k: asdict(v) for k, v in self.refresh_tokens.items()},
            "issued": self.issued,
        }

    @classmethod
    def from_json(cls, data: Any | None) -> OAuthState:
        if data is None:
            return cls()
        codes = {}
        for key, raw in dict(data.get("codes", {})).items():
            grant = _grant(raw["grant"])
            codes[key] = PendingCode(
                grant,
                raw["redirect_uri"],
                raw["expires_at"],
                raw.get("code_challenge"),
                raw.get("code_challenge_method"),
            )
        refresh = {k: _grant(v) for k, v in dict(data.get("refreshTokens", {})).items()}
        return cls(codes, refresh, int(data.get("issued", 0)))


def _grant(raw: Any) -> Grant:
    return Grant(str(raw["account"]), str(raw["username"]), str(raw["client_id"]), tuple(str(s) for s in raw["scopes"]))
