"""TachoShare's rules: everything the API shows that depends on time, derived from the world's facts and "now".

Nothing here is stored; statuses, next scheduled dates, health results, company card statuses and group
occupation are computed from facts, so they can never disagree with each other.

Conventions (see the README and ../shared/reference/api-context.md):
- outside legal compliance: no successful download for more than 90 days (vehicle unit) or 28 days (driver card);
- a download at instant t brings the activities of every complete day before t's date;
- a vehicle's first download brought the 28 days its unit held before it;
- health level: INFO for success, ALERT for every other result (the reference shows only these two levels);
- a company card copy serves at most `VEHICLES_PER_CARD` vehicles; occupation = locked vehicles / capacity.
"""

from __future__ import annotations

import bisect
import enum
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mockserver.memo import Memo
from mockserver.tachoshare.downloads import DownloadSummary, Timeline, start_of
from mockserver.world.models import Account, CompanyCard, Driver, DrivingPattern, Vehicle

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


def card_usable(card: CompanyCard, today: date) -> bool:
    """`card_status(card, today) in USABLE_CARD_STATUSES`, without making the status: the rules ask it at every
    attempt they walk, and an enum's hash (a set's membership test) is a Python call."""
    inserted, removed = card.inserted, card.removed
    return (removed is None or removed > today) and inserted is not None and inserted <= today < card.expiry


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
    return _lock_problem(vehicle.locked_company_card, _lock_group(account, vehicle), day)


_Group = tuple[tuple[CompanyCard, ...], tuple[datetime, ...]]  # the lock's cards; the instants their statuses change
_GROUPS: Memo[tuple[int, str | None], tuple[tuple[CompanyCard, ...], _Group]] = Memo(4096, "lock groups")
"""(id of an account's company cards, a lock) -> (those cards, the lock's group): the cards are kept in the value, so
their id is not reused while the entry lives and a hit (checked by identity) is exactly what a scan gives."""


def _lock_group(account: Account, vehicle: Vehicle) -> tuple[CompanyCard, ...]:
    return _group_of(account, vehicle.locked_company_card)[0]


def _group_of(account: Account, lock: str | None) -> _Group:
    """The lock's group of cards and the sorted instants at which the lock's problem (`_lock_problem`) changes.

    Only the days a card of the group is inserted, expires or is removed can change it, but most do not (another
    copy stays usable): those are left out, so a steady run of attempts goes on across them instead of stopping
    (issue 13: half of a 10,000-vehicle world is locked to a group of three copies, whose four dates of no effect
    each cost its vehicles' timelines a walked attempt and a run)."""
    cards = account.company_cards
    key = (id(cards), lock)
    hit = _GROUPS.get(key)
    if hit is not None and hit[0] is cards:
        return hit[1]
    group = tuple(c for c in cards if lock is not None and c.group == lock[:13])
    days = {day for card in group for day in (card.inserted, card.expiry, card.removed) if day is not None}
    effective = [
        day for day in days if _lock_problem(lock, group, day) != _lock_problem(lock, group, day - timedelta(days=1))
    ]
    return _GROUPS.set(key, (cards, (group, _change_points([], effective))))[1]


def _lock_problem(lock: str | None, group: tuple[CompanyCard, ...], day: date) -> str | None:
    if lock is None:
        return None
    if not group:
        return "LOCKED_COMPANY_CARD_NOT_PRESENT"
    for card in group:
        if card_usable(card, day):
            return None
    return "NO_CARDS_DETECTED"


def service_active(vehicle: Vehicle, at: datetime) -> bool:
    day = at.date()
    if vehicle.link_removed is not None and day >= vehicle.link_removed:
        return False
    return not (vehicle.service_expires is not None and day >= vehicle.service_expires)


def _intermittent_can_error(vehicle: Vehicle, at: datetime) -> bool:
    """A deterministic coin flip per (vehicle, attempt instant): same world, same failures."""
    if vehicle.intermittent_can_errors <= 0:
        return False
    digest = hashlib.sha256(f"{vehicle.vin}:{at.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < vehicle.intermittent_can_errors


class _VehicleRules:
    """What a vehicle unit's attempts depend on, asked by its timeline (`outcome`, `steady`, `active`): one object
    per timeline where closures made eight (functions and their cells), all kept as long as the timeline (issue 13:
    objects a large world's first list makes and the collector walks)."""

    __slots__ = ("changes", "failing_since", "group", "intermittent", "lock", "vehicle")

    def __init__(self, vehicle: Vehicle, lock: str | None, group: tuple[CompanyCard, ...]) -> None:
        self.vehicle, self.lock, self.group = vehicle, lock, group
        self.intermittent = vehicle.intermittent_can_errors > 0
        self.failing_since: datetime | None = None
        self.changes: tuple[datetime, ...] = ()

    def outcome(self, at: datetime) -> str | None:
        failing = self.failing_since is not None and at >= self.failing_since
        problem = _lock_problem(self.lock, self.group, at.date()) if self.lock is not None else None
        if problem == "NO_CARDS_DETECTED" or (problem and failing):
            return problem
        if failing:
            failure = self.vehicle.failure
            return failure.value if failure else "TACHOGRAPH_NOT_RESPONDING"
        if self.intermittent and _intermittent_can_error(self.vehicle, at):
            return "CAN_ERROR"
        return None

    def steady(self, at: datetime) -> datetime | None:
        if self.intermittent:
            return at  # a coin flip per attempt: nothing is steady
        return _next_change(self.changes, at) if self.changes else None

    def active(self, at: datetime) -> bool:
        return service_active(self.vehicle, at)


def vehicle_timeline(account: Account, vehicle: Vehicle, requests: tuple[datetime, ...] = ()) -> Timeline:
    """The download timeline of a vehicle unit, given the manual requests made since the world's start."""
    plan = vehicle.downloads
    begin = plan.first or vehicle.driving.ignition_at_or_after(start_of(vehicle.service_start))
    lock = vehicle.locked_company_card
    group, group_changes = _group_of(account, lock)
    foreign = _lock_problem(lock, group, begin.date()) == "LOCKED_COMPANY_CARD_NOT_PRESENT"
    asked = _VehicleRules(vehicle, lock, group)
    asked.failing_since = failing_since = (
        plan.failing_since if plan.failing_since is not None else (begin if foreign else None)
    )
    asked.changes = group_changes
    ends = vehicle.link_removed is not None or vehicle.service_expires is not None
    if failing_since is not None or ends:
        asked.changes = _change_points([failing_since, *group_changes], [vehicle.link_removed, vehicle.service_expires])
    return Timeline(
        begin,
        vehicle.variant.vehicle_period_days,
        asked.outcome,
        asked.active if ends else _always_active,  # most of a fleet never ends
        vehicle.driving,
        manual=[*vehicle.manual_requests, *requests],
        steady=asked.steady,
    )


def _always_active(at: datetime) -> bool:
    return True


def _change_points(instants: Sequence[datetime | None], *day_lists: Sequence[date | None]) -> tuple[datetime, ...]:
    """Every instant at which an outcome or the service can change, sorted: the rules depend on nothing else."""
    points = {i for i in instants if i is not None}
    points.update(start_of(d) for days in day_lists for d in days if d is not None)
    return tuple(sorted(points))


def _next_change(changes: tuple[datetime, ...], at: datetime) -> datetime | None:
    index = bisect.bisect_right(changes, at)
    return changes[index] if index < len(changes) else None


def driver_timeline(driver: Driver) -> Timeline:
    """Driver cards are downloaded every day of the week at the driver's hour, while their card is reachable."""
    plan = driver.downloads
    failing_since = plan.failing_since

    def outcome(at: datetime) -> str | None:
        return "NO_CARDS_DETECTED" if failing_since is not None and at >= failing_since else None

    # what many drivers share is made once: the daily pattern per minute of the day (a few hundred for thousands of
    # drivers), the one change point without `_change_points`' sets (issue 13: the first list of a large world)
    every_day = _every_day(plan.first.time() if plan.first else time(6, 0))
    changes = () if failing_since is None else (failing_since,)
    return Timeline(
        plan.first,
        driver.variant.driver_period_days,
        outcome,
        _always_active,
        every_day,
        steady=lambda at: _next_change(changes, at),
    )


@functools.lru_cache(maxsize=1440)  # key: the ignition time, all the (frozen) pattern holds: a hit is exact
def _every_day(hour: time) -> DrivingPattern:
    return DrivingPattern(_EVERY_WEEKDAY, hour)


_EVERY_WEEKDAY = frozenset(range(7))


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
        return ("SUCCESS", "INFO") if vehicle.locked_company_card else ("NO_COMPANY_CARD_LOCKED", "ALERT")
    return last.reason or "TACHOGRAPH_NOT_RESPONDING", "ALERT"


def next_scheduled(downloads: DownloadSummary, period: int, today: date) -> date:
    last = downloads.last_success
    if last is not None:
        return last.at.date() + timedelta(days=period)
    return downloads.next_attempt.date() if downloads.next_attempt else today


class Refusal(enum.Enum):
    """Why a manual RDL is refused (409); the value is the description the API answers."""

    NOT_ENABLED = "RDL service is not enabled for this vehicle"
    NO_DEVICE = "RDL service is not possible due to lack of telematics device"
    NO_ATTEMPTS = "There are no more remaining attempts (manualAttemptsRemaining is 0)"
    IN_PROGRESS = "RDL is already in progress or waiting for execution"
    SCHEDULED_TODAY = "RDL is already scheduled for today"
    UP_TO_DATE = "RDL is up-to-date"


def manual_attempts_used(requests: tuple[datetime, ...], now: datetime) -> int:
    """Manual requests made this calendar month: the quota refills on the first day of each month."""
    if not requests:  # most vehicles of a large fleet
        return 0
    return sum(1 for r in requests if (r.year, r.month) == (now.year, now.month) and r <= now)


def rdl_refusal(vehicle: Vehicle, downloads: DownloadSummary, remaining: int, now: datetime) -> Refusal | None:
    """The first refusal condition that holds, in the reference's order of checks, or None to accept."""
    today = now.date()
    expired = vehicle.service_expires is not None and today >= vehicle.service_expires
    if not vehicle.rdl_enabled or expired or today < vehicle.service_start:
        return Refusal.NOT_ENABLED
    if not vehicle.telematics_device or (vehicle.link_removed is not None and today >= vehicle.link_removed):
        return Refusal.NO_DEVICE
    if remaining <= 0:
        return Refusal.NO_ATTEMPTS
    if downloads.pending_manual is not None:
        return Refusal.IN_PROGRESS
    if downloads.next_attempt is not None and downloads.next_attempt.date() == today:
        return Refusal.SCHEDULED_TODAY
    last = downloads.last_success
    if last is not None and last.at.date() == today:
        return Refusal.UP_TO_DATE
    return None
