"""Rate limits: a token bucket per API and access token (or account), answering 429 with Retry-After.

The limits are state (part of snapshots and scenarios); the buckets are not. Buckets count real seconds from an
injected monotonic source, not simulated time, so a frozen simulated clock does not freeze them: rate limits are
about the traffic a client really sends. With a `shared` backend (PostgreSQL) the buckets live there, so a bucket of
N allows N across every instance.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mockserver.apis import one_of, registry
from mockserver.errors import BadRequest
from mockserver.faults.book import validation_message

SECTION = "ratelimits"


class RateLimitRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    api: str  # a registered API whose callers are told apart (`Registry.rate_limit_targets`)
    per: Literal["token", "account"] = "token"
    rate: float = Field(gt=0, le=100_000, description="tokens added per second")
    burst: int = Field(ge=1, le=1_000_000, description="bucket size")

    @field_validator("api")
    @classmethod
    def _known_api(cls, value: str) -> str:
        return one_of(value, registry().rate_limit_targets())


@dataclass
class Bucket:
    tokens: float
    updated: float

    def take(self, rule: RateLimitRule, now: float) -> float:
        """Take one token: 0.0 if allowed, else the seconds until one is available."""
        self.tokens = min(rule.burst, self.tokens + (now - self.updated) * rule.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / rule.rate


@dataclass
class RateLimits:
    rules: list[RateLimitRule] = field(default_factory=list)

    def to_json(self) -> Any:
        return {"rules": [r.model_dump() for r in self.rules]}

    @classmethod
    def from_json(cls, data: Any | None) -> RateLimits:
        return cls(parse_limits((data or {}).get("rules", [])))


def parse_limits(raw: Any, prefix: str = "rules.") -> list[RateLimitRule]:
    if not isinstance(raw, list):
        raise BadRequest(f"{prefix.rstrip('.')}: a list of rate limits is expected")
    rules = []
    for index, item in enumerate(raw):
        try:
            rules.append(RateLimitRule.model_validate(item))
        except ValidationError as exc:
            raise BadRequest(validation_message(exc, f"{prefix}{index}.")) from exc
    return rules


class BucketBackend(Protocol):
    """Buckets shared by several instances: take one token atomically, answering the seconds to wait (0.0: taken)."""

    def take(self, key: str, rule: RateLimitRule) -> float: ...

    def clear(self) -> None: ...

    def levels(self) -> list[tuple[str, float, float]]:
        """Every bucket as (key, tokens at its last take, seconds since then by the backend's clock)."""
        ...


class RateLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic, shared: BucketBackend | None = None) -> None:
        self.shared = shared
        self._clock = clock
        self._buckets: dict[tuple[str, str, str], Bucket] = {}
        self._lock = threading.Lock()

    def check(self, limits: RateLimits, api: str, token: str | None, account: str | None) -> int:
        """0 when the request may pass, else the Retry-After in whole seconds (at least 1)."""
        for rule in limits.rules:
            if rule.api != api:
                continue
            key = token if rule.per == "token" else account
            if key is None:
                continue
            if self.shared is not None:
                wait = self.shared.take(f"{api}:{rule.per}:{key}", rule)
            else:
                now = self._clock()
                with self._lock:
                    bucket = self._buckets.setdefault((api, rule.per, key), Bucket(float(rule.burst), now))
                    wait = bucket.take(rule, now)
            if wait > 0:
                return max(1, math.ceil(wait))
        return 0

    def levels(self, limits: RateLimits) -> list[dict[str, Any]]:
        """Each bucket in use under a rule in force, refilled to now (without taking): who, how full, how big.
        A token is shown by its first 8 characters only (the journal and the console are for people). With a shared
        backend the levels are the shared buckets', so every instance shows the same."""
        rules: dict[tuple[str, str], RateLimitRule] = {(r.api, r.per): r for r in limits.rules}
        found = []
        for (api, per, key), tokens, elapsed in self._raw_levels():
            rule = rules.get((api, per))
            if rule is None:
                continue
            level = min(rule.burst, tokens + elapsed * rule.rate)
            shown = key[:8] + "..." if per == "token" and len(key) > 8 else key
            found.append({"api": api, "per": per, "key": shown, "tokens": round(level, 3), "burst": rule.burst})
        return found

    def _raw_levels(self) -> list[tuple[tuple[str, str, str], float, float]]:
        if self.shared is not None:
            raw = []
            for joined, tokens, elapsed in self.shared.levels():
                api, per, key = joined.split(":", 2)
                raw.append(((api, per, key), tokens, elapsed))
            return sorted(raw)
        now = self._clock()
        with self._lock:
            return [(who, b.tokens, now - b.updated) for who, b in sorted(self._buckets.items())]

    def reset(self) -> None:
        if self.shared is not None:
            self.shared.clear()
        with self._lock:
            self._buckets.clear()
