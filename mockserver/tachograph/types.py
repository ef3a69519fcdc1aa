"""Common data types of the tachograph data dictionary (Appendix 1), as frozen dataclasses.

These are the domain inputs of the file writers and the outputs of the readers. They know nothing of bytes;
`mockserver.tachograph.codec.primitives` encodes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum, IntEnum


class Generation(Enum):
    """Data generation of a file; decides which transfer blocks or EFs are written."""

    GEN1 = "gen1"
    GEN2V1 = "gen2v1"
    GEN2V2 = "gen2v2"

    @property
    def is_gen2(self) -> bool:
        return self is not Generation.GEN1

    @property
    def card_generation_byte(self) -> int:
        """The `Generation` data element (1 = Gen1, 2 = Gen2)."""
        return 1 if self is Generation.GEN1 else 2


class Activity(IntEnum):
    """ActivityChangeInfo `aa` bits."""

    BREAK_REST = 0
    AVAILABILITY = 1
    WORK = 2
    DRIVING = 3


class Slot(IntEnum):
    DRIVER = 0
    CO_DRIVER = 1


class EquipmentType(IntEnum):
    NONE = 0
    DRIVER_CARD = 1
    WORKSHOP_CARD = 2
    CONTROL_CARD = 3
    COMPANY_CARD = 4
    MANUFACTURING_CARD = 5
    VEHICLE_UNIT = 6
    MOTION_SENSOR = 7


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(value: datetime) -> datetime:
    """Return `value` as an aware UTC datetime truncated to whole seconds (TimeReal resolution)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass(frozen=True)
class FullCardNumber:
    """FullCardNumber (18 bytes) and, for Gen2 structures, FullCardNumberAndGeneration (19 bytes).

    `number` is the 16-character CardNumber: for a driver card driverIdentification (14) + replacement (1) +
    renewal (1).
    """

    card_type: EquipmentType
    nation: int
    number: str
    generation: int = 1

    def __post_init__(self) -> None:
        if len(self.number) != 16 or not self.number.isascii():
            raise ValueError(f"card number must be 16 ASCII characters, got {self.number!r}")
        if not 0 <= self.nation <= 0xFF:
            raise ValueError(f"nation out of range: {self.nation}")


@dataclass(frozen=True)
class VehicleRegistration:
    """VehicleRegistrationIdentification: nation (NationNumeric) + code page + 13-byte plate."""

    nation: int
    plate: str
    code_page: int = 1


@dataclass(frozen=True)
class HolderName:
    surname: str
    first_names: str


@dataclass(frozen=True)
class ExtendedSerialNumber:
    serial: int
    month: int
    year: int
    equipment_type: int
    manufacturer_code: int


@dataclass(frozen=True)
class ActivityChange:
    """One ActivityChangeInfo word: from `minute` on, `activity` applies (until the next change)."""

    minute: int
    activity: Activity
    slot: Slot = Slot.DRIVER
    crew: bool = False
    card_present: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.minute <= 1439:
            raise ValueError(f"minute of day out of range: {self.minute}")


@dataclass(frozen=True)
class GnssPlace:
    """GNSSPlaceRecord (Gen2) / GNSSPlaceAuthRecord (Gen2v2).

    Coordinates are stored as the regulation encodes them: +-DDMM.M x 10 as integers (52 deg 31.2' -> 52312).
    `auth_status` is only written by Gen2v2 structures.
    """

    timestamp: datetime
    accuracy: int
    latitude: int
    longitude: int
    auth_status: int = 0


@dataclass(frozen=True)
class PlaceRecord:
    """PlaceRecord: a place where a daily work period begins (entry type 0) or ends (1)."""

    entry_time: datetime
    entry_type: int
    country: int
    region: int
    odometer_km: int
    gnss: GnssPlace | None = None


@dataclass(frozen=True)
class SpecificCondition:
    """SpecificConditionRecord: 1 out of scope begin, 2 out of scope end, 3 ferry/train begin, 4 end."""

    entry_time: datetime
    condition_type: int


def degrees_to_geo(value: float) -> int:
    """Encode decimal degrees as +-DDMM.M x 10 (the GeoCoordinates integer form)."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole = int(magnitude)
    tenths_of_minutes = round((magnitude - whole) * 600)
    if tenths_of_minutes == 600:
        whole, tenths_of_minutes = whole + 1, 0
    return sign * (whole * 1000 + tenths_of_minutes)


def geo_to_degrees(value: int) -> float:
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    return sign * (magnitude // 1000 + (magnitude % 1000) / 600)
