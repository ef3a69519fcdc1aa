"""Reveal's wire format: PascalCase JSON objects (the real misspelling `UpdateDatetTimeUTC` kept) and the same
values as XML, plus the error formatter of the `/reveal` mount.

Date-times are UTC without a zone designator and with two fractional digits (`2017-06-20T19:35:24.46`).
`DistanceInKm` is a string, as in the reference's example. `_links` point at the simulator's own URLs; the
`driver`, `vehicle` and `logbooksettings` links name Reveal's CMD resources under `/reveal/cmd/v1/...`, which
`mockserver.reveal.cmd` serves.

XML (`Accept: application/xml`) uses the JSON names as element names: a list of strings is wrapped in its field's
element with one `<string>` per item, null is `xsi:nil="true"`, the status history is `<ArrayOfLogbookStatus>`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from starlette.responses import Response

from mockserver.errors import ApiError, NotAcceptable
from mockserver.http import dumps, negotiate
from mockserver.memo import Memo
from mockserver.reveal.addresses import Address
from mockserver.reveal.errors import DENIED_TEXT, RevealError
from mockserver.reveal.logbook import DailyMinutes, DriverView, RemainingTime, StatusRecord

if TYPE_CHECKING:
    from mockserver.simulator import Simulator

JSON = "application/json"
XML = "application/xml"
MEDIA_TYPES = (JSON, XML)
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"

STATUS_ROOT = "LogbookStatus"
HISTORY_ROOT = "ArrayOfLogbookStatus"
REMAINING_ROOT = "RemainingTime"
ERROR_ROOT = "Error"


def reveal_datetime(value: datetime) -> str:
    value = value.astimezone(UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 10_000:02d}"


def kilometres(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def hours(minutes: int) -> float:
    return round(minutes / 60, 6)


class Links:
    """The simulator's own URLs for one driver, under `base` (scheme, host and the `/reveal` prefix)."""

    def __init__(self, base: str, driver_number: str) -> None:
        self.base = base.rstrip("/")
        self.driver_number = driver_number

    def logbook(self, operation: str) -> dict[str, str]:
        return {"href": f"{self.base}/logbook/v1/driver/{self.driver_number}/{operation}"}

    def cmd(self, vehicle_number: str | None) -> dict[str, dict[str, str]]:
        return {
            "driver": {"href": f"{self.base}/cmd/v1/drivers/{self.driver_number}"},
            "vehicle": {"href": f"{self.base}/cmd/v1/vehicles/{vehicle_number or ''}"},
            "logbooksettings": {"href": f"{self.base}/cmd/v1/driversettings/logbooksettings/{self.driver_number}"},
        }


def _minutes(value: DailyMinutes) -> dict[str, int]:
    return {"DailyDrivingMinutes": value.driving, "DailyOnDutyMinutes": value.on_duty}


def _address(value: Address | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {
        "AddressLine1": value.address_line1,
        "AddressLine2": value.address_line2,
        "Locality": value.locality,
        "AdministrativeArea": value.administrative_area,
        "PostalCode": value.postal_code,
        "Country": value.country,
    }


def _who(who: DriverView) -> dict[str, Any]:
    return {
        "DriverNumber": who.driver.driver_number,
        "FirstName": who.driver.first_name,
        "LastName": who.driver.last_name,
        "VehicleNumber": None if who.vehicle is None else who.vehicle.number,
        "VehicleName": None if who.vehicle is None else who.vehicle.name,
    }


def status_json(record: StatusRecord, base: str, *, with_distance: bool = False) -> dict[str, Any]:
    """A statuscurrent answer, or (`with_distance`) one record of a status history."""
    links = Links(base, record.who.driver.driver_number)
    body: dict[str, Any] = {"DistanceInKm": kilometres(record.distance_km)} if with_distance else {}
    body.update(
        {
            "Status": record.status.value,
            "SubStatus": record.sub_status,
            "StatusDateTimeUTC": reveal_datetime(record.started),
            "StatusDurationSeconds": record.duration_seconds,
            "UpdateDatetTimeUTC": reveal_datetime(record.received),
            "TrailerNumber": list(record.trailer_numbers),
            "ShippingReference": list(record.shipping_references),
            "Remark": record.remark,
            "Address": _address(record.address),
            "ModifiedBy": record.modified_by,
            **_who(record.who),
            "TimeRemainingSinceLastStatus": _minutes(record.remaining_at_status),
            "TimeUsedSinceLastReset": _minutes(record.used_since_reset),
            "_links": {"current": links.logbook("statuscurrent"), **links.cmd(_vehicle_number(record.who))},
        }
    )
    return body


def remaining_json(remaining: RemainingTime, base: str) -> dict[str, Any]:
    links = Links(base, remaining.who.driver.driver_number)
    return {
        **_who(remaining.who),
        "RuleCycle": remaining.rule_cycle,
        "HoursAgainstRuleSet": {
            "DrivingLeftForToday": hours(remaining.driving_left_today),
            "CycleTimeLeft": hours(remaining.cycle_left),
        },
        "LastStatus": remaining.last_status.value,
        "LastStatusDateTimeUTC": reveal_datetime(remaining.last_status_at),
        "HoursRemainingSinceLastStatus": _minutes(remaining.remaining_at_status),
        "_links": {"remainingtime": links.logbook("remainingtime"), **links.cmd(_vehicle_number(remaining.who))},
    }


def _vehicle_number(who: DriverView) -> str | None:
    return None if who.vehicle is None else who.vehicle.number


# -- XML ---------------------------------------------------------------------------------------------------


def _xml_value(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, value)


def _item_name(list_tag: str) -> str:
    """The element of one record of a list: `ArrayOfVehicle` holds `Vehicle`s (ASP.NET's XML serializer)."""
    return list_tag.removeprefix("ArrayOf") if list_tag.startswith("ArrayOf") else STATUS_ROOT


def _fill(element: ET.Element, value: Any) -> None:
    if value is None:
        element.set(XSI_NIL, "true")
    elif isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_value(element, "string" if isinstance(item, str) else _item_name(element.tag), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def to_xml(root: str, body: Any) -> bytes:
    """`body` (the JSON value) as an XML document whose root element is `root`."""
    element = ET.Element(root)
    _fill(element, body)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


_ENCODED: Memo[tuple[int, str, str], tuple[object, bytes]] = Memo(1024, "encoded Reveal read models")
"""key: a read model's identity, the base URL and the media type; the value keeps the model alive, so its id is not
reused while the entry lives, and a hit is exact because a read model is immutable once handed out."""


def render_model(model: object, to_json: Callable[[], Any], root: str, accept: str | None, base: str) -> Response:
    """`render` for a read model the service hands out again while nothing changed: encoded once per media type."""
    media_type = negotiate(accept, MEDIA_TYPES)
    key = (id(model), base, media_type)
    hit = _ENCODED.get(key)
    if hit is None or hit[0] is not model:
        _ENCODED.discard(key)
        body = to_xml(root, to_json()) if media_type == XML else dumps(to_json())
        hit = _ENCODED.put(key, (model, body))
    return Response(hit[1], media_type=media_type)


def render(body: Any, root: str, accept: str | None) -> Response:
    """The answer in the media type the Accept header prefers among JSON (default) and XML; else 406."""
    media_type = negotiate(accept, MEDIA_TYPES)
    if media_type == XML:
        return Response(to_xml(root, body), media_type=XML)
    return Response(dumps(body), media_type=JSON)


# -- errors ------------------------------------------------------------------------------------------------


def _message(error: ApiError) -> str:
    if isinstance(error, RevealError):
        return error.description
    if error.status == 401:
        return DENIED_TEXT
    return error.description


def reveal_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    """The `/reveal` mount's error shape (see `mockserver.reveal.errors`)."""
    headers = dict(error.headers)
    if error.status == 401 and request.url.path.rstrip("/").endswith("/token"):
        headers.setdefault("WWW-Authenticate", 'Basic realm="Reveal"')
    if getattr(error, "plain_text", False):
        return ConnexionResponse(
            status_code=error.status,
            mimetype="text/plain",
            content_type="text/plain; charset=utf-8",
            body=error.description.encode(),
            headers=headers,
        )
    try:
        media_type = negotiate(request.headers.get("accept"), MEDIA_TYPES)
    except NotAcceptable:
        media_type = JSON
    body = {"Message": _message(error)}
    payload = to_xml(ERROR_ROOT, body) if media_type == XML else dumps(body)
    return ConnexionResponse(
        status_code=error.status, mimetype=media_type, content_type=media_type, body=payload, headers=headers
    )
