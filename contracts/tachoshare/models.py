"""Typed TachoShare.connect resources (pydantic v2), tolerant of what a newer API version may add.

- Enumerated fields accept values this client does not know: a known value becomes the enum member, an unknown
  one is kept as the plain string (never a validation error), so a new RDL status does not break a partner's sync.
- Fields the API adds are kept (`model_extra`), not rejected.
- Optional fields are absent on the wire when they do not apply (never null); here they are `None`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field

E = TypeVar("E", bound=enum.Enum)


class VehicleRdlStatus(enum.StrEnum):
    OK = "OK"
    DELAYED = "DELAYED"
    OUTSIDE_LEGAL_COMPLIANCE = "OUTSIDE_LEGAL_COMPLIANCE"
    DISCONNECTED = "DISCONNECTED"
    NEVER_DOWNLOADED = "NEVER_DOWNLOADED"
    EXPIRED = "EXPIRED"


class DriverRdlStatus(enum.StrEnum):
    OK = "OK"
    DELAYED = "DELAYED"
    OUTSIDE_LEGAL_COMPLIANCE = "OUTSIDE_LEGAL_COMPLIANCE"
    NEVER_DOWNLOADED = "NEVER_DOWNLOADED"


class RdlHealthResult(enum.StrEnum):
    SUCCESS = "SUCCESS"
    NO_COMPANY_CARD_LOCKED = "NO_COMPANY_CARD_LOCKED"
    CAN_ERROR = "CAN_ERROR"
    TACHOGRAPH_NOT_RESPONDING = "TACHOGRAPH_NOT_RESPONDING"
    LOCKED_COMPANY_CARD_NOT_PRESENT = "LOCKED_COMPANY_CARD_NOT_PRESENT"
    NO_CARDS_DETECTED = "NO_CARDS_DETECTED"
    INVALID_VIN_IN_OVERVIEW = "INVALID_VIN_IN_OVERVIEW"
    SIGNATURE_NOT_VALID = "SIGNATURE_NOT_VALID"
    ACTIVITY_NOT_DOWNLOADABLE = "ACTIVITY_NOT_DOWNLOADABLE"
    SERVICE_NOT_SUPPORTED = "SERVICE_NOT_SUPPORTED"


class RdlHealthLevel(enum.StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    ALERT = "ALERT"


class CompanyCardStatus(enum.StrEnum):
    OK = "OK"
    NEAR_EXPIRATION = "NEAR_EXPIRATION"
    EXPIRED = "EXPIRED"
    PENDING_INSERTION = "PENDING_INSERTION"
    REMOVED = "REMOVED"


class VehicleFileFormat(enum.StrEnum):
    """`format` of `GET /vehicles/{vin}/files`; it changes only the file name's extension."""

    DDD = "DDD"
    V1B_V1C = "V1B_V1C"
    TGD = "TGD"


class DriverFileFormat(enum.StrEnum):
    """`format` of `GET /drivers/{cardNumber}/files`; it changes only the extension of the files in the ZIP."""

    DDD = "DDD"
    C1B_C1C = "C1B_C1C"
    TGD = "TGD"


# A known value as the enum member, anything else kept as the string (left to right: the enum is tried first).
TolerantVehicleRdlStatus = Annotated[VehicleRdlStatus | str, Field(union_mode="left_to_right")]
TolerantDriverRdlStatus = Annotated[DriverRdlStatus | str, Field(union_mode="left_to_right")]
TolerantHealthResult = Annotated[RdlHealthResult | str, Field(union_mode="left_to_right")]
TolerantHealthLevel = Annotated[RdlHealthLevel | str, Field(union_mode="left_to_right")]
TolerantCardStatus = Annotated[CompanyCardStatus | str, Field(union_mode="left_to_right")]


def is_known(value: object) -> bool:
    """Whether a tolerant field holds a value this client knows (an enum member rather than a raw string)."""
    return isinstance(value, enum.Enum)


class Resource(BaseModel):
    """Common configuration: camelCase on the wire, immutable, unknown fields kept."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="allow")


class RdlHealthStatus(Resource):
    result: TolerantHealthResult
    level: TolerantHealthLevel


class Vehicle(Resource):
    vin: str
    rdl_status: TolerantVehicleRdlStatus = Field(alias="rdlStatus")
    manual_attempts_remaining: int = Field(alias="manualAttemptsRemaining")
    vehicle_id: str = Field(alias="vehicleId")
    license_plate: str | None = Field(default=None, alias="licensePlate")
    last_activity_date: date | None = Field(default=None, alias="lastActivityDate")
    first_available_activity_date: date | None = Field(default=None, alias="firstAvailableActivityDate")
    next_scheduled_date: date | None = Field(default=None, alias="nextScheduledDate")
    last_rdl_attempt: datetime | None = Field(default=None, alias="lastRdlAttempt")
    rdl_health_status: RdlHealthStatus | None = Field(default=None, alias="rdlHealthStatus")
    locked_company_card_number: str | None = Field(default=None, alias="lockedCompanyCardNumber")
    last_activity_exported_date: date | None = Field(default=None, alias="lastActivityExportedDate")
    tachograph_model: str | None = Field(default=None, alias="tachographModel")


class Driver(Resource):
    card_number: str = Field(alias="cardNumber")
    country_code: str = Field(alias="countryCode")
    driver_id: str = Field(alias="driverId")
    rdl_status: TolerantDriverRdlStatus = Field(alias="rdlStatus")
    last_download_date: date | None = Field(default=None, alias="lastDownloadDate")
    first_available_download_date: date | None = Field(default=None, alias="firstAvailableDownloadDate")
    name: str | None = None
    next_scheduled_date: date | None = Field(default=None, alias="nextScheduledDate")
    last_driver_file_exported_date: datetime | None = Field(default=None, alias="lastDriverFileExportedDate")


class CompanyCard(Resource):
    card_number: str = Field(alias="cardNumber")
    company_name: str = Field(alias="companyName")
    status: TolerantCardStatus
    card_id: str = Field(alias="cardId")
    company_card_group: str | None = Field(default=None, alias="companyCardGroup")
    expiration_date: date | None = Field(default=None, alias="expirationDate")
    insertion_date: date | None = Field(default=None, alias="insertionDate")


class CompanyCardGroup(Resource):
    name: str
    occupation_pct: float | None = Field(default=None, alias="occupationPct")
    vehicles_locked_count: int | None = Field(default=None, alias="vehiclesLockedCount")


class VehicleList(Resource):
    items: list[Vehicle]


class DriverList(Resource):
    items: list[Driver]


class CompanyCardList(Resource):
    items: list[CompanyCard]


class CompanyCardGroupList(Resource):
    items: list[CompanyCardGroup]


class ErrorBody(Resource):
    """The body of TachoShare's 4xx answers."""

    description: str
    url: str | None = None
    trace_id: str | None = Field(default=None, alias="traceId")
