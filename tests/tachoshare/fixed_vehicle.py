"""One made-up DAF with a fixed identity, for tests of the download rules: only the fields a test varies are given."""

from __future__ import annotations

from typing import Any

from mockserver.world.models import Vehicle


def daf(**fields: Any) -> Vehicle:
    """The vehicle with `fields` (generations, variant, service start, downloads, ...) and a fixed identity."""
    return Vehicle(
        vin="1M8GDM9AXKP042788",
        vehicle_id="1",
        depot="Main",
        nation="NL",
        license_plate="AB-123-C",
        maker="DAF",
        tachograph_model="VDO DTCO 4.1",
        **fields,
    )
