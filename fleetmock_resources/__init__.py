"""Where the specs and fixtures live, in a source checkout and in an installed copy alike.

A neutral package below both `mockserver` (which serves the specs) and `contracts` (whose `fleetmock verify` tests
a server against them): it imports neither, so the reference clients never depend on the simulator.

The wheel ships `specs/` and `fixtures/` as `fleetmock_resources/_data/...`; a source checkout (or an editable
install) finds them beside the package.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder beside {_PACKAGE}")


def specs_dir() -> Path:
    return _data_dir("specs")


def fixtures_dir() -> Path:
    return _data_dir("fixtures")


def spec_path(name: str) -> Path:
    return specs_dir() / f"{name}.yaml"


def default_world_path() -> Path:
    return fixtures_dir() / "default.yaml"


@functools.cache
def _parsed_spec(path: Path, mtime_ns: int) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 20x faster
    with path.open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=loader)
    assert isinstance(document, dict), f"{path} is not an OpenAPI document"
    return document


def load_spec(name: str) -> dict[str, Any]:
    """A spec document as a fresh dict (parsed once per file version; callers may mutate their copy)."""
    path = specs_dir() / name
    return copy.deepcopy(_parsed_spec(path, path.stat().st_mtime_ns))
