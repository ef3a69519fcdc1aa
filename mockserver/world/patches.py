"""World patches: changes of facts a scenario makes at run time (a unit retrofitted, a vehicle starting to fail).

Patches are state (section `worldPatches`), applied on top of the world file and the tenants whenever the world is
rebuilt, so snapshots and `--state` files reproduce them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from mockserver.clock import format_instant, parse_instant
from mockserver.world.models import (
    Account,
    DownloadPlan,
    FailureMode,
    Generation,
    GenerationPeriod,
    Vehicle,
    World,
)

SECTION = "worldPatches"


@dataclass(frozen=True)
class Retrofit:
    """The vehicle unit is replaced by one of `generation` on `at`'s date."""

    account: str
    vin: str
    at: datetime
    generation: Generation

    def apply(self, vehicle: Vehicle) -> Vehicle:
        periods = (*vehicle.generations, GenerationPeriod(self.at.date(), self.generation))
        return replace(vehicle, generations=tuple(sorted(periods, key=lambda p: p.since)))


@dataclass(frozen=True)
class StartFailing:
    """From `at` on, every remote download of the vehicle fails with `failure`."""

    account: str
    vin: str
    at: datetime
    failure: FailureMode

    def apply(self, vehicle: Vehicle) -> Vehicle:
        plan = DownloadPlan(vehicle.downloads.first, self.at)
        return replace(vehicle, downloads=plan, failure=self.failure)


Patch = Retrofit | StartFailing


@dataclass
class WorldPatches:
    patches: list[Patch] = field(default_factory=list)

    def to_json(self) -> Any:
        out = []
        for p in self.patches:
            base = {"account": p.account, "vin": p.vin, "at": format_instant(p.at)}
            if isinstance(p, Retrofit):
                out.append({**base, "kind": "retrofit", "generation": p.generation.value})
            else:
                out.append({**base, "kind": "startFailing", "failure": p.failure.value})
        return {"patches": out}

    @classmethod
    def from_json(cls, data: Any | None) -> WorldPatches:
        patches: list[Patch] = []
        for raw in (data or {}).get("patches", []):
            at = parse_instant(str(raw["at"]))
            if raw["kind"] == "retrofit":
                patches.append(Retrofit(str(raw["account"]), str(raw["vin"]), at, Generation(raw["generation"])))
            elif raw["kind"] == "startFailing":
                patches.append(StartFailing(str(raw["account"]), str(raw["vin"]), at, FailureMode(raw["failure"])))
            else:
                raise ValueError(f"unknown world patch kind {raw['kind']!r}")
        return cls(patches)


def patch_world(world: World, patches: list[Patch]) -> World:
    if not patches:
        return world
    accounts = []
    for account in world.accounts:
        mine = [p for p in patches if p.account == account.name]
        if not mine:
            accounts.append(account)
            continue
        vehicles = []
        for vehicle in account.vehicles:
            for patch in mine:
                if patch.vin == vehicle.vin:
                    vehicle = patch.apply(vehicle)
            vehicles.append(vehicle)
        accounts.append(
            Account(
                account.name,
                account.company_name,
                account.country,
                account.users,
                tuple(vehicles),
                account.drivers,
                account.company_cards,
                account.speed_details,
                account.gen2v2_card_layout,
                account.older_vu_faults,
                account.card_faults,
                account.card_events,
                parts=account.parts,
            )
        )
    return replace(world, accounts=tuple(accounts))
