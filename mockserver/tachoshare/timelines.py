"""TachoShare's timelines for the QA console (`mockserver.timelines`): a vehicle unit's and a driver card's RDL
attempts (scheduled or manual, ok or failed and why), the manual requests, the next planned attempt, and the
changes of tachograph generation, all from the same timeline (`downloads.py`) the API's answers are made from.

A company card is never downloaded: its timeline is its status along simulated time (pending insertion, inserted,
near expiration, expired, removed: `rules.card_status` on each day it can change, so the status in force at any
instant is the one `GET /companyCards` answers), its first use in an RDL (from which the API shows its
`expirationDate`), and the RDL attempts of the vehicle units locked with it (`lockedCompanyCardNumber`), each
naming its vehicle.

Not simulated: which copy of a company card group authenticated a download (any usable copy of the group lets the
vehicles locked with one of them download); the attempts shown are those of the vehicles whose lock names the card
(the first MAX_LOCKED_VEHICLES of them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from mockserver import timelines
from mockserver.tachoshare import rules
from mockserver.tachoshare.downloads import DownloadSummary, start_of
from mockserver.tachoshare.service import TachoShareService
from mockserver.timelines import ATTEMPTS, Event
from mockserver.world.models import CompanyCard, GenerationPeriod


def _service(sim: Any) -> TachoShareService:
    service: TachoShareService = sim.services["tachoshare"]
    return service


def _attempts(downloads: DownloadSummary) -> list[Event]:
    return [
        Event(a.at, "manual" if a.manual else "scheduled", a.ok, None if a.ok else a.reason or "FAILED")
        for a in downloads.attempts
    ]


def _planned(downloads: DownloadSummary) -> list[Event]:
    planned = []
    if downloads.pending_manual is not None:
        planned.append(Event(downloads.pending_manual, "planned", detail="manual"))
    if downloads.next_attempt is not None and downloads.next_attempt != downloads.pending_manual:
        planned.append(Event(downloads.next_attempt, "planned", detail="scheduled"))
    return planned


def _generations(periods: Iterable[GenerationPeriod]) -> list[Event]:
    return [Event(start_of(p.since), "generation", detail=p.generation.value) for p in periods]


def vehicle_events(sim: Any, account_name: str, vin: str, now: datetime) -> list[Event] | None:
    account = sim.account(account_name)
    vehicle = account.vehicle(vin) if account is not None else None
    if account is None or vehicle is None:
        return None
    service = _service(sim)
    downloads = service.vehicle_downloads(account, vehicle, now)
    requests = [Event(at, "request") for at in service.vehicle_requests(account, vehicle, now)]
    return [*_generations(vehicle.generations), *requests, *_attempts(downloads), *_planned(downloads)]


def driver_events(sim: Any, account_name: str, card: str, now: datetime) -> list[Event] | None:
    account = sim.account(account_name)
    driver = account.driver(card) if account is not None else None
    if account is None or driver is None:
        return None
    downloads = _service(sim).driver_downloads(account, driver, now)
    return [*_generations(driver.generations), *_attempts(downloads), *_planned(downloads)]


MAX_LOCKED_VEHICLES = 50
"""A card's timeline shows the attempts of this many of the vehicles locked with it (the world's order): a scaled
fleet locks thousands with one card (a card copy serves 25 in the rules' occupation), which would take seconds to
list and tens of thousands of marks to draw; a note says how many there are."""


def _card_statuses(card: CompanyCard) -> list[Event]:
    """A status event on each day the card's status changes; the rules' status is constant between these days."""
    days = {card.registered, card.inserted, card.expiry - timedelta(days=rules.NEAR_EXPIRATION_DAYS), card.expiry,
            card.removed}  # fmt: skip
    events: list[Event] = []
    for day in sorted(d for d in days if d is not None):
        status = rules.card_status(card, day)
        if not events or events[-1].detail != status.value:
            usable = None if status is rules.CardStatus.PENDING_INSERTION else status in rules.USABLE_CARD_STATUSES
            events.append(Event(start_of(day), "status", usable, status.value))
    return events


def company_card_events(sim: Any, account_name: str, card_number: str, now: datetime) -> list[Event] | None:
    account = sim.account(account_name)
    card = next((c for c in account.company_cards if c.card_number == card_number), None) if account else None
    if account is None or card is None:
        return None
    events = _card_statuses(card)
    if card.first_used is not None:
        events.append(Event(start_of(card.first_used), "note", detail="first used in an RDL: expirationDate shown"))
    service = _service(sim)
    locked = [v for v in account.vehicles if v.locked_company_card == card.card_number]
    for vehicle in locked[:MAX_LOCKED_VEHICLES]:
        downloads = service.vehicle_downloads(account, vehicle, now)
        events += [replace(e, related=vehicle.vin) for e in _attempts(downloads)]
    if len(locked) > MAX_LOCKED_VEHICLES:
        shown = f"RDL attempts of the first {MAX_LOCKED_VEHICLES} of the {len(locked)} vehicles locked with it"
        events.append(Event(now, "note", detail=shown))
    return events


timelines.register("vehicle", vehicle_events)
timelines.register("driver", driver_events)
timelines.register("companyCard", company_card_events, lanes=("status", "note", *ATTEMPTS))
