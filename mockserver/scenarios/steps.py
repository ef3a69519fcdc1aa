"""What a scenario can do, one registered step per key of a scenario file.

Each step has a pydantic model (so a bad scenario is a 400 naming the field) and an `apply(sim, params)`. Adding
a kind of step adds an entry here with `@step(key, Model)`; a step about one API's state lives in that API's package
(imported by its `plugin.py`, e.g. `mockserver/tachoshare/scenario.py`); nothing else changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mockserver.faults import parse_rule
from mockserver.ratelimit import parse_limits
from mockserver.world.models import FailureMode, Generation, Vehicle
from mockserver.world.patches import Retrofit, StartFailing

if TYPE_CHECKING:
    from mockserver.simulator import Simulator


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ClockStep(_Step):
    rate: float | None = Field(None, ge=0, le=1_000_000)
    advance_seconds: int | None = Field(None, alias="advanceSeconds", ge=0)


class RetrofitStep(_Step):
    vehicles: int = Field(ge=1, le=10_000, description="how many Gen1/Gen2v1 vehicles of the first account")
    generation: Literal["gen2v1", "gen2v2"] = "gen2v2"
    days_ago: int = Field(10, alias="daysAgo", ge=0, le=700)


class FailStep(_Step):
    share: float = Field(gt=0, le=1, description="share of the first account's healthy vehicles")
    failure: Literal["CAN_ERROR", "TACHOGRAPH_NOT_RESPONDING"] = "TACHOGRAPH_NOT_RESPONDING"


@dataclass(frozen=True)
class StepKind:
    model: type[BaseModel]
    apply: Callable[[Simulator, Any], None]


STEPS: dict[str, StepKind] = {}


def step(key: str, model: type[BaseModel]) -> Callable[[Callable[[Simulator, Any], None]], Callable[..., None]]:
    def register(function: Callable[[Simulator, Any], None]) -> Callable[[Simulator, Any], None]:
        STEPS[key] = StepKind(model, function)
        return function

    return register


def pick_vehicles(sim: Simulator, vehicles: list[Vehicle], count: int, salt: str) -> list[Vehicle]:
    """A deterministic choice under the seed: the same scenario picks the same vehicles."""

    def rank(v: Vehicle) -> bytes:
        return hashlib.sha256(f"{sim.world.seed}:{salt}:{v.vin}".encode()).digest()

    return sorted(vehicles, key=rank)[:count]


@step("faults", BaseModel)
def _faults(sim: Simulator, raw: Any) -> None:
    rules = [parse_rule(r, f"faults.{i}.") for i, r in enumerate(raw or [])]
    for rule in rules:
        sim.faults.add(rule)


@step("rateLimits", BaseModel)
def _rate_limits(sim: Simulator, raw: Any) -> None:
    sim.rate_limits.rules[:] = parse_limits(raw, "rateLimits.")
    sim.rate_limiter.reset()


@step("clock", ClockStep)
def _clock(sim: Simulator, params: ClockStep) -> None:
    if params.advance_seconds:
        sim.clock.advance(params.advance_seconds)
    if params.rate is not None:
        sim.clock.set(rate=params.rate)


@step("retrofit", RetrofitStep)
def _retrofit(sim: Simulator, params: RetrofitStep) -> None:
    account = sim.default_account
    today = sim.clock.now().date()
    older = [v for v in account.vehicles if v.generation_on(today) in (Generation.GEN1, Generation.GEN2V1)]
    at = sim.clock.now() - timedelta(days=params.days_ago)
    for vehicle in pick_vehicles(sim, older, params.vehicles, "retrofit"):
        sim.world_patches.patches.append(Retrofit(account.name, vehicle.vin, at, Generation(params.generation)))


@step("failVehicles", FailStep)
def _fail(sim: Simulator, params: FailStep) -> None:
    account = sim.default_account
    healthy = [v for v in account.vehicles if v.downloads.failing_since is None and v.downloads.first is not None]
    count = max(1, round(len(healthy) * params.share))
    for vehicle in pick_vehicles(sim, healthy, count, "fail"):
        sim.world_patches.patches.append(
            StartFailing(account.name, vehicle.vin, sim.clock.now(), FailureMode(params.failure))
        )
