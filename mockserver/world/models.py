"""The world's facts: accounts, users, vehicles, drivers and company cards, as frozen dataclasses.

Facts are what a world file declares (after expansion with the seed); everything the API shows that depends on
time (statuses, next scheduled dates, occupation) is derived from these facts and the clock by the API packages'
rules, never stored here, so nothing can disagree.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from mockserver.world.schema import AccountSpec


class ServiceVariant(enum.Enum):
    """WEBFLEET TachoShare service variants and their remote-download periodicity in days."""

    TACHOSHARE = "TACHOSHARE"
    TACHOSHARE_PLUS = "TACHOSHARE PLUS"

    @property
    def vehicle_period_days(self) -> int:
        return 28 if self is ServiceVariant.TACHOSHARE else 7

    @property
    def driver_period_days(self) -> int:
        return 7 if self is ServiceVariant.TACHOSHARE else 1


class Generation(enum.Enum):
    """Tachograph generation of a vehicle unit or driver card."""

    GEN1 = "gen1"
    GEN2V1 = "gen2v1"
    GEN2V2 = "gen2v2"


class FailureMode(enum.Enum):
    """Why a vehicle's remote downloads fail, as the health result the API reports."""

    CAN_ERROR = "CAN_ERROR"
    TACHOGRAPH_NOT_RESPONDING = "TACHOGRAPH_NOT_RESPONDING"
    INVALID_VIN_IN_OVERVIEW = "INVALID_VIN_IN_OVERVIEW"
    SIGNATURE_NOT_VALID = "SIGNATURE_NOT_VALID"
    ACTIVITY_NOT_DOWNLOADABLE = "ACTIVITY_NOT_DOWNLOADABLE"
    SERVICE_NOT_SUPPORTED = "SERVICE_NOT_SUPPORTED"


@dataclass(frozen=True)
class Visibility:
    """What a Webfleet user may see, and so what a token that user consented to may see.

    `depots` None means every depot; `company_cards` False hides company cards and their groups.
    """

    depots: frozenset[str] | None = None
    company_cards: bool = True

    def sees_depot(self, depot: str) -> bool:
        return self.depots is None or depot in self.depots


@dataclass(frozen=True)
class User:
    username: str
    password: str
    display_name: str
    visibility: Visibility = Visibility()


@dataclass(frozen=True)
class GenerationPeriod:
    """From `since` on (inclusive), the unit or card is of `generation`."""

    since: date
    generation: Generation


@dataclass(frozen=True)
class DownloadPlan:
    """How remote downloads of one vehicle unit or driver card went and go.

    Scheduled downloads happen every period from `first` on, at `hour` UTC, as long as the service runs and until
    `failing_since`, after which every attempt fails (the health result says why). None for `first` means
    nothing was ever downloaded.
    """

    first: datetime | None
    failing_since: datetime | None = None


@dataclass(frozen=True)
class DrivingPattern:
    """When a vehicle drives: the weekdays (0 = Monday) and the time its ignition turns on (UTC).

    Remote downloads, scheduled and manual, run when the ignition turns on.
    Not simulated: more than one ignition a day.
    """

    weekdays: frozenset[int] = frozenset(range(6))
    ignition: time = time(6, 0)

    def ignition_at_or_after(self, moment: datetime) -> datetime:
        """The first ignition at or after `moment`."""
        day = moment.date()
        if moment.time() > self.ignition:  # moment is UTC, the ignition time naive UTC
            day += timedelta(days=1)
        for _ in range(8):
            if day.weekday() in self.weekdays:
                return datetime.combine(day, self.ignition, tzinfo=UTC)
            day += timedelta(days=1)
        raise ValueError("a driving pattern needs at least one weekday")


@dataclass(frozen=True)
class CompanyCard:
    card_number: str  # 16 characters: 13 for the card, 3 for the copy
    company_name: str
    card_id: str
    expiry: date
    inserted: date | None  # None: still pending insertion
    first_used: date | None  # the expiration date is shown once the card was used in an RDL
    removed: date | None = None
    registered: date | None = None  # pending insertion: the date the copy was registered for insertion

    @property
    def group(self) -> str:
        return self.card_number[:13]


@dataclass(frozen=True)
class Vehicle:
    vin: str
    vehicle_id: str
    depot: str
    nation: str  # registration country, e.g. "NL"
    license_plate: str
    maker: str
    tachograph_model: str
    generations: tuple[GenerationPeriod, ...]
    variant: ServiceVariant
    service_start: date
    downloads: DownloadPlan
    locked_company_card: str | None = None
    failure: FailureMode | None = None
    rdl_enabled: bool = True
    telematics_device: bool = True
    link_removed: date | None = None
    service_expires: date | None = None
    export_lag_days: int | None = None  # VDO Fleet / Optac3 export this many days behind, None: no export
    manual_quota: int = 10
    driving: DrivingPattern = DrivingPattern()
    intermittent_can_errors: float = 0.0  # share of attempts that fail with CAN_ERROR while otherwise healthy
    manual_requests: tuple[datetime, ...] = ()  # manual RDL requests made before the world's start
    co_drivers: tuple[str, ...] = ()  # card keys of the drivers who may ride in slot 2 (tachoshare.crew)

    def generation_on(self, day: date) -> Generation:
        current = self.generations[0].generation
        for period in self.generations:
            if period.since <= day:
                current = period.generation
        return current


@dataclass(frozen=True)
class Driver:
    driver_id: str
    card_number: str  # 16 characters; the API shows the first 14
    country: str
    first_names: str
    surname: str
    birth_date: date
    depot: str
    variant: ServiceVariant
    downloads: DownloadPlan
    generations: tuple[GenerationPeriod, ...]
    card_expiry: date
    export_lag_days: int | None = None

    @property
    def card_key(self) -> str:
        return self.card_number[:14]

    @property
    def name(self) -> str:
        return f"{self.first_names} {self.surname}"


T = TypeVar("T")


class LazyEntities(Sequence[T]):
    """A world's entities made when first read (issue 13: a 10,000-driver world is ready before its drivers exist).

    `make(i)` makes entity i from its own derived seed alone, so an entity is the same whatever was read before it
    (`tests/world/test_lazy_expansion.py` compares lazy and eager worlds read in random orders). Made entities are
    kept. Equal to any sequence with equal items, as the tuple it stands for would be.
    """

    __slots__ = ("_lock", "_made", "_make")

    def __init__(self, count: int, make: Callable[[int], T]) -> None:
        self._made: list[T | None] = [None] * count
        self._make = make
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self._made))))
        made = self._made[index]  # IndexError beyond the end, as a tuple's
        if made is None:
            with self._lock:  # one make per entity: equal makes would only waste the work, and split identities
                made = self._made[index]
                if made is None:
                    made = self._made[index] = self._make(index % len(self._made))
        return made

    def __iter__(self) -> Iterator[T]:
        made = self._made
        for index in range(len(made)):
            item = made[index]
            yield item if item is not None else self[index]

    def made(self) -> int:
        """How many entities were made so far (for tests and the world summary)."""
        return sum(1 for item in self._made if item is not None)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (LazyEntities, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"LazyEntities({len(self)} entities, {self.made()} made)"


@dataclass(frozen=True)
class Account:
    name: str
    company_name: str
    country: str
    users: tuple[User, ...]
    vehicles: tuple[Vehicle, ...]
    drivers: Sequence[Driver]  # a tuple, or the `LazyEntities` a generated fleet's drivers are made in when read
    company_cards: tuple[CompanyCard, ...]
    speed_details: bool = True  # VU files carry the detailed speed block (the last 24 h of driving)
    gen2v2_card_layout: bool = True  # Gen2v2 driver cards written in their own layout, not the Gen2v1 one
    older_vu_faults: bool = True  # Gen1 and Gen2v1 vehicle units write their faults (Gen2v2 ones always do)
    card_faults: bool = True  # driver cards record the faults of the units they were in
    card_events: bool = True  # VU events name the cards in the slots, and driver cards record those events
    # what world extensions add (`mockserver.world.extensions`), by their key; compared, but not hashed
    parts: Mapping[str, Any] = field(default_factory=dict, hash=False)
    _vehicle_index: dict[str, Vehicle] = field(default_factory=dict, repr=False, compare=False)
    _driver_index: dict[str, Driver] = field(default_factory=dict, repr=False, compare=False)
    _index_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._vehicle_index.update({v.vin: v for v in self.vehicles})
        if not isinstance(self.drivers, LazyEntities):
            self._driver_index.update({d.card_key: d for d in self.drivers})

    def vehicle(self, vin: str) -> Vehicle | None:
        return self._vehicle_index.get(vin)

    def driver(self, card_key: str) -> Driver | None:
        """The driver of that card; lazily made drivers are all made (and indexed) at the first look-up."""
        if not self._driver_index and self.drivers:
            with self._index_lock:
                if not self._driver_index:
                    self._driver_index.update({d.card_key: d for d in self.drivers})
        return self._driver_index.get(card_key)

    def user(self, username: str) -> User | None:
        return next((u for u in self.users if u.username == username), None)


@dataclass(frozen=True)
class OAuthClient:
    """A partner application registered with Webfleet's authorization server."""

    client_id: str
    secret: str
    name: str
    redirect_uris: tuple[str, ...] = ()  # exact matches; loopback http URIs are accepted besides (RFC 8252 §7.3)


@dataclass(frozen=True)
class World:
    seed: int
    start: datetime
    accounts: tuple[Account, ...]
    clients: tuple[OAuthClient, ...]
    signing: bool = False  # sign tachograph files with the seed's simulator PKI (zero signatures otherwise)
    # the account spec tenants are made from (the world file's first account); not a fact of this world
    tenant_template: AccountSpec | None = field(default=None, compare=False, repr=False)

    def account(self, name: str) -> Account | None:
        return next((a for a in self.accounts if a.name == name), None)

    def client(self, client_id: str) -> OAuthClient | None:
        return next((c for c in self.clients if c.client_id == client_id), None)
