"""TachoShare's rules: everything the API shows that depends on time, derived from the world's facts and "now".

Nothing here is stored; statuses, next scheduled dates, health results, company card statuses and group
occupation are computed from facts, so they can never disagree with each other.

Conventions (see the README and ../shared/reference/api-context.md):
- outside legal compliance: no successful download for more than 90 days (vehicle unit) or 28 days (driver card);
- a download at instant t brings the activities of every complete day before t's date;
- a vehicle's first download brought the 28 days its unit held before it;
- health level: INFO for success, WARNING for configuration problems the customer fixes, ALERT for faults;
- a company card copy serves at most `VEHICLES_PER_CARD` vehicles; occupation = locked vehicles / capacity.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockserver.tachoshare.downloads import DownloadSummary, Timeline, at_time
from mockserver.world.models import Account, CompanyCard, Driver, Vehicle

VEHICLE_LEGAL_MAX_DAYS = 90
DRIVER_LEGAL_MAX_DAYS = 28
FIRST_DOWNLOAD_BACKFILL_DAYS = 28
NEAR_EXPIRATION_DAYS = 90
VEHICLES_PER_CARD = 25


class RdlStatus(enum.Enum):
    OK = "OK"
    DELAYED = "DELAYED"
    OUTSIDE_LEGAL_COMPLIANCE = "OUTSIDE_LEGAL_COMPLIANCE"
    NEVER_DOWNLOADED = "NEVER_DOWNLOADED"
    DISCONNECTED = "DISCONNECTED"
    EXPIRED = "EXPIRED"


class CardStatus(enum.Enum):
    OK = "OK"
    NEAR_EXPIRATION = "NEAR_EXPIRATION"
    EXPIRED = "EXPIRED"
    PENDING_INSERTION = "PENDING_INSERTION"
    REMOVED = "REMOVED"


USABLE_CARD_STATUSES = frozenset({CardStatus.OK, CardStatus.NEAR_EXPIRATION})
VALID_CARD_STATUSES = USABLE_CARD_STATUSES | {CardStatus.PENDING_INSERTION}

_WARNING_RESULTS = frozenset(
    {
        "NO_COMPANY_CARD_LOCKED",
        "LOCKED_COMPANY_CARD_NOT_PRESENT",
        "NO_CARDS_DETECTED",
        "INVALID_VIN_IN_OVERVIEW",
    }
)


def card_status(card: CompanyCard, today: date) -> CardStatus:
    if card.removed is not None and card.removed <= today:
        return CardStatus.REMOVED
    if card.inserted is None or card.inserted > today:
        return CardStatus.PENDING_INSERTION
    if today >= card.expiry:
        return CardStatus.EXPIRED
    if (card.expiry - today).days <= NEAR_EXPIRATION_DAYS:
        return CardStatus.NEAR_EXPIRATION
    return CardStatus.OK


def card_expiration_shown(card: CompanyCard, today: date) -> bool:
    """The expiration date is known once the card was used in an RDL."""
    return card.first_used is not None and card.first_used <= today


@dataclass(frozen=True)
class GroupView:
    name: str
    occupation_pct: float | None
    vehicles_locked: int | None


def group_view(account: Account, group: str, today: date) -> GroupView:
    statuses = [card_status(c, today) for c in account.company_cards if c.group == group]
    usable = sum(1 for s in statuses if s in USABLE_CARD_STATUSES)
    locked = sum(1 for v in account.vehicles if v.locked_company_card and v.locked_company_card[:13] == group)
    has_valid = any(s in VALID_CARD_STATUSES for s in statuses)
    occupation = round(locked / (usable * VEHICLES_PER_CARD), 2) if usable else None
    return GroupView(group, occupation, locked if has_valid else None)


def lock_problem(account: Account, vehicle: Vehicle, day: date) -> str | None:
    """Why the vehicle's lock keeps an RDL from authenticating on `day`, if it does."""
    lock = vehicle.locked_company_card
    if lock is None:
        return None
    group = [c for c in account.company_cards if c.group == lock[:13]]
    if not group:
        return "LOCKED_COMPANY_CARD_NOT_PRESENT"
    if not any(card_status(c, day) in USABLE_CARD_STATUSES for c in group):
        return "NO_CARDS_DETECTED"
    return None


def service_active(vehicle: Vehicle, at: datetime) -> bool:
    day = at.date()
    if vehicle.link_removed is not None and day >= vehicle.link_removed:
        return False
    return not (vehicle.service_expires is not None and day >= vehicle.service_expires)


def vehicle_timeline(account: Account, vehicle: Vehicle) -> Timeline:
    plan = vehicle.downloads
    hour = plan.first.timetz() if plan.first else at_time(vehicle.service_start, _DEFAULT_HOUR).timetz()
    begin = plan.first or at_time(vehicle.service_start, hour)
    foreign = lock_problem(account, vehicle, begin.date()) == "LOCKED_COMPANY_CARD_NOT_PRESENT"
    failing_since = plan.failing_since if plan.failing_since is not None else (begin if foreign else None)

    def outcome(at: datetime) -> str | None:
        failing = failing_since is not None and at >= failing_since
        problem = lock_problem(account, vehicle, at.date())
        if problem == "NO_CARDS_DETECTED" or (problem and failing):
            return problem
        if failing:
            return vehicle.failure.value if vehicle.failure else "TACHOGRAPH_NOT_RESPONDING"
        return None

    return Timeline(begin, vehicle.variant.vehicle_period_days, outcome, lambda at: service_active(vehicle, at))


def driver_timeline(driver: Driver) -> Timeline:
    plan = driver.downloads
    failing_since = plan.failing_since

    def outcome(at: datetime) -> str | None:
        return "NO_CARDS_DETECTED" if failing_since is not None and at >= failing_since else None

    return Timeline(plan.first, driver.variant.driver_period_days, outcome, lambda at: True)


_DEFAULT_HOUR = datetime(2000, 1, 1, 6, 0).time()


def lateness_status(last_success: date | None, today: date, period: int, legal_max: int) -> RdlStatus:
    if last_success is None:
        return RdlStatus.NEVER_DOWNLOADED
    if (today - last_success).days > legal_max:
        return RdlStatus.OUTSIDE_LEGAL_COMPLIANCE
    if today > last_success + timedelta(days=period):
        return RdlStatus.DELAYED
    return RdlStatus.OK


def vehicle_status(vehicle: Vehicle, downloads: DownloadSummary, today: date) -> RdlStatus:
    if vehicle.service_expires is not None and today >= vehicle.service_expires:
        return RdlStatus.EXPIRED
    if vehicle.link_removed is not None and today >= vehicle.link_removed:
        return RdlStatus.DISCONNECTED
    last = downloads.last_success
    return lateness_status(
        last.at.date() if last else None, today, vehicle.variant.vehicle_period_days, VEHICLE_LEGAL_MAX_DAYS
    )


def health(account: Account, vehicle: Vehicle, downloads: DownloadSummary) -> tuple[str, str] | None:
    """The (result, level) of the last attempt; None before any attempt."""
    last = downloads.last_attempt
    if last is None:
        return None
    if last.ok:
        return ("SUCCESS", "INFO") if vehicle.locked_company_card else ("NO_COMPANY_CARD_LOCKED", "WARNING")
    result = last.reason or "TACHOGRAPH_NOT_RESPONDING"
    return result, "WARNING" if result in _WARNING_RESULTS else "ALERT"


def next_scheduled(downloads: DownloadSummary, period: int, today: date) -> date:
    last = downloads.last_success
    if last is not None:
        return last.at.date() + timedelta(days=period)
    return downloads.next_attempt.date() if downloads.next_attempt else today
