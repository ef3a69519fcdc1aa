"""TachoShare's scenario step: `exhaustManualAttempts` uses up vehicles' manual RDL attempts for the month.

Registered with the core's scenario steps when `mockserver.tachoshare.plugin` is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from mockserver.scenarios.steps import pick_vehicles, step
from mockserver.tachoshare.state import SECTION, RdlRequests

if TYPE_CHECKING:
    from mockserver.simulator import Simulator


class ExhaustStep(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    vehicles: int = Field(ge=1, le=10_000, description="how many vehicles of the first account")


@step("exhaustManualAttempts", ExhaustStep)
def exhaust(sim: Simulator, params: ExhaustStep) -> None:
    account = sim.default_account
    now = sim.clock.now()
    requests = sim.store.section(SECTION, RdlRequests)
    for vehicle in pick_vehicles(sim, list(account.vehicles), params.vehicles, "exhaust"):
        requests.exhaust(account.name, vehicle.vin, now)
