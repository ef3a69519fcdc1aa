"""TachoShare's read models: what the service hands the handlers (and the control plane's world lists), frozen, one
per vehicle, driver card or company card at an instant; `views.py` writes them in the reference's JSON."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from mockserver.tachoshare import rules
from mockserver.world.models import CompanyCard


@dataclass(frozen=True, slots=True)
class VehicleView:
    vin: str
    vehicle_id: str
    rdl_status: rules.RdlStatus
    manual_attempts_remaining: int
    license_plate: str | None
    last_activity_date: date | None
    first_available_activity_date: date | None
    next_scheduled_date: date | None
    last_rdl_attempt: datetime | None
    health: tuple[str, str] | None
    locked_company_card_number: str | None
    last_activity_exported_date: date | None
    tachograph_model: str | None


@dataclass(frozen=True, slots=True)
class DriverView:
    card_number: str
    country_code: str
    driver_id: str
    rdl_status: rules.RdlStatus
    last_download_date: date | None
    first_available_download_date: date | None
    name: str | None
    next_scheduled_date: date | None
    last_driver_file_exported_date: datetime | None


@dataclass(frozen=True, slots=True)
class CompanyCardView:
    card_number: str
    company_name: str
    status: rules.CardStatus
    card_id: str
    expiration_date: date | None
    insertion_date: date | None
    group: str | None  # absent while the card waits for insertion, as in the reference's example


@dataclass(frozen=True)
class Listing:
    """A list route's read models: `kept` (a tuple the service keeps while instant and state stay) for a list under
    `service.STREAM_FROM` items, else `lazy`, an iterator making each view when it is reached, at the instant of the
    request.

    Not simulated: a write landing while a large list is being written shows in the items not yet written (a small
    list is made at once, as before); sequential requests get the same bytes either way."""

    kept: tuple[Any, ...] | None = None
    lazy: Iterator[Any] | None = None


def card_view(card: CompanyCard, today: date) -> CompanyCardView:
    status = rules.card_status(card, today)
    return CompanyCardView(
        card_number=card.card_number,
        company_name=card.company_name,
        status=status,
        card_id=card.card_id,
        expiration_date=card.expiry if rules.card_expiration_shown(card, today) else None,
        insertion_date=card.inserted or card.registered,
        group=None if status is rules.CardStatus.PENDING_INSERTION else card.group,
    )
