"""Tenants: isolated accounts created at run time, each from its own seed, with its own OAuth client and users.

Parallel CI jobs each create a tenant and never see each other's vehicles, drivers, tokens or requests. The tenant
list (names and seeds) is state, so snapshots and `--state` files rebuild the same accounts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

SECTION = "tenants"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")  # \Z, not $: "$" also matches before a final newline
MAX_SEED = 2**63 - 1


@dataclass
class Tenants:
    seeds: dict[str, int] = field(default_factory=dict)  # name -> seed, in creation order

    def to_json(self) -> Any:
        return {"tenants": [{"name": n, "seed": s} for n, s in self.seeds.items()]}

    @classmethod
    def from_json(cls, data: Any | None) -> Tenants:
        tenants = cls()
        for entry in (data or {}).get("tenants", []):
            name, seed = str(entry["name"]), int(entry["seed"])
            if not NAME.match(name):
                raise ValueError(f"tenant name {name!r} is not valid")
            if not 0 <= seed <= MAX_SEED:
                raise ValueError(f"tenant seed {seed} is not between 0 and {MAX_SEED}")
            tenants.seeds[name] = seed
        return tenants


def default_seed(world_seed: int, name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{world_seed}:tenant:{name}".encode()).digest()[:4], "big")


def client_secret(world_seed: int, name: str, secret: str | None = None) -> str:
    """A tenant's OAuth client secret: from the server's unprinted `secret` (`serve --secret`, random by default),
    or, without one (`--secret-from-seed`, or a simulator built in code), from the world's seed."""
    if secret is not None:
        return hashlib.sha256(f"fleetmock-tenant-secret:secret:{secret}:{name}".encode()).hexdigest()[:24]
    return hashlib.sha256(f"{world_seed}:tenant-secret:{name}".encode()).hexdigest()[:24]
