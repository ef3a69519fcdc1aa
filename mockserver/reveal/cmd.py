"""Reveal's CMD resources that the LogBook answers link to: a driver, a vehicle, a driver's LogBook settings.

The LogBook reference names what they hold ("Current driver number and name", "Current vehicle number and
name", "Current Rule Set", "Is ELD, Boolean field") but shows no answer; the shapes are the simulator's
(specs/reveal-cmd.yaml). Access is the LogBook API's: the principal's account, 404 for an unknown driver or
vehicle, 400 for a driver outside the data plan.

Not simulated: the rest of Reveal's CMD API (creating or editing drivers and vehicles, groups, assignments
history); fault rules and rate limits name the `reveal` API and do not reach these resources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mockserver.reveal.dutylog.profiles import profile_named
from mockserver.reveal.errors import DriverNotFound, OutsideDataPlan, RevealError
from mockserver.reveal.gateway import RevealPrincipal
from mockserver.reveal.hos.models import CarrierType
from mockserver.reveal.models import RevealAccount, RevealDriver, RevealVehicle


class VehicleNotFound(RevealError):
    status = 404

    def __init__(self, vehicle_number: str) -> None:
        super().__init__(f"Vehicle Information not found for VehicleNumber: {vehicle_number}")


@dataclass(frozen=True)
class CmdDriver:
    driver: RevealDriver
    vehicle: RevealVehicle | None


@dataclass(frozen=True)
class LogbookSettings:
    driver_number: str
    rule_set: str
    rule_cycle: int
    is_eld: bool


def rule_set_name(carrier: CarrierType, cycle_days: int, short_haul: bool) -> str:
    """The FMCSA rule set in words, e.g. `USA Property 70 hour / 8 day`."""
    hours = 70 if cycle_days == 8 else 60
    name = f"USA {carrier.value.capitalize()} {hours} hour / {cycle_days} day"
    return f"{name} (short-haul exception)" if short_haul else name


class CmdService:
    """CMD reads for a principal; `accounts` maps an account name to its Reveal side."""

    def __init__(self, accounts: Callable[[str], RevealAccount | None]) -> None:
        self._accounts = accounts

    def _account(self, principal: RevealPrincipal) -> RevealAccount | None:
        return self._accounts(principal.account)

    def _driver(self, principal: RevealPrincipal, driver_number: str) -> tuple[RevealAccount, RevealDriver]:
        account = self._account(principal)
        driver = None if account is None else account.driver(driver_number)
        if account is None or driver is None:
            raise DriverNotFound(driver_number)
        if not driver.in_data_plan:
            raise OutsideDataPlan(f"DriverNumber {driver_number}")
        return account, driver

    def driver(self, principal: RevealPrincipal, driver_number: str) -> CmdDriver:
        account, driver = self._driver(principal, driver_number)
        return CmdDriver(driver, account.vehicle(driver.vehicle_number))

    def settings(self, principal: RevealPrincipal, driver_number: str) -> LogbookSettings:
        _, driver = self._driver(principal, driver_number)
        profile = profile_named(driver.profile)
        rule_set = rule_set_name(profile.carrier, driver.rule_cycle, profile.short_haul)
        return LogbookSettings(driver.driver_number, rule_set, driver.rule_cycle, driver.eld)

    def vehicles(self, principal: RevealPrincipal) -> tuple[RevealVehicle, ...]:
        account = self._account(principal)
        return () if account is None else account.vehicles

    def vehicle(self, principal: RevealPrincipal, vehicle_number: str) -> RevealVehicle:
        account = self._account(principal)
        vehicle = None if account is None else account.vehicle(vehicle_number)
        if vehicle is None:
            raise VehicleNotFound(vehicle_number)
        return vehicle
