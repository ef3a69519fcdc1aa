"""Who is calling: the account, user and scopes a TachoShare access token stands for."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    account: str
    username: str
    client_id: str
    scopes: frozenset[str]
    token_id: str = ""
