"""World extensions: a part of each account that an API adds to the world (its own YAML key, facts and builder).

The world knows accounts, users, vehicles, drivers and cards. An API that needs more facts per account (Reveal's US
drivers and users, say) declares a `WorldExtension` in its plugin (`mockserver.apis.ApiPlugin.world`); the world
file then accepts the extension's key in every account, validates it with the extension's pydantic model, and the
builder stores what the extension builds in `Account.parts[key]`. The world itself names no API.

How to add one: write the pydantic model of the YAML section, a `build(spec, rng)` and a `for_tenant(spec, name)`,
and pass `WorldExtension(key, model, build, for_tenant)` as the `world` field of your plugin.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from mockserver import discovery

RngFactory = Callable[..., random.Random]  # (*parts) -> the world's random source for one entity of the account


@dataclass(frozen=True)
class WorldExtension:
    key: str  # the account key in world files, and the key of `Account.parts`
    model: type[BaseModel]  # validates the section
    build: Callable[[Any, RngFactory], Any]  # (validated section, rng) -> the facts kept in Account.parts[key]
    for_tenant: Callable[[Any, str], Any]  # (validated section, tenant name) -> the tenant's section


_EXTENSIONS: dict[str, WorldExtension] = {}


def register(extension: WorldExtension) -> None:
    if extension.key in _EXTENSIONS and _EXTENSIONS[extension.key] is not extension:
        raise ValueError(f"world extension {extension.key!r} is registered twice")
    _EXTENSIONS[extension.key] = extension


def unregister(key: str) -> None:
    _EXTENSIONS.pop(key, None)


def registered() -> tuple[WorldExtension, ...]:
    """Every extension, in registration order (the API packages are discovered first)."""
    discovery.discover()
    return tuple(_EXTENSIONS.values())
