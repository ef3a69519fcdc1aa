"""TachoShare's JSON shapes: read models to the exact field names and formats of the reference."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from mockserver.http import compact, dumps, iso_date, iso_instant
from mockserver.memo import Memo
from mockserver.tachoshare.readmodels import CompanyCardView, DriverView, VehicleView
from mockserver.tachoshare.rules import GroupView


def vehicle_json(v: VehicleView) -> dict[str, Any]:
    """The reference's field order, absent fields left out (as `compact` does; set one by one, since a large list
    makes one per vehicle: issue 13); dates written by `isoformat` itself, as `iso_date` does."""
    out: dict[str, Any] = {"vin": v.vin}
    if v.license_plate is not None:
        out["licensePlate"] = v.license_plate
    if v.last_activity_date is not None:
        out["lastActivityDate"] = v.last_activity_date.isoformat()
    if v.first_available_activity_date is not None:
        out["firstAvailableActivityDate"] = v.first_available_activity_date.isoformat()
    if v.next_scheduled_date is not None:
        out["nextScheduledDate"] = v.next_scheduled_date.isoformat()
    if v.last_rdl_attempt is not None:
        out["lastRdlAttempt"] = iso_instant(v.last_rdl_attempt)
    out["rdlStatus"] = v.rdl_status._value_  # the member's own attribute: `.value` is a Python-level property
    if v.health is not None:
        out["rdlHealthStatus"] = {"result": v.health[0], "level": v.health[1]}
    out["manualAttemptsRemaining"] = v.manual_attempts_remaining
    out["vehicleId"] = v.vehicle_id
    if v.locked_company_card_number is not None:
        out["lockedCompanyCardNumber"] = v.locked_company_card_number
    if v.last_activity_exported_date is not None:
        out["lastActivityExportedDate"] = v.last_activity_exported_date.isoformat()
    if v.tachograph_model is not None:
        out["tachographModel"] = v.tachograph_model
    return out


def driver_json(d: DriverView) -> dict[str, Any]:
    return compact(
        (
            ("cardNumber", d.card_number),
            ("countryCode", d.country_code),
            ("driverId", d.driver_id),
            ("lastDownloadDate", d.last_download_date and iso_date(d.last_download_date)),
            (
                "firstAvailableDownloadDate",
                d.first_available_download_date and iso_date(d.first_available_download_date),
            ),
            ("nextScheduledDate", d.next_scheduled_date and iso_date(d.next_scheduled_date)),
            ("rdlStatus", d.rdl_status.value),
            ("name", d.name),
            (
                "lastDriverFileExportedDate",
                d.last_driver_file_exported_date and iso_instant(d.last_driver_file_exported_date),
            ),
        )
    )


def company_card_json(c: CompanyCardView) -> dict[str, Any]:
    return compact(
        (
            ("cardNumber", c.card_number),
            ("expirationDate", c.expiration_date and iso_date(c.expiration_date)),
            ("insertionDate", c.insertion_date and iso_date(c.insertion_date)),
            ("status", c.status.value),
            ("companyName", c.company_name),
            ("companyCardGroup", c.group),
            ("cardId", c.card_id),
        )
    )


def group_json(g: GroupView) -> dict[str, Any]:
    return compact(
        (
            ("name", g.name),
            ("occupationPct", g.occupation_pct),
            ("vehiclesLockedCount", g.vehicles_locked),
        )
    )


def items(values: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": values}


ITEMS_KEPT = 300_000  # encoded read models kept (a 100,000-vehicle world's list fits)
_ENCODED: Memo[int, tuple[object, bytes]] = Memo(256, "encoded TachoShare lists")
_ITEMS: Memo[int, tuple[object, bytes]] = Memo(ITEMS_KEPT, "encoded TachoShare read models")
"""Both keyed by a read model's (or a list's) identity. The value keeps the object alive, so its id is not reused
while the entry lives; a hit is exact because read models and their lists are immutable once handed out."""


def _encoded(model: object, to_json: Callable[[Any], dict[str, Any]]) -> bytes:
    hit = _ITEMS.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    return _ITEMS.set(id(model), (model, dumps(to_json(model))))[1]


def encoded_items(read_models: tuple[Any, ...], to_json: Callable[[Any], dict[str, Any]]) -> bytes:
    """`{"items": [...]}` as bytes, the bytes `dumps(items(...))` gives: encoded once per read-model list (the
    service hands out the same list again while neither the instant nor the state changed), and each read model
    once while the service hands out the same view (the clock moved, the view did not change)."""
    hit = _ENCODED.get(id(read_models))
    if hit is not None and hit[0] is read_models:
        return hit[1]
    _ENCODED.discard(id(read_models))
    body = b'{"items":[' + b",".join([_encoded(m, to_json) for m in read_models]) + b"]}"
    return _ENCODED.put(id(read_models), (read_models, body))[1]


def encoded_one(read_model: Any, to_json: Callable[[Any], dict[str, Any]]) -> bytes:
    """`{"items": [...]}` of one read model, the bytes `dumps(items([to_json(read_model)]))` gives: its encoding is
    kept while the service hands out the same view (issue 13: `/vehicles/{vin}` with fresh tokens)."""
    return b'{"items":[' + _encoded(read_model, to_json) + b"]}"


STREAM_CHUNK = 500  # read models per body message of a streamed list (about 200 kB of JSON)


async def streamed_items(
    read_models: Iterator[Any], to_json: Callable[[Any], dict[str, Any]], chunk: int | None = None
) -> AsyncIterator[bytes]:
    """The bytes of `encoded_items`, in parts: `{"items":[` at once, then `chunk` read models at a time (each made
    as it is reached), then `]}`. Each part is made on the event loop, which serves other requests between parts."""
    size = chunk or STREAM_CHUNK
    yield b'{"items":['
    first = True
    while True:
        part = [_encoded(m, to_json) for m in itertools.islice(read_models, size)]
        if not part:
            break
        yield (b"" if first else b",") + b",".join(part)
        first = False
        await asyncio.sleep(0)
    yield b"]}"
