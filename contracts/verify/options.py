"""What one `fleetmock verify` run is asked to do: the API, where it is, its credentials, and the run's bounds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_MAX_EXAMPLES = 10
DEFAULT_TIMEOUT = 30.0


class GenerationMode(StrEnum):
    """Which requests Schemathesis generates: valid ones, invalid ones (expecting declared 4xx), or both."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    ALL = "all"


class OptionError(ValueError):
    """The options cannot make a run (a credential the API needs is missing, a bound out of range)."""


@dataclass(frozen=True)
class Credentials:
    """Everything any registered API may need; each API says which fields it requires."""

    token: str | None = None
    user: str | None = None
    password: str | None = None
    app_id: str | None = None


@dataclass(frozen=True)
class RunBounds:
    """How much the run sends.

    `allow_writes` is off by default: operations that change state (TachoShare's `POST /vehicles/{vin}/rdl`)
    are skipped and listed as skipped, because against the real API every manual RDL request uses one of the
    vehicle's monthly manual attempts.
    """

    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int | None = None
    stateful: bool = True
    allow_writes: bool = False
    mode: GenerationMode = GenerationMode.ALL
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if self.max_examples < 1:
            raise OptionError("--max-examples must be at least 1")
        if self.timeout <= 0:
            raise OptionError("--timeout must be positive")


@dataclass(frozen=True)
class VerifyOptions:
    api: str
    base_url: str
    credentials: Credentials
    bounds: RunBounds = RunBounds()
    driver: str | None = None  # Reveal: the driver number the smoke flow reads (else the first one found)

    @property
    def root(self) -> str:
        """The API root without a trailing slash (`http://127.0.0.1:8080/tachoshare`)."""
        return self.base_url.rstrip("/")
