"""Statuses against the clock: as simulated time advances, statuses move exactly as the rules say."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mockserver.tachoshare import rules
from mockserver.tachoshare.downloads import summarize
from mockserver.tachoshare.rules import CardStatus, RdlStatus
from mockserver.world.models import (
    Account,
    CompanyCard,
    DownloadPlan,
    Generation,
    GenerationPeriod,
    ServiceVariant,
    User,
    Vehicle,
)
from tests.tachoshare.fixed_vehicle import daf

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
CARD = CompanyCard(
    "ABCDEF0123456001",
    "Co",
    "1",
    expiry=date(2030, 1, 1),
    inserted=date(2020, 1, 1),
    first_used=date(2020, 1, 2),
)


def _vehicle(
    variant: ServiceVariant,
    first_days_ago: int,
    failing_days_ago: int | None,
    link_removed_in: int | None = None,
) -> Vehicle:
    return daf(
        generations=(GenerationPeriod(date(2015, 1, 1), Generation.GEN2V2),),
        variant=variant,
        service_start=date(2015, 1, 1),
        downloads=DownloadPlan(
            START - timedelta(days=first_days_ago),
            None if failing_days_ago is None else START - timedelta(days=failing_days_ago),
        ),
        locked_company_card=CARD.card_number,
        link_removed=None if link_removed_in is None else (START + timedelta(days=link_removed_in)).date(),
    )


def _account(vehicle: Vehicle, card: CompanyCard = CARD) -> Account:
    return Account("a", "Co", "NL", (User("u", "p", "U"),), (vehicle,), (), (card,))


SEVERITY = {RdlStatus.OK: 0, RdlStatus.DELAYED: 1, RdlStatus.OUTSIDE_LEGAL_COMPLIANCE: 2}


@settings(max_examples=60, deadline=None)
@given(
    variant=st.sampled_from(list(ServiceVariant)),
    first=st.integers(min_value=1, max_value=600),
    failing=st.one_of(st.none(), st.integers(min_value=-200, max_value=300)),
    steps=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12),
)
def test_vehicle_status_follows_lateness_as_time_advances(
    variant: ServiceVariant, first: int, failing: int | None, steps: list[int]
) -> None:
    assume(failing is None or failing < first)
    vehicle = _vehicle(variant, first, failing)
    account = _account(vehicle)
    timeline = rules.vehicle_timeline(account, vehicle)
    now, previous = START, None
    for step in steps:
        now += timedelta(days=step)
        downloads = summarize(timeline, now)
        status = rules.vehicle_status(vehicle, downloads, now.date())
        last = downloads.last_success
        assert last is not None  # the first download happened before START and nothing failed before it
        lateness = (now.date() - last.at.date()).days
        expected = (
            RdlStatus.OUTSIDE_LEGAL_COMPLIANCE
            if lateness > 90
            else RdlStatus.DELAYED
            if lateness > variant.vehicle_period_days
            else RdlStatus.OK
        )
        assert status is expected
        if failing is None or now < vehicle.downloads.failing_since:  # type: ignore[operator]
            assert status is RdlStatus.OK  # healthy units are downloaded on schedule
        if previous is not None and failing is not None and failing >= 0:
            assert SEVERITY[status] >= SEVERITY[previous]  # while failing, things only get worse
        assert rules.next_scheduled(downloads, variant.vehicle_period_days, now.date()) == last.at.date() + timedelta(
            days=variant.vehicle_period_days
        )
        assert all(a.at <= now for a in downloads.attempts)
        previous = status


@settings(max_examples=40, deadline=None)
@given(removed_in=st.integers(min_value=0, max_value=100), step=st.integers(min_value=0, max_value=120))
def test_disconnected_vehicle_stops_being_scheduled(removed_in: int, step: int) -> None:
    vehicle = _vehicle(ServiceVariant.TACHOSHARE_PLUS, 30, None, link_removed_in=removed_in)
    timeline = rules.vehicle_timeline(_account(vehicle), vehicle)
    now = START + timedelta(days=step)
    downloads = summarize(timeline, now)
    status = rules.vehicle_status(vehicle, downloads, now.date())
    assert (status is RdlStatus.DISCONNECTED) == (step >= removed_in)
    assert all(a.at.date() < START.date() + timedelta(days=removed_in) for a in downloads.attempts)


@settings(max_examples=60, deadline=None)
@given(expires_in=st.integers(min_value=-50, max_value=400), steps=st.lists(st.integers(0, 60), max_size=10))
def test_company_card_status_moves_with_expiry(expires_in: int, steps: list[int]) -> None:
    card = CompanyCard(
        "ABCDEF0123456001",
        "Co",
        "1",
        expiry=(START + timedelta(days=expires_in)).date(),
        inserted=date(2020, 1, 1),
        first_used=None,
    )
    order = [CardStatus.OK, CardStatus.NEAR_EXPIRATION, CardStatus.EXPIRED]
    today, seen = START.date(), []
    for step in [0, *steps]:
        today += timedelta(days=step)
        status = rules.card_status(card, today)
        left = (card.expiry - today).days
        assert status is (
            CardStatus.EXPIRED if left <= 0 else CardStatus.NEAR_EXPIRATION if left <= 90 else CardStatus.OK
        )
        seen.append(order.index(status))
    assert seen == sorted(seen)


def test_an_expiring_lock_card_makes_downloads_fail_with_no_cards_detected() -> None:
    card = CompanyCard(
        "ABCDEF0123456001",
        "Co",
        "1",
        expiry=(START + timedelta(days=10)).date(),
        inserted=date(2020, 1, 1),
        first_used=date(2020, 1, 2),
    )
    vehicle = _vehicle(ServiceVariant.TACHOSHARE_PLUS, 100, None)
    account = _account(vehicle, card)
    timeline = rules.vehicle_timeline(account, vehicle)
    later = START + timedelta(days=30)
    downloads = summarize(timeline, later)
    assert rules.health(account, vehicle, downloads) == ("NO_CARDS_DETECTED", "ALERT")
    assert rules.vehicle_status(vehicle, downloads, later.date()) is RdlStatus.DELAYED


card_days = st.none() | st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    inserted=card_days,
    removed=card_days,
    expiry=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    today=st.dates(min_value=date(2019, 6, 1), max_value=date(2031, 6, 30)),
)
def test_card_usable_is_a_usable_card_status(
    inserted: date | None, removed: date | None, expiry: date, today: date
) -> None:
    """The shortcut the rules ask at every walked attempt (issue 13) says what the status says."""
    card = CompanyCard("ABCDEF0123456001", "Co", "1", expiry, inserted, first_used=None, removed=removed)
    assert rules.card_usable(card, today) == (rules.card_status(card, today) in rules.USABLE_CARD_STATUSES)
