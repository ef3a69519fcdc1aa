"""Fault rules: which requests they match and what they do, validated with pydantic so a bad rule is a 400 that
names the field.

A rule matches an API (or `*`), a method (or `*`), a path glob relative to the API's prefix or an operationId, and
optionally an account; it may fire with a probability, only for the first `times` matches, or only after `after`
matches. Exactly one effect: `respond`, `latencyMs`, `drop`, `truncate` or `trickle`.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mockserver.apis import one_of, registry

EFFECT_FIELDS = ("respond", "latency_ms", "drop", "truncate", "trickle")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")  # an RFC 9110 token
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})  # the server sets these
NO_BODY_STATUSES = frozenset({204, 205, 304})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Match(_Model):
    api: str = "*"  # a registered API that takes fault rules (`ApiPlugin.fault_target`), or any
    method: str = Field("*", pattern=r"^(\*|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)$")
    path: str = Field("*", min_length=1, description="glob relative to the API's prefix, e.g. /vehicles/*")
    operation_id: str | None = Field(None, alias="operationId")
    account: str | None = None

    @field_validator("api")
    @classmethod
    def _known_api(cls, value: str) -> str:
        return one_of(value, (*registry().fault_targets(), "*"))

    def accepts(self, api: str, method: str, path: str, operation_id: str | None, account: str | None) -> bool:
        if self.api != "*" and self.api != api:
            return False
        if self.method != "*" and self.method != method:
            return False
        if self.operation_id is not None and self.operation_id != operation_id:
            return False
        if self.account is not None and self.account != account:
            return False
        return self.path == "*" or fnmatch.fnmatchcase(path, self.path)


class Respond(_Model):
    """A canned answer. Checked when the rule is added, so it cannot break the connection when it fires: no 1xx,
    no body on 204/205/304, header names that are tokens, values in Latin-1 without CR, LF or NUL, and no framing
    headers (the server frames the answer)."""

    status: int = Field(ge=200, le=599)
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = None  # None: the API's own error body for that status

    @field_validator("headers")
    @classmethod
    def _sendable(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if not HEADER_NAME.match(name):
                raise ValueError(f"header name {name[:64]!r} is not an HTTP token")
            if name.lower() in FRAMING_HEADERS:
                raise ValueError(f"header {name} is set by the server, not by a rule")
            if any(c in value for c in "\r\n\0") or (not value.isascii() and not _latin1(value)):
                raise ValueError(f"header {name} has a value that cannot be sent (CR, LF, NUL or not Latin-1)")
        return headers

    @model_validator(mode="after")
    def _bodiless(self) -> Respond:
        if self.status in NO_BODY_STATUSES and self.body != "":
            raise ValueError(f'status {self.status} has no body: give "body": ""')
        return self


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class Trickle(_Model):
    chunk_bytes: int = Field(16, alias="chunkBytes", ge=1, le=65536)
    delay_ms: int = Field(50, alias="delayMs", ge=0, le=60_000)


class FaultRule(_Model):
    id: str | None = None
    match: Match = Match()
    times: int | None = Field(None, ge=1, description="fire for the first N matches only")
    after: int | None = Field(None, ge=0, description="fire only after N matches")
    probability: float | None = Field(None, ge=0, le=1)
    respond: Respond | None = None
    latency_ms: int | None = Field(None, alias="latencyMs", ge=0, le=600_000)
    drop: Literal[True] | None = None
    truncate: Literal[True] | None = None
    trickle: Trickle | None = None

    @model_validator(mode="after")
    def _one_effect(self) -> FaultRule:
        effects = [name for name in EFFECT_FIELDS if getattr(self, name) is not None]
        if len(effects) != 1:
            raise ValueError(
                "a fault rule has exactly one effect among respond, latencyMs, drop, truncate, trickle; "
                f"got {', '.join(effects) or 'none'}"
            )
        return self

    @property
    def effect(self) -> str:
        return next(name for name in EFFECT_FIELDS if getattr(self, name) is not None)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)
