"""Vehicle-unit download input model (Appendix 7 DDP_029..033), independent of HTTP and of the world.

One `VehicleUnitDownload` becomes one file: an overview, one activities block per day, events and faults,
detailed speed and technical data, all of one generation family.
"""

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
    Slot,
    SpecificCondition,
    VehicleRegistration,
)


@dataclass(frozen=True)
class CompanyLock:
    lock_in: datetime
    lock_out: datetime | None
    company_name: str
    company_address: str
    card: FullCardNumber


@dataclass(frozen=True)
class ControlActivity:
    control_type: int
    control_time: datetime
    card: FullCardNumber
    period_begin: datetime | None
    period_end: datetime | None


@dataclass(frozen=True)
class PreviousDownload:
    """VuDownloadActivityData: the last download (company or workshop card used, and its holder's name)."""

    downloaded_at: datetime
    card: FullCardNumber
    company_or_workshop: str


@dataclass(frozen=True)
class CardSlots:
    """CardSlotsStatus: card type in each slot (0 none, 1 driver, 2 workshop, 3 control, 4 company)."""

    driver: int = 0
    co_driver: int = 0


@dataclass(frozen=True)
class VuOverview:
    vin: str
    registration: VehicleRegistration
    current_time: datetime
    downloadable_from: datetime
    downloadable_to: datetime
    card_slots: CardSlots = CardSlots()
    previous_download: PreviousDownload | None = None
    company_locks: tuple[CompanyLock, ...] = ()
    controls: tuple[ControlActivity, ...] = ()


@dataclass(frozen=True)
class VuCardInsertion:
    """VuCardIWRecord: one insertion/withdrawal cycle of a card (appears in full on every day it spans)."""

    holder: HolderName
    card: FullCardNumber
    card_expiry: date
    inserted_at: datetime
    odometer_at_insertion: int
    slot: Slot
    withdrawn_at: datetime | None
    odometer_at_withdrawal: int
    previous_vehicle: VehicleRegistration | None = None
    previous_withdrawal: datetime | None = None
    previous_vu_generation: int = 0
    manual_input: bool = False


@dataclass(frozen=True)
class VuPlace:
    """VuPlaceDailyWorkPeriodRecord: a place entered by the driver whose card is `card`."""

    card: FullCardNumber
    place: PlaceRecord


@dataclass(frozen=True)
class VuGnssAccumulatedDriving:
    """VuGNSSADRecord: the position at a multiple of three hours of accumulated driving, with the cards in the
    driver and co-driver slots."""

    timestamp: datetime
    driver_card: FullCardNumber | None
    co_driver_card: FullCardNumber | None
    place: GnssPlace
    odometer: int


@dataclass(frozen=True)
class VuBorderCrossing:
    """VuBorderCrossingRecord (Gen2v2): the time is the GNSS place's timestamp."""

    driver_card: FullCardNumber | None
    co_driver_card: FullCardNumber | None
    country_left: int
    country_entered: int
    place: GnssPlace
    odometer: int


@dataclass(frozen=True)
class VuLoadUnload:
    """VuLoadUnloadRecord (Gen2v2): `operation` is OperationType (1 load, 2 unload, 3 simultaneous)."""

    timestamp: datetime
    operation: int
    driver_card: FullCardNumber | None
    co_driver_card: FullCardNumber | None
    place: GnssPlace
    odometer: int


@dataclass(frozen=True)
class VuActivityDay:
    """One `76 02/22/32` block.

    `activity_changes` must begin with the status of both slots at minute 0 (driver slot first). GNSS
    accumulated-driving records are Gen2 only, border crossings and load/unload operations Gen2v2 only.
    """

    day: date
    odometer_midnight: int
    card_insertions: tuple[VuCardInsertion, ...] = ()
    activity_changes: tuple[ActivityChange, ...] = ()
    places: tuple[VuPlace, ...] = ()
    specific_conditions: tuple[SpecificCondition, ...] = ()
    gnss_accumulated_driving: tuple[VuGnssAccumulatedDriving, ...] = ()
    border_crossings: tuple[VuBorderCrossing, ...] = ()
    load_operations: tuple[VuLoadUnload, ...] = ()


@dataclass(frozen=True)
class VuEventOrFault:
    """VuEventRecord / VuFaultRecord; `similar_events` is only stored for events."""

    event_type: int
    purpose: int
    begin: datetime
    end: datetime
    driver_begin: FullCardNumber | None = None
    co_driver_begin: FullCardNumber | None = None
    driver_end: FullCardNumber | None = None
    co_driver_end: FullCardNumber | None = None
    similar_events: int = 0


@dataclass(frozen=True)
class OverspeedControl:
    last_control: datetime | None = None
    first_overspeed_since: datetime | None = None
    overspeeds_since: int = 0


@dataclass(frozen=True)
class OverspeedEvent:
    event_type: int
    purpose: int
    begin: datetime
    end: datetime
    max_speed: int
    average_speed: int
    driver: FullCardNumber | None
    similar_events: int


@dataclass(frozen=True)
class VuTimeAdjustment:
    """VuTimeAdjustmentRecord: a clock correction outside a calibration, by the workshop card named."""

    old_time: datetime
    new_time: datetime
    workshop_name: str
    workshop_address: str
    workshop_card: FullCardNumber


@dataclass(frozen=True)
class VuEventsAndFaults:
    faults: tuple[VuEventOrFault, ...] = ()
    events: tuple[VuEventOrFault, ...] = ()
    overspeed_control: OverspeedControl = OverspeedControl()
    overspeed_events: tuple[OverspeedEvent, ...] = ()
    time_adjustments: tuple[VuTimeAdjustment, ...] = ()


@dataclass(frozen=True)
class SpeedBlock:
    """VuDetailedSpeedBlock: one minute of driving, 60 speed values (km/h) one per second."""

    begin: datetime
    speeds: bytes

    def __post_init__(self) -> None:
        if len(self.speeds) != 60:
            raise ValueError("a speed block holds exactly 60 values")


@dataclass(frozen=True)
class VuIdentification:
    manufacturer_name: str
    manufacturer_address: str
    part_number: str
    serial: ExtendedSerialNumber
    software_version: str
    software_installed: datetime
    manufactured: datetime
    approval_number: str
    digital_map_version: str = ""


@dataclass(frozen=True)
class SensorPairing:
    serial: ExtendedSerialNumber
    approval_number: str
    paired_at: datetime


@dataclass(frozen=True)
class Calibration:
    """VuCalibrationRecord. Not simulated: seal data, and the Gen2v2 sensor/GNSS/RCM serials and load type
    (written as zero)."""

    purpose: int
    workshop_name: str
    workshop_address: str
    workshop_card: FullCardNumber
    workshop_card_expiry: date
    vin: str
    registration: VehicleRegistration
    w_characteristic: int
    k_constant: int
    l_tyre_circumference: int
    tyre_size: str
    authorised_speed: int
    old_odometer: int
    new_odometer: int
    old_time: datetime
    new_time: datetime
    next_calibration: date
    calibration_country: int = 0


@dataclass(frozen=True)
class VuTechnicalData:
    """Not simulated: external GNSS couplings, card records, ITS consents and power supply interruptions
    (sent as empty record arrays)."""

    identification: VuIdentification
    sensor: SensorPairing
    calibrations: tuple[Calibration, ...] = ()


@dataclass(frozen=True)
class VehicleUnitDownload:
    generation: Generation
    overview: VuOverview
    days: tuple[VuActivityDay, ...]
    events: VuEventsAndFaults
    speed_blocks: tuple[SpeedBlock, ...] | None  # None: the detailed speed block was not downloaded
    technical: VuTechnicalData
