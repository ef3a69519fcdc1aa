"""Request parameters as RFC 6749 reads them: each at most once (§3.1, §3.2), and empty meaning absent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mockserver.oauth.errors import InvalidRequest


@dataclass(frozen=True)
class Params:
    """Query or form parameters of one request; read through `get`/`require`, never as a raw dict."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.values, Mapping):  # a body sent without a form content type arrives as bytes
            raise InvalidRequest("The body must be sent as application/x-www-form-urlencoded.")

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, list | tuple):
            if len(value) != 1:
                raise InvalidRequest(f"The parameter {name!r} must not be repeated.")
            value = value[0]
        text = str(value)
        return text or None

    def require(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise InvalidRequest(f"The parameter {name!r} is missing.")
        return value
