"""`GET /_sim/world` names every per-account setting that decides what the account's tachograph files carry (issue
17, item 16): `speedDetails`, `gen2v2CardLayout`, `olderVuFaults`, `cardFaults` and `cardEvents`, as the world
file sets them or by their defaults. The app runs strict, so the answer is also validated against
specs/control.yaml's AccountSummary (which declares them, required, and nothing else)."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.resources import default_world_path, spec_path
from mockserver.simulator import Simulator
from mockserver.world import load_world
from mockserver.world.build import build_world
from mockserver.world.schema import WorldSpec

SETTINGS = ("speedDetails", "gen2v2CardLayout", "olderVuFaults", "cardFaults", "cardEvents")


def _account(name: str, **settings: bool) -> dict[str, Any]:
    return {
        "name": name,
        "country": "DE",
        "users": [{"username": f"u-{name}", "password": "p", "displayName": "U"}],
        "vehicles": [{"key": "v", "firstDownload": "-30d"}],
        **settings,
    }


def _settings(sim: Simulator) -> dict[str, dict[str, bool]]:
    with TestClient(create_app(sim, strict=True), raise_server_exceptions=True) as client:
        answer = client.get("/_sim/world")
        assert answer.status_code == 200, answer.text
        return {a["name"]: {key: a[key] for key in SETTINGS} for a in answer.json()["accounts"]}


def test_the_world_view_shows_each_accounts_file_settings() -> None:
    spec = WorldSpec.model_validate(
        {
            "seed": 3,
            "start": "2026-03-02T08:00:00Z",
            "clients": [{"clientId": "c", "secret": "s", "name": "C"}],
            "accounts": [
                _account("defaults"),
                _account("all-off", **dict.fromkeys(SETTINGS, False)),
                _account("events-off", cardEvents=False, speedDetails=True),
            ],
        }
    )
    world = build_world(spec)
    seen = _settings(Simulator(world, SimClock(world.start, rate=0)))
    on = dict.fromkeys(SETTINGS, True)
    assert seen == {
        "defaults": {**on, "speedDetails": False},  # DE: detailed speed is not on by default
        "all-off": dict.fromkeys(SETTINGS, False),
        "events-off": {**on, "cardEvents": False},
    }


def test_the_default_worlds_demo_account_shows_why_its_files_are_frozen() -> None:
    world = load_world(default_world_path())
    seen = _settings(Simulator(world, SimClock(world.start, rate=0)))
    assert seen["demo"] == dict.fromkeys(SETTINGS, False)  # NL: no detailed speed; the rest kept off on purpose
    others = [name for name in seen if name != "demo"]
    assert others and all(seen[name]["cardEvents"] and seen[name]["cardFaults"] for name in others)


def test_the_spec_declares_them_required() -> None:
    import yaml

    spec = yaml.safe_load(spec_path("control").read_text())
    summary = spec["components"]["schemas"]["AccountSummary"]
    assert set(SETTINGS) <= set(summary["required"])
    assert all(summary["properties"][key]["type"] == "boolean" for key in SETTINGS)
