"""Worlds: YAML files under fixtures/ expanded into facts with one seed.

`load_world` is the one entry point: it reads and validates a world file and expands it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml
from pydantic import ValidationError

from mockserver.resources import default_world_path
from mockserver.world.build import build_world
from mockserver.world.models import World
from mockserver.world.schema import WorldSpec, world_spec_model

__all__ = ["World", "WorldError", "load_world", "parse_world"]


class WorldError(ValueError):
    """A world file that cannot be used; the message names the file and the field."""


def parse_world(text: str, source: str = "<world>") -> WorldSpec:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise WorldError(f"{source}: not valid YAML: {exc}") from exc
    try:
        return world_spec_model().model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())
        raise WorldError(f"{source}: {problems}") from exc


def load_world(
    path: str | Path | None = None,
    *,
    seed: int | None = None,
    start: datetime | None = None,
    vehicles: int | None = None,
    drivers: int | None = None,
) -> World:
    world_path = Path(path) if path is not None else default_world_path()
    try:
        text = world_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"cannot read world file {world_path}: {exc.strerror}") from exc
    spec = parse_world(text, str(world_path))
    return build_world(spec, seed=seed, start=start, vehicles=vehicles, drivers=drivers)
