"""Generated fleet members: a world file's `generate: {vehicles: N, drivers: N}` as vehicle and driver specs.

Each spec is drawn from its own random source (`build.derive_rng` of the account and the member's index), so a
member is the same whatever others exist or were made before it (drivers are made lazily, when first read).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mockserver.world.schema import AccountSpec, DriverSpec, GenerationSpec, VehicleSpec, parse_offset

_COUNTRIES = ("NL", "DE", "ES", "FR", "BE", "PL", "IT")


def _usable_cards(account: AccountSpec) -> list[str]:
    """The company cards a generated vehicle may be locked to (inserted, not removed, not expired at the start)."""
    return [c.key for c in account.company_cards if c.inserted and not c.removed and parse_offset(c.expires).days > 0]


def generated_vehicle(rng: random.Random, index: int, account: AccountSpec) -> VehicleSpec:
    """A Faker-filled vehicle: mostly healthy, some delayed or failing, as a real fleet looks."""
    usable = _usable_cards(account)
    roll = rng.random()
    failing: dict[str, object] = {}
    if roll > 0.9:
        failing = {
            "failingSince": f"-{rng.randrange(8, 40)}d",
            "failure": rng.choice(["CAN_ERROR", "TACHOGRAPH_NOT_RESPONDING"]),
        }
    generation = rng.choices(["gen1", "gen2v1", "gen2v2"], weights=[3, 4, 3])[0]
    return VehicleSpec.model_validate(
        {
            "key": f"generated-{index}",
            "variant": rng.choice(["TACHOSHARE", "TACHOSHARE PLUS"]),
            "depot": rng.choice(["North", "South"]),
            "nation": rng.choice((account.country, *_COUNTRIES)),
            "generations": [{"since": f"-{rng.randrange(400, 3000)}d", "generation": generation}],
            "firstDownload": f"-{rng.randrange(120, 700)}d",
            "lock": rng.choice(usable) if usable and rng.random() > 0.05 else None,
            "exportLagDays": rng.choice([None, None, 1, 2]),
            **failing,
        }
    )


def generated_driver(rng: random.Random, index: int, account: AccountSpec) -> GeneratedDriverSpec:
    """A Faker-filled driver: mostly downloaded daily, some never, some failing, some exported late."""
    return GeneratedDriverSpec(**generated_driver_fields(rng, index, account))


@cache
def _default_generations() -> tuple[GenerationSpec, ...]:
    factory = DriverSpec.model_fields["generations"].default_factory
    assert factory is not None
    return tuple(factory())  # type: ignore[call-arg]


@dataclass(frozen=True, slots=True)
class GeneratedDriverSpec:
    """A generated driver's `DriverSpec` fields, drawn and not validated: every value drawn is one validation accepts
    unchanged, so validating it could neither refuse nor change it.

    The key is a string, the variant one of `VariantName`'s, the depot a string, the country the account's (a
    validated `AccountSpec`) or one of `_COUNTRIES` (nation codes), the offsets `-Nd`/`+Nd` with N >= 3, the lag
    None or 1, the generations `DriverSpec`'s default (made once by its factory, frozen items). Building a pydantic
    model per driver cost 5-9 µs of a driver's 50 (validation, then `model_construct`; issue 13).
    `tests/world/test_generated.py` compares the fields and the driver made from them with a validated `DriverSpec`.
    """

    key: str
    variant: str
    depot: str
    country: str
    first_download: str | None
    failing_since: str | None
    card_expires: str
    export_lag_days: int | None
    generations: tuple[GenerationSpec, ...] = field(default_factory=_default_generations)


def generated_driver_fields(rng: random.Random, index: int, account: AccountSpec) -> dict[str, Any]:
    """The drawn fields of generated driver `index`, by field name (the draws' order is the world's: keep it)."""
    roll = rng.random()
    return {
        "key": f"generated-{index}",
        "variant": rng.choice(["TACHOSHARE", "TACHOSHARE PLUS"]),
        "depot": rng.choice(["North", "South"]),
        "country": rng.choice((account.country, *_COUNTRIES)),
        "first_download": None if roll < 0.03 else f"-{rng.randrange(60, 700)}d",
        "failing_since": f"-{rng.randrange(3, 40)}d" if roll > 0.92 else None,
        "card_expires": f"+{rng.randrange(30, 1800)}d",
        "export_lag_days": rng.choice([None, None, 1]),
    }
