"""Driver profiles for the duty-log generator, registered by name.

A profile is data: how a kind of driver works (when shifts start, how long legs and stops are, how fast they
drive, whether they split their rest in the sleeper berth) and how often they bend the rules on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.reveal.hos import CarrierType


@dataclass(frozen=True, slots=True)
class Span:
    """A closed range of minutes a random draw is taken from."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.high:
            raise ValueError(f"bad span {self.low}..{self.high}")


@dataclass(frozen=True, slots=True)
class DriverProfile:
    """How one kind of driver works.

    Minutes throughout. `shift_start_local` is the local time of day a shift starts (None: as soon as the
    driver is rested). `work_days` are local weekdays (0 = Monday) on which a shift may start. `split_chance`
    is the chance that a shift uses a 7/3 or 8/2 sleeper-berth split. `violation_chance` is the chance per
    shift of a deliberate violation (one leg driven past the clocks). `restart_below` is the cycle time left
    (minutes) under which the driver takes a 34-hour restart (property) or days off (passenger) before the
    next shift."""

    name: str
    carrier: CarrierType
    short_haul: bool
    sleeper: bool
    shift_start_local: Span | None
    daily_rest_extra: Span
    target_driving: Span
    leg: Span
    stop: Span
    speed_kmh: Span
    work_days: frozenset[int]
    split_chance: float
    violation_chance: float
    personal_use_chance: float
    yard_move_chance: float
    restart_below: int
    has_trailer: bool

    def __post_init__(self) -> None:
        if not self.work_days or not self.work_days <= frozenset(range(7)):
            raise ValueError("work_days must be a non-empty set of weekdays 0..6")


_PROFILES: dict[str, DriverProfile] = {}


def register_profile(profile: DriverProfile) -> None:
    _PROFILES[profile.name] = profile


def profile_named(name: str) -> DriverProfile:
    try:
        return _PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown driver profile {name!r}; known: {', '.join(sorted(_PROFILES))}") from None


def profile_names() -> tuple[str, ...]:
    return tuple(sorted(_PROFILES))


WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
SIX_DAYS = frozenset(range(6))

register_profile(
    DriverProfile(
        name="long-haul",
        carrier=CarrierType.PROPERTY,
        short_haul=False,
        sleeper=True,
        shift_start_local=None,
        daily_rest_extra=Span(0, 180),
        target_driving=Span(8 * 60, 11 * 60),
        leg=Span(90, 5 * 60),
        stop=Span(20, 75),
        speed_kmh=Span(80, 100),
        work_days=EVERY_DAY,
        split_chance=0.35,
        violation_chance=0.01,
        personal_use_chance=0.15,
        yard_move_chance=0.2,
        restart_below=10 * 60,
        has_trailer=True,
    )
)
register_profile(
    DriverProfile(
        name="regional",
        carrier=CarrierType.PROPERTY,
        short_haul=False,
        sleeper=False,
        shift_start_local=Span(5 * 60, 8 * 60),
        daily_rest_extra=Span(0, 60),
        target_driving=Span(6 * 60, 10 * 60),
        leg=Span(60, 3 * 60),
        stop=Span(20, 60),
        speed_kmh=Span(60, 85),
        work_days=WEEKDAYS,
        split_chance=0.0,
        violation_chance=0.01,
        personal_use_chance=0.1,
        yard_move_chance=0.3,
        restart_below=10 * 60,
        has_trailer=True,
    )
)
register_profile(
    DriverProfile(
        name="passenger",
        carrier=CarrierType.PASSENGER,
        short_haul=False,
        sleeper=False,
        shift_start_local=Span(5 * 60, 9 * 60),
        daily_rest_extra=Span(0, 120),
        target_driving=Span(5 * 60, 10 * 60),
        leg=Span(45, 150),
        stop=Span(10, 40),
        speed_kmh=Span(50, 80),
        work_days=SIX_DAYS,
        split_chance=0.0,
        violation_chance=0.01,
        personal_use_chance=0.0,
        yard_move_chance=0.15,
        restart_below=10 * 60,
        has_trailer=False,
    )
)
register_profile(
    DriverProfile(
        name="near-limits",
        carrier=CarrierType.PROPERTY,
        short_haul=False,
        sleeper=True,
        shift_start_local=None,
        daily_rest_extra=Span(0, 20),
        target_driving=Span(11 * 60, 11 * 60),
        leg=Span(4 * 60, 8 * 60),
        stop=Span(30, 150),
        speed_kmh=Span(80, 105),
        work_days=EVERY_DAY,
        split_chance=0.3,
        violation_chance=0.08,
        personal_use_chance=0.1,
        yard_move_chance=0.1,
        restart_below=60,
        has_trailer=True,
    )
)
register_profile(
    DriverProfile(
        name="short-haul",
        carrier=CarrierType.PROPERTY,
        short_haul=True,
        sleeper=False,
        shift_start_local=Span(5 * 60, 7 * 60),
        daily_rest_extra=Span(0, 60),
        target_driving=Span(4 * 60, 8 * 60),
        leg=Span(20, 80),
        stop=Span(10, 45),
        speed_kmh=Span(35, 65),
        work_days=WEEKDAYS,
        split_chance=0.0,
        violation_chance=0.01,
        personal_use_chance=0.05,
        yard_move_chance=0.4,
        restart_below=10 * 60,
        has_trailer=False,
    )
)
