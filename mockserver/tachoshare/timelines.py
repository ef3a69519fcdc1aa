"""TachoShare's download timelines for the QA console (`mockserver.timelines`): a vehicle unit's and a driver card's
RDL attempts (scheduled or manual, ok or failed and why), the manual requests, the next planned attempt, and the
changes of tachograph generation, all from the same timeline (`downloads.py`) the API's answers are made from.

Not simulated: company cards have no download timeline (they are inserted in a vehicle unit, never downloaded).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from mockserver import timelines
from mockserver.tachoshare.downloads import DownloadSummary, start_of
from mockserver.tachoshare.service import TachoShareService
from mockserver.timelines import Event
from mockserver.world.models import GenerationPeriod


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


timelines.register("vehicle", vehicle_events)
timelines.register("driver", driver_events)
