"""Expand a world file into the world's facts, deterministically under the seed.

Every random choice comes from a `random.Random` derived from (seed, account, entity key), so one entity's
facts do not change when another is added, and the same file + seed always gives the same world. Faker (seeded
per entity, with the locale of the entity's country) fills names and plates. Dates never come from Faker: its
date providers count from the machine's today, which would make a world change with the wall clock.
"""

from __future__ import annotations

import functools
import hashlib
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from faker import Faker
from faker.generator import Generator

from mockserver.world import extensions
from mockserver.world import identifiers as ids
from mockserver.world.generated import GeneratedDriverSpec, generated_driver, generated_vehicle
from mockserver.world.models import (
    Account,
    CompanyCard,
    DownloadPlan,
    Driver,
    DrivingPattern,
    FailureMode,
    Generation,
    GenerationPeriod,
    LazyEntities,
    OAuthClient,
    ServiceVariant,
    User,
    Vehicle,
    Visibility,
    World,
)
from mockserver.world.names import person_name
from mockserver.world.schema import (
    AccountSpec,
    CompanyCardSpec,
    DriverSpec,
    GenerationSpec,
    VehicleSpec,
    WorldSpec,
    parse_offset,
    parse_weekdays,
)

# Where the detailed speed of VU downloads is mandatory, so an account's files carry it unless its world says not.
# The reference says "only for the countries in which these details are mandatory" without naming them: France
# (its national rules on downloads) is the project's choice, listed in the README.
SPEED_DETAILS_COUNTRIES = frozenset({"FR"})

_TACHOGRAPH_MODELS: dict[Generation, tuple[str, ...]] = {
    Generation.GEN1: ("VDO DTCO 1381 Rel. 2.2", "Stoneridge SE5000 Rev 7.6"),
    Generation.GEN2V1: ("VDO DTCO 4.0", "Stoneridge SE5000 Rev 8.0"),
    Generation.GEN2V2: ("VDO DTCO 4.1", "Stoneridge SE5000 Exakt Duo2 Rev 8.4"),
}
MIN_DRIVER_AGE, MAX_DRIVER_AGE = 21, 64
_MAKERS = tuple(sorted(ids.TRUCK_MAKERS))


def derive_rng(seed: int, *parts: str) -> random.Random:
    """A random source for one entity, independent of every other entity's."""
    digest = hashlib.sha256("\x1f".join((str(seed), *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


_MAKING = threading.Lock()
"""Held while a shared Faker instance is seeded and drawn from (a driver made, a plate, a company name): Faker's
instances are shared per locale by every world and account, so two threads drawing at once (a tenant account built
while a request makes lazy drivers) would interleave their draws and the names would depend on timing."""


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def _fake(country: str, rng: random.Random) -> Faker:
    fake = _faker(ids.FAKER_LOCALES.get(country, "en_GB"))
    fake.seed_instance(rng.getrandbits(64))
    return fake


@cache
def _generator(country: str) -> Generator:
    """The one generator of the country's Faker: what `_fake` seeds and draws from, without the proxy in between
    (its attribute look-ups cost a driver as much as its names; issue 13)."""
    (generator,) = _faker(ids.FAKER_LOCALES.get(country, "en_GB")).factories
    return generator


def _seeded(country: str, rng: random.Random) -> Generator:
    """`_fake(country, rng)`'s generator, seeded as `_fake` seeds it (`Faker.seed_instance` seeds each generator)."""
    generator = _generator(country)
    generator.seed_instance(rng.getrandbits(64))
    return generator


@dataclass(frozen=True)
class _Context:
    seed: int
    start: datetime
    account: AccountSpec

    def at(self, offset: str | None) -> datetime | None:
        return None if offset is None else self.start + parse_offset(offset)

    def day(self, offset: str | None) -> date | None:
        moment = self.at(offset)
        return None if moment is None else moment.date()

    def rng(self, *parts: str) -> random.Random:
        return derive_rng(self.seed, self.account.name, *parts)


def build_world(
    spec: WorldSpec,
    seed: int | None = None,
    start: datetime | None = None,
    vehicles: int | None = None,
    drivers: int | None = None,
    lazy: bool = True,
) -> World:
    """The world of `spec`; `seed`, `start` and the fleet size override the file (the first account is scaled);
    `lazy=False` makes every driver now (the same facts: `_drivers`)."""
    seed = spec.seed if seed is None else seed
    start = (spec.start if start is None else start).astimezone(UTC).replace(microsecond=0)
    accounts = []
    for index, account_spec in enumerate(spec.accounts):
        if index == 0 and (vehicles is not None or drivers is not None):
            account_spec = _scaled(account_spec, vehicles, drivers)
        accounts.append(build_account(_Context(seed, start, account_spec), lazy))
    clients = tuple(OAuthClient(c.client_id, c.secret, c.name, tuple(c.redirect_uris)) for c in spec.clients)
    return World(
        seed=seed,
        start=start,
        accounts=tuple(accounts),
        clients=clients,
        signing=spec.signing,
        tenant_template=spec.accounts[0],
    )


def build_tenant_account(template: AccountSpec, name: str, seed: int, start: datetime) -> Account:
    """An isolated account made from `template`: its own name, seed, users and Reveal users (prefixed `name.`)."""
    users = [u.model_copy(update={"username": f"{name}.{u.username}"}) for u in template.users]
    update: dict[str, Any] = {"name": name, "company_name": None, "users": users}
    for extension in extensions.registered():
        part = getattr(template, extension.key, None)
        if part is not None:
            update[extension.key] = extension.for_tenant(part, name)
    spec = template.model_copy(update=update)
    return build_account(_Context(seed, start, spec))


def _scaled(account: AccountSpec, vehicles: int | None, drivers: int | None) -> AccountSpec:
    """Scale an account to `vehicles`/`drivers` in all, keeping its hand-written cases first."""
    extra_v = account.generate.vehicles if vehicles is None else max(0, vehicles - len(account.vehicles))
    extra_d = account.generate.drivers if drivers is None else max(0, drivers - len(account.drivers))
    explicit_v = account.vehicles if vehicles is None else account.vehicles[:vehicles]
    explicit_d = account.drivers if drivers is None else account.drivers[:drivers]
    return account.model_copy(
        update={
            "vehicles": explicit_v,
            "drivers": explicit_d,
            "generate": account.generate.model_copy(update={"vehicles": extra_v, "drivers": extra_d}),
        }
    )


def build_account(ctx: _Context, lazy: bool = True) -> Account:
    """The account's facts; `lazy` makes generated fleets' drivers when first read (`_drivers`)."""
    spec = ctx.account
    groups = {
        card.group: ids.make_company_card_group(ctx.rng("group", card.group), spec.country)
        for card in spec.company_cards
    }
    company_name = spec.company_name or _company_name(spec.country, ctx.rng("company"))
    cards = tuple(
        _company_card(ctx, card, groups, index, company_name) for index, card in enumerate(spec.company_cards)
    )
    card_numbers = {c.key: card.card_number for c, card in zip(spec.company_cards, cards, strict=True)}
    vehicle_specs = [
        *spec.vehicles,
        *(generated_vehicle(ctx.rng("generated-vehicle", str(i)), i, spec) for i in range(spec.generate.vehicles)),
    ]
    drivers_ = _drivers(ctx, lazy)
    card_keys = {d.key: drivers_[index].card_key for index, d in enumerate(spec.drivers)}  # co-drivers: written ones
    vehicles = tuple(_vehicle(ctx, v, index, card_numbers, card_keys) for index, v in enumerate(vehicle_specs))
    users = tuple(
        User(
            u.username,
            u.password,
            u.display_name,
            Visibility(frozenset(u.depots) if u.depots is not None else None, u.company_cards),
        )
        for u in spec.users
    )
    parts = {
        extension.key: extension.build(part, ctx.rng)
        for extension in extensions.registered()
        if (part := getattr(spec, extension.key, None)) is not None
    }
    speed = spec.speed_details if spec.speed_details is not None else spec.country in SPEED_DETAILS_COUNTRIES
    return Account(
        spec.name,
        company_name,
        spec.country,
        users,
        vehicles,
        drivers_,
        cards,
        speed,
        spec.gen2v2_card_layout,
        spec.older_vu_faults,
        spec.card_faults,
        spec.card_events,
        parts=parts,
    )


def _drivers(ctx: _Context, lazy: bool) -> Sequence[Driver]:
    """The account's drivers: the written ones, then the generated ones, each made from its own derived seeds.

    Lazy (`LazyEntities`): a driver is made when first read, so a large world is ready without its drivers (issue
    13); the same drivers as the eager tuple, whatever the order of reads (each reads only its own seeds)."""
    written = ctx.account.drivers

    def make(index: int) -> Driver:
        with _MAKING:
            if index < len(written):
                return _driver(ctx, written[index], index)
            generated = index - len(written)
            spec = generated_driver(ctx.rng("generated-driver", str(generated)), generated, ctx.account)
            return _driver(ctx, spec, index)

    count = len(written) + ctx.account.generate.drivers
    return LazyEntities(count, make) if lazy else tuple(make(index) for index in range(count))


def _company_card(
    ctx: _Context, spec: CompanyCardSpec, groups: dict[str, str], index: int, company_name: str
) -> CompanyCard:
    copy = sum(1 for other in ctx.account.company_cards[:index] if other.group == spec.group) + 1
    expiry = ctx.day(spec.expires)
    assert expiry is not None
    return CompanyCard(
        card_number=f"{groups[spec.group]}{copy:03d}",
        company_name=company_name,
        card_id=str(2300 + ctx.rng("card-id", spec.key).randrange(100, 9000) * 10 + index),
        expiry=expiry,
        inserted=ctx.day(spec.inserted),
        first_used=ctx.day(spec.first_used),
        removed=ctx.day(spec.removed),
        registered=ctx.day(spec.registered),
    )


def _periods(ctx: _Context, specs: Sequence[GenerationSpec]) -> tuple[GenerationPeriod, ...]:
    return _periods_from(ctx.start, tuple((g.since, g.generation) for g in specs))


@functools.lru_cache(maxsize=1024)  # key: the start and the written periods, all they are made of: a hit is exact
def _periods_from(start: datetime, specs: tuple[tuple[str, str], ...]) -> tuple[GenerationPeriod, ...]:
    """The periods of a unit or card (frozen, so shared: every generated driver has the default one; issue 13)."""
    periods = []
    for since, generation in sorted(specs, key=lambda g: parse_offset(g[0])):
        periods.append(GenerationPeriod((start + parse_offset(since)).date(), Generation(generation)))
    return tuple(periods)


def _vehicle(
    ctx: _Context, spec: VehicleSpec, index: int, card_numbers: dict[str, str], card_keys: dict[str, str]
) -> Vehicle:
    rng = ctx.rng("vehicle", spec.key)
    nation = spec.nation or ctx.account.country
    wmi = rng.choice(_MAKERS)
    generations = _periods(ctx, spec.generations)
    service_start = ctx.day(spec.service_start)
    assert service_start is not None
    model_year = (generations[0].since if generations[0].since.year > 2009 else service_start).year
    if spec.lock is None:
        lock = None
    elif spec.lock == "foreign":
        lock = ids.make_company_card_group(ctx.rng("foreign-lock", spec.key), "DE") + "001"
    else:
        lock = card_numbers[spec.lock]
    hour = time(hour=5 + rng.randrange(4), minute=rng.randrange(60))
    if spec.ignition is not None:
        hour = time.fromisoformat(spec.ignition)
    driving = DrivingPattern(parse_weekdays(spec.driving_days), hour)
    first = ctx.at(spec.first_download)
    return Vehicle(
        vin=ids.make_vin(rng, wmi, max(2010, min(model_year, 2039))),
        vehicle_id=str(100 + index * 7 + rng.randrange(7)),
        depot=spec.depot,
        nation=nation,
        license_plate=_plate(nation, rng),
        maker=ids.TRUCK_MAKERS[wmi],
        tachograph_model=rng.choice(_TACHOGRAPH_MODELS[generations[-1].generation]),
        generations=generations,
        variant=ServiceVariant(spec.variant),
        service_start=service_start,
        downloads=DownloadPlan(_first_ignition(first, driving), ctx.at(spec.failing_since)),
        locked_company_card=lock,
        failure=FailureMode(spec.failure) if spec.failure else None,
        rdl_enabled=spec.rdl_enabled,
        telematics_device=spec.telematics_device,
        link_removed=ctx.day(spec.link_removed),
        service_expires=ctx.day(spec.service_expires),
        export_lag_days=spec.export_lag_days,
        manual_quota=spec.manual_quota,
        driving=driving,
        intermittent_can_errors=spec.intermittent_can_errors,
        manual_requests=tuple(sorted(ctx.start + parse_offset(o) for o in spec.manual_requests)),
        co_drivers=tuple(card_keys[key] for key in spec.co_drivers),
    )


def _first_ignition(moment: datetime | None, driving: DrivingPattern) -> datetime | None:
    if moment is None:
        return None
    return driving.ignition_at_or_after(datetime.combine(moment.date(), time(0), tzinfo=UTC))


def _at_hour(moment: datetime | None, hour: time) -> datetime | None:
    if moment is None:
        return None
    return datetime.combine(moment.date(), hour, tzinfo=UTC)


def _plate(country: str, rng: random.Random) -> str:
    with _MAKING:
        plate: str = _fake(country, rng).license_plate()
    return plate.upper()


def _company_name(country: str, rng: random.Random) -> str:
    with _MAKING:
        name: str = _fake(country, rng).company()
    return name


def _driver(ctx: _Context, spec: DriverSpec | GeneratedDriverSpec, index: int) -> Driver:
    rng = ctx.rng("driver", spec.key)
    country = spec.country or ctx.account.country
    fake = _seeded(country, rng)
    generations = _periods(ctx, spec.generations)
    card_expiry = ctx.day(spec.card_expires)
    assert card_expiry is not None
    hour = time(hour=5 + rng.randrange(4), minute=rng.randrange(60))
    first_names, surname = person_name(fake)
    return Driver(
        driver_id=str(350000 + index * 13 + rng.randrange(13)),
        card_number=ids.make_driver_card_number(rng, country, renewal=len(generations) - 1),
        country=country,
        first_names=first_names,
        surname=surname,
        birth_date=birth_date(ctx.rng("driver-birth", spec.key), ctx.start.date()),
        depot=spec.depot,
        variant=ServiceVariant(spec.variant),
        downloads=DownloadPlan(_at_hour(ctx.at(spec.first_download), hour), ctx.at(spec.failing_since)),
        generations=generations,
        card_expiry=card_expiry,
        export_lag_days=spec.export_lag_days,
    )


def birth_date(rng: random.Random, today: date) -> date:
    """A birth date that makes a driver 21 to 64 years old on `today` (the world's start, not the wall clock)."""
    oldest, span = _birth_range(today)
    return oldest + timedelta(days=rng.randrange(span))


@functools.lru_cache(maxsize=64)  # key: the day the range is counted from, all it depends on
def _birth_range(today: date) -> tuple[date, int]:
    """The earliest birth date of a driver 21 to 64 years old on `today`, and how many days the range has."""
    youngest = _years_before(today, MIN_DRIVER_AGE)  # the latest birth date of a driver aged 21
    oldest = _years_before(today, MAX_DRIVER_AGE + 1) + timedelta(days=1)  # the earliest of one aged 64
    return oldest, (youngest - oldest).days + 1


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
