"""`fleetmock serve`'s security options: who may use the control plane, and what signs the tokens.

- `--control-token T` (or `FLEETMOCK_CONTROL_TOKEN`): `/_sim` needs `Authorization: Bearer T` (health stays open).
- Without a token on an address beyond loopback (`--host 0.0.0.0`), `/_sim` answers local callers only.
- Browsers may call `/_sim` only from the server's own origin or one listed with `--cors-origin`.
- Tokens are signed with keys derived from a secret that is never printed: `--secret S` (or `FLEETMOCK_SECRET`),
  else the one a `--state` store keeps, else a random one. `--secret-from-seed` derives it from the world's seed
  instead, for byte-identical tokens across runs (anyone who knows the printed seed can then forge tokens).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
from typing import Any

from mockserver.guard import Access

SECRET_ENV = "FLEETMOCK_SECRET"
TOKEN_ENV = "FLEETMOCK_CONTROL_TOKEN"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--control-token",
        default=os.environ.get(TOKEN_ENV),
        help="require 'Authorization: Bearer TOKEN' on the control plane /_sim (default: $FLEETMOCK_CONTROL_TOKEN)",
    )
    parser.add_argument(
        "--secret",
        default=os.environ.get(SECRET_ENV),
        help="the secret token signing keys derive from (default: $FLEETMOCK_SECRET, the state file's, or random)",
    )
    parser.add_argument(
        "--secret-from-seed",
        action="store_true",
        help="derive the signing keys from the world's seed: identical tokens on every run, forgeable by anyone",
    )


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def control_origins(origins: list[str]) -> Access:
    """Browsers of the `--cors-origin` origins may use `/_sim` besides the server's own (never `*` there)."""
    return Access(origins=frozenset(o.rstrip("/") for o in origins if o and o != "*"))


def access_for(args: argparse.Namespace) -> Access:
    origins = control_origins(getattr(args, "cors_origin", None) or []).origins
    token = args.control_token or None
    return Access(token=token, origins=origins, loopback_only=token is None and not is_loopback_host(args.host))


def access_note(access: Access, host: str) -> str | None:
    if access.token is not None:
        return "the control plane /_sim needs Authorization: Bearer <the --control-token>"
    if access.loopback_only:
        return f"bound to {host} without --control-token: the control plane /_sim answers local callers only"
    return None


def choose_secret(args: argparse.Namespace, store: Any) -> tuple[str | None, str | None]:
    """The signing secret (None: the seed's) and a note for the user. A SQLite state file keeps it, so restarts and
    workers agree; PostgreSQL instances must be given the same `--secret` (else the seed's, said in the note)."""
    from mockserver.store import SqliteStore

    if args.secret_from_seed:
        return None, "--secret-from-seed: tokens are signed with keys anyone who knows the seed can derive"
    if isinstance(store, SqliteStore):
        kept = store.meta("secret")
        chosen = args.secret or kept or secrets.token_hex(32)
        if chosen != kept:
            store.set_meta("secret", chosen)
        return str(chosen), None
    if args.state is not None:  # a database shared by instances that cannot agree on a random secret
        if args.secret:
            return str(args.secret), None
        return None, "shared state without --secret: tokens are signed with keys derived from the seed"
    return str(args.secret or secrets.token_hex(32)), None


def to_env(access: Access) -> dict[str, Any]:
    """`access` as JSON for the worker processes (`--workers`)."""
    return {"access": {"token": access.token, "origins": sorted(access.origins), "loopbackOnly": access.loopback_only}}


def from_env(raw: dict[str, Any]) -> Access:
    given = raw.get("access") or {}
    return Access(given.get("token"), frozenset(given.get("origins", ())), bool(given.get("loopbackOnly")))
