"""The Reveal part of `GET /_sim/world`: an account's LogBook drivers and its Reveal users with their app ids."""

from __future__ import annotations

from typing import Any

from mockserver.reveal.dutylog import profile_named
from mockserver.reveal.models import APP_ID_PREFIX, reveal_of
from mockserver.world.models import Account


def reveal_summary(account: Account) -> dict[str, list[dict[str, Any]]]:
    """`revealDrivers` and `revealUsers` of one account (empty lists when it has no Reveal side)."""
    reveal = reveal_of(account)
    if reveal is None:
        return {"revealDrivers": [], "revealUsers": []}
    drivers = []
    for driver in reveal.drivers:
        profile = profile_named(driver.profile)
        drivers.append(
            {
                "driverNumber": driver.driver_number,
                "name": driver.name,
                "account": account.name,
                "profile": driver.profile,
                "carrier": profile.carrier.value,
                "shortHaul": profile.short_haul,
                "ruleCycle": driver.rule_cycle,
                "vehicleNumber": driver.vehicle_number,
                "inDataPlan": driver.in_data_plan,
                "homeUtcOffsetHours": driver.home_utc_offset.total_seconds() / 3600,
            }
        )
    users = [
        {
            "username": user.username,
            "password": user.password,
            "appId": reveal.app_ids[0],
            "appIds": list(reveal.app_ids),
            "authorization": f"Atmosphere atmosphere_app_id={APP_ID_PREFIX}{reveal.app_ids[0]}, Bearer <token>",
        }
        for user in reveal.users
    ]
    return {"revealDrivers": drivers, "revealUsers": users}
