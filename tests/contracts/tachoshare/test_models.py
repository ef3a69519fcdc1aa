"""Typed resources: unknown enum values are kept as strings, unknown fields kept, optional fields absent."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from contracts.tachoshare.models import (
    CompanyCard,
    CompanyCardGroup,
    CompanyCardStatus,
    Driver,
    DriverRdlStatus,
    RdlHealthResult,
    Vehicle,
    VehicleRdlStatus,
    is_known,
)


def vehicle_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "vin": "WDB9634041L738190",
        "rdlStatus": "OK",
        "manualAttemptsRemaining": 3,
        "vehicleId": "1",
    }
    body.update(overrides)
    return body


@given(st.text(min_size=1, max_size=30))
def test_any_rdl_status_is_accepted_and_known_ones_are_typed(value: str) -> None:
    vehicle = Vehicle.model_validate(vehicle_json(rdlStatus=value))
    if value in {s.value for s in VehicleRdlStatus}:
        assert vehicle.rdl_status == VehicleRdlStatus(value) and is_known(vehicle.rdl_status)
    else:
        assert vehicle.rdl_status == value and not is_known(vehicle.rdl_status)


@given(st.sampled_from(list(RdlHealthResult)) | st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=10))
def test_health_status_is_tolerant_in_both_fields(result: str, level: str) -> None:
    vehicle = Vehicle.model_validate(vehicle_json(rdlHealthStatus={"result": str(result), "level": level}))
    assert vehicle.rdl_health_status is not None
    assert str(vehicle.rdl_health_status.result) == str(result)
    assert isinstance(vehicle.rdl_health_status.result, enum.Enum) == (str(result) in set(RdlHealthResult))


def test_optional_fields_absent_are_none_and_new_fields_are_kept() -> None:
    vehicle = Vehicle.model_validate(vehicle_json(newField={"x": 1}, lastActivityDate="2026-05-10"))
    assert vehicle.license_plate is None and vehicle.next_scheduled_date is None
    assert vehicle.last_activity_date == date(2026, 5, 10)
    assert vehicle.model_extra == {"newField": {"x": 1}}


def test_the_reference_examples_parse() -> None:
    driver = Driver.model_validate(
        {
            "cardNumber": "12345678901234",
            "countryCode": "0x12",
            "driverId": "907865",
            "rdlStatus": "NEVER_DOWNLOADED",
            "nextScheduledDate": "2021-02-17",
            "lastDriverFileExportedDate": "2021-05-11T06:22:30Z",
        }
    )
    assert driver.rdl_status is DriverRdlStatus.NEVER_DOWNLOADED and driver.last_download_date is None
    assert driver.last_driver_file_exported_date is not None and driver.last_driver_file_exported_date.hour == 6
    card = CompanyCard.model_validate(
        {
            "cardNumber": "42445642881F0501",
            "insertionDate": "2017-10-15",
            "status": "PENDING",
            "companyName": "Solutions",
            "cardId": "2340",
        }
    )
    assert card.status == "PENDING" and card.status is not CompanyCardStatus.PENDING_INSERTION
    group = CompanyCardGroup.model_validate({"name": "42445642881F0"})
    assert group.occupation_pct is None and group.vehicles_locked_count is None
