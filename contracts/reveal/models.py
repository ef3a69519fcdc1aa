"""Typed Reveal LogBook answers (pydantic v2): PascalCase on the wire, snake_case here, tolerant enums.

Reveal's date-times carry no zone designator but are UTC (`2017-06-20T19:35:24.46`); they become aware UTC
datetimes. `Status` and `SubStatus` values this client does not know are kept as strings. The real misspelling
`UpdateDatetTimeUTC` is the wire name of `update_date_time_utc`.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]


class DutyStatus(enum.StrEnum):
    ON_DUTY_DRIVING = "OnDutyDriving"
    ON_DUTY_NOT_DRIVING = "OnDutyNotDriving"
    OFF_DUTY = "OffDuty"
    SLEEPER_BERTH = "SleeperBerth"


TolerantDutyStatus = Annotated[DutyStatus | str, Field(union_mode="left_to_right")]


class RevealModel(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="allow")


class DailyMinutes(RevealModel):
    daily_driving_minutes: int = Field(alias="DailyDrivingMinutes")
    daily_on_duty_minutes: int = Field(alias="DailyOnDutyMinutes")


class Link(RevealModel):
    href: str


class Address(RevealModel):
    address_line1: str = Field(alias="AddressLine1")
    address_line2: str | None = Field(default=None, alias="AddressLine2")
    locality: str | None = Field(default=None, alias="Locality")
    administrative_area: str | None = Field(default=None, alias="AdministrativeArea")
    postal_code: str | None = Field(default=None, alias="PostalCode")
    country: str | None = Field(default=None, alias="Country")


class LogbookStatus(RevealModel):
    """`GET .../statuscurrent`: the duty status in effect now."""

    status: TolerantDutyStatus = Field(alias="Status")
    sub_status: str | None = Field(default=None, alias="SubStatus")
    status_date_time_utc: UtcDateTime = Field(alias="StatusDateTimeUTC")
    status_duration_seconds: int | None = Field(default=None, alias="StatusDurationSeconds")
    update_date_time_utc: UtcDateTime | None = Field(default=None, alias="UpdateDatetTimeUTC")
    trailer_number: list[str] = Field(default_factory=list, alias="TrailerNumber")
    shipping_reference: list[str] = Field(default_factory=list, alias="ShippingReference")
    remark: str | None = Field(default=None, alias="Remark")
    address: Address | None = Field(default=None, alias="Address")
    modified_by: str | None = Field(default=None, alias="ModifiedBy")
    driver_number: str = Field(alias="DriverNumber")
    first_name: str | None = Field(default=None, alias="FirstName")
    last_name: str | None = Field(default=None, alias="LastName")
    vehicle_number: str | None = Field(default=None, alias="VehicleNumber")
    vehicle_name: str | None = Field(default=None, alias="VehicleName")
    time_remaining_since_last_status: DailyMinutes | None = Field(default=None, alias="TimeRemainingSinceLastStatus")
    time_used_since_last_reset: DailyMinutes | None = Field(default=None, alias="TimeUsedSinceLastReset")
    links: dict[str, Link] = Field(default_factory=dict, alias="_links")


class StatusRecord(LogbookStatus):
    """One record of `GET .../statushistory`; `DistanceInKm` is a string on the wire."""

    distance_in_km: float | None = Field(default=None, alias="DistanceInKm")


class HoursAgainstRuleSet(RevealModel):
    driving_left_for_today: float = Field(alias="DrivingLeftForToday")
    cycle_time_left: float = Field(alias="CycleTimeLeft")


class RemainingTime(RevealModel):
    """`GET .../remainingtime`: hours left against the rule cycle (7 days / 60 h or 8 days / 70 h)."""

    driver_number: str = Field(alias="DriverNumber")
    first_name: str | None = Field(default=None, alias="FirstName")
    last_name: str | None = Field(default=None, alias="LastName")
    vehicle_number: str | None = Field(default=None, alias="VehicleNumber")
    vehicle_name: str | None = Field(default=None, alias="VehicleName")
    rule_cycle: int = Field(alias="RuleCycle")
    hours_against_rule_set: HoursAgainstRuleSet = Field(alias="HoursAgainstRuleSet")
    last_status: TolerantDutyStatus | None = Field(default=None, alias="LastStatus")
    last_status_date_time_utc: UtcDateTime | None = Field(default=None, alias="LastStatusDateTimeUTC")
    hours_remaining_since_last_status: DailyMinutes | None = Field(default=None, alias="HoursRemainingSinceLastStatus")
    links: dict[str, Link] = Field(default_factory=dict, alias="_links")
