"""`GET /_sim/world`: a summary of the world a QA engineer or a CI script can pick identifiers from."""

from __future__ import annotations

from typing import Any

from mockserver.apis import registry
from mockserver.http import iso_instant
from mockserver.simulator import Simulator
from mockserver.world.identifiers import nation_hex
from mockserver.world.models import Account


def _account(account: Account, today: Any) -> dict[str, Any]:
    return {
        "name": account.name,
        "companyName": account.company_name,
        "country": account.country,
        # the world setting of issue 17, item 9: its vehicles' files carry the detailed speed block or none
        "speedDetails": account.speed_details,
        "users": [
            {
                "username": u.username,
                "password": u.password,
                "displayName": u.display_name,
                "depots": sorted(u.visibility.depots) if u.visibility.depots is not None else None,
                "companyCards": u.visibility.company_cards,
            }
            for u in account.users
        ],
        "vehicles": [
            {
                "vin": v.vin,
                "vehicleId": v.vehicle_id,
                "depot": v.depot,
                "licensePlate": v.license_plate,
                "nation": v.nation,
                "generation": v.generation_on(today).value,
            }
            for v in account.vehicles
        ],
        "drivers": [
            {
                "cardNumber": d.card_key,
                "countryCode": nation_hex(d.country),
                "driverId": d.driver_id,
                "depot": d.depot,
                "name": d.name,
            }
            for d in account.drivers
        ],
        "companyCards": [{"cardNumber": c.card_number, "group": c.group} for c in account.company_cards],
        **_api_parts(account),
    }


def _api_parts(account: Account) -> dict[str, Any]:
    """What each API adds about the account (`ApiPlugin.world_summary`)."""
    parts: dict[str, Any] = {}
    for plugin in registry():
        if plugin.world_summary is not None:
            parts.update(plugin.world_summary(account))
    return parts


def world_summary(sim: Simulator) -> dict[str, Any]:
    now = sim.clock.now()
    world = sim.world
    return {
        "seed": world.seed,
        "start": iso_instant(world.start),
        "now": iso_instant(now),
        "clients": [{"clientId": c.client_id, "secret": c.secret, "name": c.name} for c in world.clients],
        "accounts": [_account(a, now.date()) for a in world.accounts],
    }
