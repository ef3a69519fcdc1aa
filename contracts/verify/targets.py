"""The APIs `fleetmock verify` knows, registered by name: their spec, the credentials they need, their smoke flow,
and how each of their security schemes is satisfied.

Adding an API is one `register_target(...)` call; nothing else dispatches on the API's name.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from contracts.common.retry import Retrier
from contracts.reveal.client import RevealClient
from contracts.verify.options import OptionError, VerifyOptions
from contracts.verify.smoke import SmokeRun
from contracts.verify.smoke_reveal import run_reveal_smoke
from contracts.verify.smoke_tachoshare import run_tachoshare_smoke

HeaderSources = dict[str, Callable[[], str]]


@dataclass(frozen=True)
class ApiTarget:
    name: str
    spec_file: str  # under specs/, loaded with fleetmock_resources.load_spec
    title: str
    required: tuple[tuple[str, str], ...]  # (Credentials field, command-line flag)
    smoke: Callable[[VerifyOptions, Retrier], SmokeRun]
    credentials: Callable[[VerifyOptions, Retrier], HeaderSources]  # security scheme -> Authorization value

    def check(self, options: VerifyOptions) -> None:
        missing = [flag for name, flag in self.required if not getattr(options.credentials, name)]
        if missing:
            raise OptionError(f"--api {self.name} needs {', '.join(missing)}")


TARGETS: dict[str, ApiTarget] = {}


def register_target(target: ApiTarget) -> None:
    TARGETS[target.name] = target


def target(name: str) -> ApiTarget:
    try:
        return TARGETS[name]
    except KeyError:
        raise OptionError(f"unknown API {name!r}; known: {', '.join(sorted(TARGETS))}") from None


def _tachoshare_credentials(options: VerifyOptions, retrier: Retrier) -> HeaderSources:
    bearer = f"Bearer {options.credentials.token}"
    return {"webfleetOAuth": lambda: bearer}


def _reveal_credentials(options: VerifyOptions, retrier: Retrier) -> HeaderSources:
    """Basic for the token gateway; for the LogBook a token the client fetches, reuses and renews (20 minutes)."""
    user, password = options.credentials.user or "", options.credentials.password or ""
    client = RevealClient(
        options.root, user, password, options.credentials.app_id or "", retrier=retrier, timeout=options.bounds.timeout
    )
    basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"revealBasic": lambda: basic, "atmosphere": lambda: client.authorization_header(client.token())}


register_target(
    ApiTarget(
        name="tachoshare",
        spec_file="tachoshare.yaml",
        title="TachoShare.connect",
        required=(("token", "--token"),),
        smoke=run_tachoshare_smoke,
        credentials=_tachoshare_credentials,
    )
)
register_target(
    ApiTarget(
        name="reveal",
        spec_file="reveal.yaml",
        title="Reveal LogBook",
        required=(("user", "--user"), ("password", "--password"), ("app_id", "--app-id")),
        smoke=run_reveal_smoke,
        credentials=_reveal_credentials,
    )
)
