"""Named scenarios (`fixtures/scenarios/*.yaml`): fault rules, rate limits, clock moves and world changes that
put the simulator in a situation QA wants to test, applied with `--scenario NAME` or `POST /_sim/scenarios/{name}`.

A scenario file is a mapping: `description` plus any of the step keys of `mockserver.scenarios.steps.STEPS`, applied
in file order. Every step is validated before any is applied, so a bad scenario changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from mockserver import discovery
from mockserver.errors import BadRequest, NotFound
from mockserver.faults import parse_rule
from mockserver.faults.book import validation_message
from mockserver.ratelimit import parse_limits
from mockserver.resources import fixtures_dir
from mockserver.scenarios.steps import STEPS

if TYPE_CHECKING:
    from mockserver.simulator import Simulator


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    steps: tuple[tuple[str, Any], ...]  # (step key, validated parameters), in file order


def parse_scenario(name: str, raw: Any) -> Scenario:
    if not isinstance(raw, dict):
        raise BadRequest(f"scenario {name}: a mapping of steps is expected")
    discovery.discover()  # the API packages register their own steps
    description = str(raw.get("description", "")).strip()
    steps = []
    for key, value in raw.items():
        if key == "description":
            continue
        kind = STEPS.get(key)
        if kind is None:
            raise BadRequest(f"scenario {name}: {key}: unknown step; known: description, {', '.join(STEPS)}")
        if key == "faults":
            for i, rule in enumerate(value or []):
                parse_rule(rule, f"scenario {name}: faults.{i}.")
            steps.append((key, value))
        elif key == "rateLimits":
            parse_limits(value, f"scenario {name}: rateLimits.")
            steps.append((key, value))
        else:
            try:
                params: BaseModel = kind.model.model_validate(value)
            except ValidationError as exc:
                raise BadRequest(validation_message(exc, f"scenario {name}: {key}.")) from exc
            steps.append((key, params))
    return Scenario(name, description, tuple(steps))


def scenario_dir() -> Path:
    return fixtures_dir() / "scenarios"


def available() -> dict[str, Scenario]:
    found = {}
    for path in sorted(scenario_dir().glob("*.yaml")):
        found[path.stem] = parse_scenario(path.stem, yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def load(name: str) -> Scenario:
    path = scenario_dir() / f"{name}.yaml"
    if not path.is_file() or "/" in name:
        raise NotFound(f"no scenario {name!r}; known: {', '.join(available())}")
    return parse_scenario(name, yaml.safe_load(path.read_text(encoding="utf-8")))


def apply(sim: Simulator, scenario: Scenario) -> None:
    with sim.store.write():
        for key, params in scenario.steps:
            STEPS[key].apply(sim, params)
        sim.rebuild_world()
