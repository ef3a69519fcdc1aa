"""Where the specs and fixtures live, in a source checkout and in an installed copy alike.

The wheel ships `specs/` and `fixtures/` as `mockserver/_data/...`; a source checkout (or an editable install)
finds them beside the package.
"""

from __future__ import annotations

from pathlib import Path

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
