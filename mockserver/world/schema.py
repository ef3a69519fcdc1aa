"""The world file format (YAML), validated with pydantic so a bad file is refused with the field named.

Dates in a world file are relative to the world's start, so a world keeps its meaning whatever `--start` says:
`-40d` is forty days before the start, `+2d12h` two and a half days after, `0d` the start itself.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from mockserver.world import extensions
from mockserver.world.identifiers import NATION_CODES

_OFFSET = re.compile(r"^(?P<sign>[+-]?)(?:(?P<days>\d+)d)?(?:(?P<hours>\d+)h)?$")


@functools.lru_cache(maxsize=4096)  # a generated fleet repeats a few hundred offsets (issue 13: world build time)
def parse_offset(text: str) -> timedelta:
    match = _OFFSET.match(text.strip())
    if not match or not (match["days"] or match["hours"]):
        raise ValueError(f"{text!r} is not a relative date such as -40d, +3d or +2d6h")
    delta = timedelta(days=int(match["days"] or 0), hours=int(match["hours"] or 0))
    return -delta if match["sign"] == "-" else delta


Offset = str
GenerationName = Literal["gen1", "gen2v1", "gen2v2"]
VariantName = Literal["TACHOSHARE", "TACHOSHARE PLUS"]
FailureName = Literal[
    "CAN_ERROR",
    "TACHOGRAPH_NOT_RESPONDING",
    "INVALID_VIN_IN_OVERVIEW",
    "SIGNATURE_NOT_VALID",
    "ACTIVITY_NOT_DOWNLOADABLE",
    "SERVICE_NOT_SUPPORTED",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _check_offset(value: str | None) -> str | None:
    if value is not None:
        parse_offset(value)
    return value


class GenerationSpec(_Model):
    since: Offset
    generation: GenerationName

    _since = field_validator("since")(_check_offset)


class UserSpec(_Model):
    username: str = Field(min_length=1)
    password: str = Field(min_length=1)
    display_name: str = Field(alias="displayName")
    depots: list[str] | None = None
    company_cards: bool = Field(True, alias="companyCards")


class CompanyCardSpec(_Model):
    key: str
    group: str
    expires: Offset
    inserted: Offset | None = None
    first_used: Offset | None = Field(None, alias="firstUsed")
    removed: Offset | None = None
    registered: Offset | None = None  # a card pending insertion: when it was registered for insertion

    _offsets = field_validator("expires", "inserted", "first_used", "removed", "registered")(_check_offset)


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_weekdays(text: str) -> frozenset[int]:
    """'Mon-Fri', 'Mon,Wed,Fri' or 'Tue-Sat,Mon' to weekday numbers (0 = Monday)."""
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in _WEEKDAYS or (last and last not in _WEEKDAYS):
            raise ValueError(f"{text!r} is not a set of weekdays such as Mon-Fri or Mon,Wed,Fri")
        start, end = _WEEKDAYS.index(first), _WEEKDAYS.index(last or first)
        days.update(range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)])
    return frozenset(days)


def _check_weekdays(value: str) -> str:
    parse_weekdays(value)
    return value


def _check_nation(value: str) -> str:
    """A country of the reference's appendix "Driver card country codes" (mockserver.world.identifiers)."""
    if value not in NATION_CODES:
        raise ValueError(f"unknown country {value!r}; known: {', '.join(sorted(NATION_CODES))}")
    return value


class VehicleSpec(_Model):
    key: str
    variant: VariantName = "TACHOSHARE"
    depot: str = "Main"
    nation: str | None = None
    generations: list[GenerationSpec] = Field(
        default_factory=lambda: [GenerationSpec(since="-3000d", generation="gen2v2")]
    )
    service_start: Offset = Field("-800d", alias="serviceStart")
    first_download: Offset | None = Field(None, alias="firstDownload")
    failing_since: Offset | None = Field(None, alias="failingSince")
    failure: FailureName | None = None
    lock: str | None = None  # a company card key of the account, or `foreign` for a card the account lacks
    rdl_enabled: bool = Field(True, alias="rdlEnabled")
    telematics_device: bool = Field(True, alias="telematicsDevice")
    link_removed: Offset | None = Field(None, alias="linkRemoved")
    service_expires: Offset | None = Field(None, alias="serviceExpires")
    export_lag_days: int | None = Field(None, alias="exportLagDays", ge=0)
    manual_quota: int = Field(10, alias="manualQuota", ge=0)
    driving_days: str = Field("Mon-Sat", alias="drivingDays")
    ignition: str | None = Field(None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # HH:MM UTC; default: seeded 05-08h
    intermittent_can_errors: float = Field(0.0, alias="intermittentCanErrors", ge=0, le=1)
    manual_requests: list[Offset] = Field(default_factory=list, alias="manualRequests")
    # driver keys of the account who ride in slot 2 of this vehicle (a Gen2v2 unit) on days they drive nowhere else
    co_drivers: list[str] = Field(default_factory=list, alias="coDrivers")

    _offsets = field_validator("service_start", "first_download", "failing_since", "link_removed", "service_expires")(
        _check_offset
    )
    _days = field_validator("driving_days")(_check_weekdays)
    _nation = field_validator("nation")(lambda value: value if value is None else _check_nation(value))

    @field_validator("manual_requests")
    @classmethod
    def _request_offsets(cls, value: list[str]) -> list[str]:
        for offset in value:
            if parse_offset(offset) > timedelta(0):
                raise ValueError(f"manual requests happened before the start; {offset!r} is after it")
        return value


class DriverSpec(_Model):
    key: str
    variant: VariantName = "TACHOSHARE"
    depot: str = "Main"
    country: str | None = None
    generations: list[GenerationSpec] = Field(
        default_factory=lambda: [GenerationSpec(since="-3000d", generation="gen2v1")]
    )
    first_download: Offset | None = Field(None, alias="firstDownload")
    failing_since: Offset | None = Field(None, alias="failingSince")
    card_expires: Offset = Field("+900d", alias="cardExpires")
    export_lag_days: int | None = Field(None, alias="exportLagDays", ge=0)

    _offsets = field_validator("first_download", "failing_since", "card_expires")(_check_offset)
    _country = field_validator("country")(lambda value: value if value is None else _check_nation(value))


class GenerateSpec(_Model):
    """Extra vehicles and drivers filled by Faker with the same realism (a mix of the usual cases)."""

    vehicles: int = Field(0, ge=0)
    drivers: int = Field(0, ge=0)


class AccountSpec(_Model):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    company_name: str | None = Field(None, alias="companyName")
    country: str = "NL"
    users: list[UserSpec]
    company_cards: list[CompanyCardSpec] = Field(default_factory=list, alias="companyCards")
    vehicles: list[VehicleSpec] = Field(default_factory=list)
    drivers: list[DriverSpec] = Field(default_factory=list)
    generate: GenerateSpec = GenerateSpec()
    # detailed speed in VU files; None: on where it is mandatory (`SPEED_DETAILS_COUNTRIES`), off elsewhere
    speed_details: bool | None = Field(None, alias="speedDetails")
    # Gen2v2 driver cards in their own layout (cardStructureVersion 01 01, with the Mobility Package EFs); false:
    # in the Gen2v1 layout, as the demo account's files were frozen before that layout existed
    gen2v2_card_layout: bool = Field(True, alias="gen2v2CardLayout")
    # Gen1 and Gen2v1 vehicle units write their faults (Gen2v2 ones always do); false: not, as the demo account's
    # files were frozen before faults existed
    older_vu_faults: bool = Field(True, alias="olderVuFaults")
    # driver cards record the faults of the units they were in (EF Faults_Data); false: not, as the demo account's
    # card files were frozen before faults existed
    card_faults: bool = Field(True, alias="cardFaults")
    # vehicle units' event records name the cards in their slots and driver cards record those events (EF
    # Events_Data); false: neither, as the demo account's files were frozen before card events existed
    card_events: bool = Field(True, alias="cardEvents")
    # plus one optional field per registered world extension (see `world_spec_model`)

    _country = field_validator("country")(lambda value: _check_nation(value))

    @model_validator(mode="after")
    def _known_co_drivers(self) -> AccountSpec:
        keys = {driver.key for driver in self.drivers}
        for vehicle in self.vehicles:
            unknown = [key for key in vehicle.co_drivers if key not in keys]
            if unknown:
                raise ValueError(f"vehicle {vehicle.key}: coDrivers names unknown drivers {', '.join(unknown)}")
        return self


class ClientSpec(_Model):
    client_id: str = Field(alias="clientId")
    secret: str
    name: str
    redirect_uris: list[str] = Field(default_factory=list, alias="redirectUris")


class WorldSpec(_Model):
    seed: int = 0
    start: datetime
    signing: bool = False  # sign tachograph files with a PKI derived from the seed (GET /_sim/pki)
    clients: list[ClientSpec]
    accounts: list[AccountSpec] = Field(min_length=1)

    @field_validator("start")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("start must carry a time zone, e.g. 2026-11-02T08:00:00Z")
        return value


def world_spec_model() -> type[WorldSpec]:
    """`WorldSpec` whose accounts also accept every registered world extension's key (`mockserver.world.extensions`)."""
    return _world_spec_model(extensions.registered())


@cache
def _world_spec_model(registered: tuple[extensions.WorldExtension, ...]) -> type[WorldSpec]:
    if not registered:
        return WorldSpec
    fields: dict[str, Any] = {ext.key: (ext.model | None, None) for ext in registered}
    account: type[AccountSpec] = create_model("AccountSpec", __base__=AccountSpec, **fields)
    return create_model("WorldSpec", __base__=WorldSpec, accounts=(list[account], Field(min_length=1)))
