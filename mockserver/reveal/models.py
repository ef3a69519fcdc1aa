"""The Reveal side of an account, as world facts: integration users, app ids, vehicles and LogBook drivers.

Facts only; duty statuses and clocks are derived from them and the simulated clock by `mockserver.reveal.logbook`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockserver.world.models import Account

APP_ID_PREFIX = "fleetmatics-p-us-"
PART = "reveal"  # the key of the Reveal side in world files and in `Account.parts`


def normalise_app_id(value: str) -> str:
    """An app id as the world stores it: without Reveal's `fleetmatics-p-us-` prefix."""
    value = value.strip()
    return value[len(APP_ID_PREFIX) :] if value.lower().startswith(APP_ID_PREFIX) else value


@dataclass(frozen=True)
class RevealUser:
    """An integration user of Reveal's token gateway (HTTP Basic on `/token`)."""

    username: str
    password: str


@dataclass(frozen=True)
class RevealVehicle:
    number: str
    name: str


@dataclass(frozen=True)
class RevealDriver:
    """A LogBook driver: who they are, how they work (the duty-log profile) and under which rules.

    `vehicle_number` None: no vehicle assigned. `in_data_plan` False: the account's data plan does not cover the
    driver, so the LogBook API answers 400. `log_seed` seeds the driver's generated duty log.
    """

    driver_number: str
    first_name: str
    last_name: str
    profile: str
    rule_cycle: int
    vehicle_number: str | None
    in_data_plan: bool
    home_utc_offset: timedelta
    log_seed: int
    eld: bool = True  # an ELD driver; only ELD drivers log the "(ELD Only)" sub-statuses Yard Moves, Personal Use

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class RevealAccount:
    """What Reveal knows of one account. `app_ids` are the integrating applications allowed to call it."""

    app_ids: tuple[str, ...]
    users: tuple[RevealUser, ...]
    vehicles: tuple[RevealVehicle, ...]
    drivers: tuple[RevealDriver, ...]
    _driver_index: dict[str, RevealDriver] = field(default_factory=dict, repr=False, compare=False)
    _vehicle_index: dict[str, RevealVehicle] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._driver_index.update({d.driver_number: d for d in self.drivers})
        self._vehicle_index.update({v.number: v for v in self.vehicles})

    def driver(self, driver_number: str) -> RevealDriver | None:
        return self._driver_index.get(driver_number)

    def vehicle(self, number: str | None) -> RevealVehicle | None:
        return None if number is None else self._vehicle_index.get(number)

    def user(self, username: str) -> RevealUser | None:
        return next((u for u in self.users if u.username == username), None)

    def allows_app(self, app_id: str) -> bool:
        return normalise_app_id(app_id) in self.app_ids


def reveal_of(account: Account) -> RevealAccount | None:
    """The account's Reveal side (`Account.parts`), if it has one."""
    part = account.parts.get(PART)
    return part if isinstance(part, RevealAccount) else None
