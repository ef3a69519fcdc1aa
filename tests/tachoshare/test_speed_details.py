"""Detailed speed is a per-account world setting (issue 17, item 9): VU files carry the speed block where it is
mandatory (by the account's country) or where the world activates it, and leave it out elsewhere."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive, available_days
from mockserver.world.build import SPEED_DETAILS_COUNTRIES, build_world
from mockserver.world.models import World
from mockserver.world.schema import WorldSpec
from tests.conftest import bearer


def world(*accounts: tuple[str, str, bool | None]) -> World:
    """One TACHOSHARE PLUS vehicle and driver per account (name, country, speedDetails or None: the default)."""

    def account(name: str, country: str, speed: bool | None) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "name": name,
            "country": country,
            "users": [{"username": f"u-{name}", "password": "p", "displayName": "U"}],
            "vehicles": [{"key": "v", "variant": "TACHOSHARE PLUS", "firstDownload": "-60d", "drivingDays": "Mon-Fri"}],
            "drivers": [{"key": "d", "variant": "TACHOSHARE PLUS", "firstDownload": "-60d"}],
        }
        if speed is not None:
            spec["speedDetails"] = speed
        return spec

    return build_world(
        WorldSpec.model_validate(
            {
                "seed": 5,
                "start": "2026-03-02T08:00:00Z",
                "clients": [{"clientId": "demo-partner", "secret": "s", "name": "C"}],
                "accounts": [account(*a) for a in accounts],
            }
        )
    )


def vu_file(built: World, name: str) -> bytes:
    sim = Simulator(built, SimClock(built.start, rate=0))
    account = built.account(name)
    assert account is not None
    vehicle = account.vehicles[0]
    downloads = sim.tachoshare.vehicle_downloads(account, vehicle, sim.clock.now())
    available = available_days(downloads)
    assert available is not None
    answer = TachographArchive().vehicle_file(
        built, account, vehicle, downloads, available, files.VEHICLE_FORMATS["DDD"]
    )
    assert answer is not None
    return answer.data


def test_the_default_follows_the_country_and_the_world_overrides_it() -> None:
    assert "FR" in SPEED_DETAILS_COUNTRIES and "NL" not in SPEED_DETAILS_COUNTRIES
    built = world(("fr", "FR", None), ("nl", "NL", None), ("nl-on", "NL", True), ("fr-off", "FR", False))
    assert {a.name: a.speed_details for a in built.accounts} == {
        "fr": True,
        "nl": False,
        "nl-on": True,
        "fr-off": False,
    }


@pytest.mark.parametrize("country", ["NL", "FR"])
def test_vu_files_carry_the_speed_block_only_when_the_account_has_it(country: str) -> None:
    with_speed = vu_file(world(("acme", country, True)), "acme")
    without = vu_file(world(("acme", country, False)), "acme")
    default = vu_file(world(("acme", country, None)), "acme")
    assert default == (with_speed if country in SPEED_DETAILS_COUNTRIES else without)
    parsed_with, parsed_without = read_vu_file(with_speed).download, read_vu_file(without).download
    assert parsed_with.speed_blocks and 0 < len(parsed_with.speed_blocks) <= 1440
    assert parsed_without.speed_blocks is None
    # everything but the speed block is the same, and each file is exactly what its content writes
    assert dataclasses.replace(parsed_with, speed_blocks=None) == parsed_without
    assert len(without) < len(with_speed)
    assert write_vu_file(parsed_without) == without and write_vu_file(parsed_with) == with_speed


def test_the_world_view_says_what_the_files_hold() -> None:
    """End to end, both settings and both defaults: `GET /_sim/world` names each account's `speedDetails`, and the
    VU file its vehicle answers over TachoShare has a speed block exactly when the world view says so."""
    built = world(("fr", "FR", None), ("nl", "NL", None), ("nl-on", "NL", True), ("fr-off", "FR", False))
    sim = Simulator(built, SimClock(built.start, rate=0))
    with TestClient(create_app(sim, strict=True), raise_server_exceptions=True) as client:
        summary = client.get("/_sim/world")
        assert summary.status_code == 200
        seen = {a["name"]: (a["country"], a["speedDetails"]) for a in summary.json()["accounts"]}
        assert seen == {"fr": ("FR", True), "nl": ("NL", False), "nl-on": ("NL", True), "fr-off": ("FR", False)}
        for account in summary.json()["accounts"]:
            headers = {**bearer(client, account=account["name"]), "Accept": "application/octet-stream"}
            answer = client.get(f"/tachoshare/vehicles/{account['vehicles'][0]['vin']}/files", headers=headers)
            assert answer.status_code == 200, answer.text
            blocks = read_vu_file(answer.content).download.speed_blocks
            assert bool(blocks) is account["speedDetails"], account["name"]
