"""Steady runs (issue 13): attempts appended a run at a time are exactly the attempts of the step-by-step walk.

Each example builds the same timeline twice, once with the rules' `steady` promise and once without it (every
attempt walked), advances both through the same instants with the same manual requests, and compares every attempt
and every summary along the way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.tachoshare import rules
from mockserver.tachoshare.downloads import DownloadSummary, Timeline
from mockserver.world.models import (
    Account,
    CompanyCard,
    DownloadPlan,
    Driver,
    DrivingPattern,
    FailureMode,
    Generation,
    GenerationPeriod,
    ServiceVariant,
    User,
    Vehicle,
)
from tests.tachoshare.fixed_vehicle import daf

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
GEN = (GenerationPeriod(date(2015, 1, 1), Generation.GEN2V2),)

days = st.integers(min_value=-400, max_value=200)
maybe_day = st.none() | days


def _day(offset: int | None) -> date | None:
    return None if offset is None else (START + timedelta(days=offset)).date()


def _at(offset: int | None, hour: int = 8) -> datetime | None:
    return None if offset is None else START.replace(hour=hour) + timedelta(days=offset)


@st.composite
def vehicles(draw: st.DrawFn) -> tuple[Account, Vehicle]:
    cards = tuple(  # copies of one group: a date of one copy may change nothing while another stays usable
        CompanyCard(
            f"ABCDEF0123456{copy:03d}",
            "Co",
            str(copy),
            expiry=_day(draw(days)) or START.date(),
            inserted=_day(draw(maybe_day)),
            first_used=None,
            removed=_day(draw(maybe_day)),
        )
        for copy in range(1, draw(st.integers(1, 3)) + 1)
    )
    card = cards[0]
    weekdays = frozenset(draw(st.sets(st.integers(0, 6), min_size=1)))
    vehicle = daf(
        generations=GEN,
        variant=draw(st.sampled_from(ServiceVariant)),
        service_start=date(2025, 1, 1),
        downloads=DownloadPlan(
            DrivingPattern(weekdays, time(7, 15)).ignition_at_or_after(
                START - timedelta(days=draw(st.integers(0, 400)))
            ),
            _at(draw(maybe_day), draw(st.integers(0, 23))),
        ),
        locked_company_card=draw(st.sampled_from([card.card_number, "ZZZZZZ0000000001", None])),
        failure=draw(st.none() | st.sampled_from(FailureMode)),
        link_removed=_day(draw(maybe_day)),
        service_expires=_day(draw(maybe_day)),
        driving=DrivingPattern(weekdays, time(7, 15)),
        intermittent_can_errors=draw(st.sampled_from([0.0, 0.0, 0.3])),
    )
    account = Account("a", "Co", "NL", (User("u", "p", "U"),), (vehicle,), (), cards)
    return account, vehicle


def _attempts(timeline: Timeline, now: datetime) -> list[tuple[datetime, bool, str | None, bool]]:
    return [(a.at, a.ok, a.reason, a.manual) for a in timeline.until(now)]


def _facts(summary: DownloadSummary) -> tuple[object, ...]:
    return (
        summary.last_attempt,
        summary.first_success,
        summary.last_success,
        summary.next_attempt,
        summary.pending_manual,
    )


def _walk_alike(fast: Timeline, slow: Timeline, steps: list[tuple[int, bool]], glance: Timeline) -> None:
    """`slow` walks every attempt and writes it out before each summary; `fast` and `glance` append steady runs,
    and `glance` is only ever asked for summaries, so its attempts stay known by their shape, never written out."""
    now = START - timedelta(days=5)
    for hours, manual in steps:
        now += timedelta(hours=hours)
        if manual:
            fast.request(now)
            slow.request(now)
            glance.request(now)
        walked = _attempts(slow, now)  # every attempt written out before the summary is made from them
        theirs = slow.summary(now)
        glanced = glance.summary(now)
        assert _facts(glanced) == _facts(theirs)
        mine = fast.summary(now)  # before the attempts are listed: read from the runs' shapes
        assert _facts(mine) == _facts(theirs)
        lagged = now - timedelta(days=2)
        expected = next((s for s in reversed(theirs.successes) if s.at <= lagged), None)
        assert glanced.last_success_until(lagged) == expected  # from the shapes, as an exporting driver's view asks
        assert len(glance._at) == 0  # and without writing the attempts out
        assert _attempts(fast, now) == walked
        assert mine.last_success_until(lagged) == expected


step_lists = st.lists(st.tuples(st.integers(0, 24 * 90), st.booleans()), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(case=vehicles(), steps=step_lists)
def test_vehicle_runs_equal_the_step_by_step_walk(case: tuple[Account, Vehicle], steps: list[tuple[int, bool]]) -> None:
    account, vehicle = case
    fast = rules.vehicle_timeline(account, vehicle)
    slow = rules.vehicle_timeline(account, vehicle)
    slow.steady = None
    _walk_alike(fast, slow, steps, rules.vehicle_timeline(account, vehicle))


@settings(max_examples=60, deadline=None)
@given(
    first=st.none() | st.integers(0, 700),
    failing=maybe_day,
    variant=st.sampled_from(ServiceVariant),
    steps=st.lists(st.tuples(st.integers(0, 24 * 90), st.just(False)), min_size=1, max_size=6),
)
def test_driver_runs_equal_the_step_by_step_walk(
    first: int | None, failing: int | None, variant: ServiceVariant, steps: list[tuple[int, bool]]
) -> None:
    driver = Driver(
        "1",
        "DF000001234560" + "01",
        "NL",
        "A",
        "B",
        date(1980, 1, 1),
        "Main",
        variant,
        DownloadPlan(_at(None if first is None else -first, 6), _at(failing, 9)),
        GEN,
        date(2030, 1, 1),
    )
    fast = rules.driver_timeline(driver)
    slow = rules.driver_timeline(driver)
    slow.steady = None
    _walk_alike(fast, slow, steps, rules.driver_timeline(driver))


def test_a_long_daily_history_is_appended_in_runs_not_walked() -> None:
    """A year of daily card downloads asks the rules for an outcome a handful of times, not 365."""
    driver = Driver(
        "1",
        "DF00000123456001",
        "NL",
        "A",
        "B",
        date(1980, 1, 1),
        "Main",
        ServiceVariant.TACHOSHARE_PLUS,
        DownloadPlan(_at(-365, 6), _at(-30, 9)),
        GEN,
        date(2030, 1, 1),
    )
    timeline = rules.driver_timeline(driver)
    asked = _counting_outcomes(timeline)
    summary = timeline.summary(START)
    assert len(timeline.until(START)) == 366
    assert summary.last_success is not None and summary.last_attempt is not None
    assert summary.last_attempt.reason == "NO_CARDS_DETECTED"
    assert len(asked) <= 4


def test_a_copys_date_that_changes_nothing_does_not_cut_a_run() -> None:
    """A vehicle locked to a group of three copies, one of them usable throughout: the other copies' insertions,
    expiries and removals change no attempt's outcome, so two years of weekly downloads ask the rules once."""
    day = START.date()
    cards = (
        CompanyCard("ABCDEF0123456001", "Co", "1", day + timedelta(days=900), day - timedelta(days=1000), None),
        CompanyCard("ABCDEF0123456002", "Co", "2", day - timedelta(days=300), day - timedelta(days=600), None),
        CompanyCard(
            "ABCDEF0123456003",
            "Co",
            "3",
            day + timedelta(days=400),
            day - timedelta(days=200),
            None,
            day - timedelta(days=50),
        ),
    )
    driving = DrivingPattern(frozenset(range(6)), time(7, 15))
    vehicle = daf(
        generations=GEN,
        variant=ServiceVariant.TACHOSHARE_PLUS,
        service_start=date(2020, 1, 1),
        downloads=DownloadPlan(driving.ignition_at_or_after(START - timedelta(days=730))),
        locked_company_card=cards[0].card_number,
        driving=driving,
    )
    account = Account("a", "Co", "NL", (User("u", "p", "U"),), (vehicle,), (), cards)
    timeline = rules.vehicle_timeline(account, vehicle)
    asked = _counting_outcomes(timeline)
    summary = timeline.summary(START)
    assert summary.last_attempt is not None and summary.last_attempt.ok
    assert len(timeline.until(START)) == 105
    assert len(asked) == 1


def _counting_outcomes(timeline: Timeline) -> list[datetime]:
    """The instants the timeline asks its rules about from now on (the list grows as it asks)."""
    asked: list[datetime] = []
    outcome = timeline.outcome

    def counting(at: datetime) -> str | None:
        asked.append(at)
        return outcome(at)

    timeline.outcome = counting
    return asked
