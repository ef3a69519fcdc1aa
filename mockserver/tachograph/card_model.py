"""Driver-card download input model (Appendix 7 section 3, the card EFs of Appendix 2); knows no world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mockserver.tachograph.types import (
    ActivityChange,
    ExtendedSerialNumber,
    FullCardNumber,
    Generation,
    GnssPlace,
    HolderName,
    PlaceRecord,
    SpecificCondition,
    VehicleRegistration,
)


@dataclass(frozen=True)
class CardActivityDay:
    """CardActivityDailyRecord. `changes` begin with the driver status at minute 0."""

    day: date
    presence_counter: int
    distance_km: int
    changes: tuple[ActivityChange, ...]


@dataclass(frozen=True)
class CardVehicleUsed:
    """CardVehicleRecord; `vin` is only stored by Gen2 cards."""

    odometer_begin: int
    odometer_end: int
    first_use: datetime
    last_use: datetime | None
    registration: VehicleRegistration
    vu_data_block_counter: int
    vin: str = ""


@dataclass(frozen=True)
class CardEventOrFault:
    """CardEventRecord / CardFaultRecord (24 bytes)."""

    event_type: int
    begin: datetime
    end: datetime
    registration: VehicleRegistration


@dataclass(frozen=True)
class CardVehicleUnitUsed:
    """CardVehicleUnitRecord (Gen2 only)."""

    timestamp: datetime
    manufacturer_code: int
    device_id: int
    software_version: str


@dataclass(frozen=True)
class CardGnssAccumulatedDriving:
    """GNSSAccumulatedDrivingRecord (Gen2 only)."""

    timestamp: datetime
    place: GnssPlace
    odometer_km: int


@dataclass(frozen=True)
class CardBorderCrossing:
    """CardBorderCrossingRecord (Gen2v2, 17 bytes): where and when (`place`, authenticated or not) the vehicle
    left one country for another, and its odometer then."""

    country_left: int
    country_entered: int
    place: GnssPlace
    odometer_km: int


@dataclass(frozen=True)
class CardLoadUnload:
    """CardLoadUnloadRecord (Gen2v2, 20 bytes): operation 1 load, 2 unload, 3 both at once."""

    timestamp: datetime
    operation: int
    place: GnssPlace | None
    odometer_km: int


@dataclass(frozen=True)
class CardLoadTypeEntry:
    """CardLoadTypeEntryRecord (Gen2v2, 5 bytes): the load type the driver entered, 1 passengers, 2 goods."""

    timestamp: datetime
    load_type: int


@dataclass(frozen=True)
class CardControlActivity:
    """CardControlActivityDataRecord (46 bytes, the card's last control). `control_type` is the ControlType
    bitmask: 0x80 card downloaded, 0x40 VU downloaded, 0x20 printout, 0x10 display, 0x08 roadside calibration
    check (Gen2)."""

    control_type: int
    time: datetime
    control_card: FullCardNumber
    registration: VehicleRegistration
    period_begin: datetime | None = None
    period_end: datetime | None = None


@dataclass(frozen=True)
class CurrentUsage:
    session_open: datetime
    registration: VehicleRegistration


@dataclass(frozen=True)
class DrivingLicence:
    issuing_authority: str
    issuing_nation: int
    number: str


@dataclass(frozen=True)
class CardChip:
    """EF ICC and EF IC content (never signed)."""

    serial: ExtendedSerialNumber
    approval_number: str = "e1-00001"
    personaliser_id: int = 0x01
    embedder_country: str = "DE"
    embedder_module: int = 1
    embedder_info: int = 0
    ic_identifier: int = 0
    ic_serial: int = 0
    ic_manufacturing: int = 0


@dataclass(frozen=True)
class DriverCardDownload:
    """One driver-card download session (one file).

    `card_number` is the 16-character CardNumber (14 driver identification + replacement + renewal).
    `downloaded_at` is what EF Card_Download records (LastCardDownload).
    `activity_ring_offset` is the byte offset in the cyclic activity buffer where the oldest kept day begins;
    it is what a card that has been in use for a while would show (records then wrap around the end).
    The Gen2v2 sequences (`border_crossings`, `load_unload_operations`, `load_type_entries`) are written only
    by Gen2v2 cards; the authentication status of `places` and `gnss_accumulated_driving` only by Gen2v2 cards
    (EFs Places_Authentication and GNSS_Places_Authentication), which is why other generations keep it 0.
    Not simulated: the VU configurations a Gen2v2 card stores (EF VU_Configuration, manufacturer specific: zeros).
    """

    generation: Generation
    card_number: str
    issuing_nation: int
    holder: HolderName
    birth_date: date
    preferred_language: str
    issuing_authority: str
    issue_date: datetime
    validity_begin: datetime
    expiry: datetime
    licence: DrivingLicence
    chip: CardChip
    downloaded_at: datetime
    activity_days: tuple[CardActivityDay, ...] = ()
    activity_ring_offset: int = 0
    vehicles_used: tuple[CardVehicleUsed, ...] = ()
    places: tuple[PlaceRecord, ...] = ()
    events: tuple[CardEventOrFault, ...] = ()
    faults: tuple[CardEventOrFault, ...] = ()
    current_usage: CurrentUsage | None = None
    specific_conditions: tuple[SpecificCondition, ...] = ()
    vehicle_units_used: tuple[CardVehicleUnitUsed, ...] = ()
    gnss_accumulated_driving: tuple[CardGnssAccumulatedDriving, ...] = ()
    border_crossings: tuple[CardBorderCrossing, ...] = ()
    load_unload_operations: tuple[CardLoadUnload, ...] = ()
    load_type_entries: tuple[CardLoadTypeEntry, ...] = ()
    control_activity: CardControlActivity | None = None
