"""The `reveal:` section of an account in a world file, and its expansion into `RevealAccount` facts.

Example (in an account of `fixtures/default.yaml`)::

    reveal:
      appIds: [DEMOAPPID]
      users: [{username: demo, password: demo}]
      vehicles: [{number: "85", name: "Vehicle 85"}]
      drivers:
        - {driverNumber: "99", profile: long-haul, ruleCycle: 8, vehicle: "85"}
        - {driverNumber: "104", profile: regional, ruleCycle: 7, vehicle: null, inDataPlan: false}
      generate: {drivers: 3}

`profile` names a registered duty-log profile (`mockserver.reveal.dutylog.profile_names()`): it sets the carrier
type (property or passenger) and the short-haul exception too. Names come from a seeded Faker (en_US) unless given.
This module does not import the world schema (which imports it); the world builder passes its per-entity random
source in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Literal

from faker import Faker
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mockserver.reveal.dutylog import profile_names
from mockserver.reveal.models import (
    RevealAccount,
    RevealDriver,
    RevealUser,
    RevealVehicle,
    normalise_app_id,
)

IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
HOME_UTC_OFFSETS = (-5, -6, -7, -8)  # Eastern, Central, Mountain, Pacific standard time

RngFactory = Callable[..., random.Random]  # (*parts) -> a random source for one entity


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class RevealUserSpec(_Model):
    username: str = Field(min_length=1)
    password: str = Field(min_length=1)


class RevealVehicleSpec(_Model):
    number: str = Field(pattern=IDENTIFIER)
    name: str | None = None


class RevealDriverSpec(_Model):
    driver_number: str | None = Field(None, alias="driverNumber", pattern=IDENTIFIER)
    profile: str
    rule_cycle: Literal[7, 8] = Field(8, alias="ruleCycle")
    vehicle: str | None = None
    in_data_plan: bool = Field(True, alias="inDataPlan")
    first_name: str | None = Field(None, alias="firstName", min_length=1)
    last_name: str | None = Field(None, alias="lastName", min_length=1)
    home_utc_offset: int | None = Field(None, alias="homeUtcOffset", ge=-12, le=14)
    eld: bool = True  # logs on an ELD: only then Yard Moves and Personal Use ("(ELD Only)" in the reference)

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in profile_names():
            raise ValueError(f"unknown driver profile {value!r}; known: {', '.join(profile_names())}")
        return value


class RevealGenerateSpec(_Model):
    """Extra drivers with a random profile, rule cycle and vehicle (for larger fleets and benchmarks)."""

    drivers: int = Field(0, ge=0, le=1000)


class RevealSpec(_Model):
    app_ids: list[str] = Field(alias="appIds", min_length=1)
    users: list[RevealUserSpec] = Field(min_length=1)
    vehicles: list[RevealVehicleSpec] = Field(default_factory=list)
    drivers: list[RevealDriverSpec] = Field(default_factory=list)
    generate: RevealGenerateSpec = RevealGenerateSpec()

    @field_validator("app_ids")
    @classmethod
    def _plain_app_ids(cls, value: list[str]) -> list[str]:
        for app_id in value:
            if not app_id.strip() or normalise_app_id(app_id) != app_id:
                raise ValueError(f"app id {app_id!r}: give it without the fleetmatics-p-us- prefix")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RevealSpec:
        _unique("username", [u.username for u in self.users])
        _unique("vehicle number", [v.number for v in self.vehicles])
        _unique("driverNumber", [d.driver_number for d in self.drivers if d.driver_number is not None])
        numbers = {v.number for v in self.vehicles}
        for driver in self.drivers:
            if driver.vehicle is not None and driver.vehicle not in numbers:
                raise ValueError(f"driver {driver.driver_number or driver.profile}: unknown vehicle {driver.vehicle!r}")
        return self


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def tenant_reveal_spec(username: str, password: str, app_id: str) -> RevealSpec:
    """A small Reveal section for a new tenant: one user, two vehicles, one driver per common profile."""
    return RevealSpec.model_validate(
        {
            "appIds": [app_id],
            "users": [{"username": username, "password": password}],
            "vehicles": [{"number": "1"}, {"number": "2"}],
            "drivers": [
                {"driverNumber": "1", "profile": "long-haul", "ruleCycle": 8, "vehicle": "1"},
                {"driverNumber": "2", "profile": "regional", "ruleCycle": 7, "vehicle": "2"},
                {"driverNumber": "3", "profile": "passenger", "ruleCycle": 8, "vehicle": None},
            ],
        }
    )


@cache
def _faker() -> Faker:
    return Faker("en_US")


def build_reveal_account(spec: RevealSpec, rng: RngFactory) -> RevealAccount:
    """The facts of a `reveal:` section; `rng(*parts)` gives the world's random source for one entity."""
    vehicles = tuple(RevealVehicle(v.number, v.name or f"Vehicle {v.number}") for v in spec.vehicles)
    drivers = [*spec.drivers, *_generated_drivers(spec, rng)]
    taken = {d.driver_number for d in drivers if d.driver_number is not None}
    built = []
    for index, driver in enumerate(drivers):
        number = driver.driver_number
        if number is None:
            number = _free_number(2000 + index, taken)
            taken.add(number)
        built.append(_driver(driver, number, rng("reveal-driver", number)))
    users = tuple(RevealUser(u.username, u.password) for u in spec.users)
    return RevealAccount(tuple(spec.app_ids), users, vehicles, tuple(built))


def _free_number(candidate: int, taken: set[str]) -> str:
    while str(candidate) in taken:
        candidate += 1
    return str(candidate)


def _driver(spec: RevealDriverSpec, number: str, rng: random.Random) -> RevealDriver:
    fake = _faker()
    fake.seed_instance(rng.getrandbits(64))
    first, last = fake.first_name(), fake.last_name()
    offset = spec.home_utc_offset if spec.home_utc_offset is not None else rng.choice(HOME_UTC_OFFSETS)
    return RevealDriver(
        driver_number=number,
        first_name=spec.first_name or first,
        last_name=spec.last_name or last,
        profile=spec.profile,
        rule_cycle=spec.rule_cycle,
        vehicle_number=spec.vehicle,
        in_data_plan=spec.in_data_plan,
        home_utc_offset=timedelta(hours=offset),
        log_seed=rng.getrandbits(63),
        eld=spec.eld,
    )


def _generated_drivers(spec: RevealSpec, rng: RngFactory) -> list[RevealDriverSpec]:
    numbers = [v.number for v in spec.vehicles]
    generated = []
    for index in range(spec.generate.drivers):
        draw = rng("reveal-generated-driver", str(index))
        generated.append(
            RevealDriverSpec(
                profile=draw.choice(profile_names()),
                rule_cycle=draw.choice((7, 8)),
                vehicle=draw.choice(numbers) if numbers and draw.random() < 0.9 else None,
            )
        )
    return generated
