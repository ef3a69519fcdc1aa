"""Two-driver crews take turns at the wheel (`crewday`): the cards swap slots at every break with driving after it,
the card in slot 1 drives, the other is on availability in slot 2. The VU file's activity records per slot and
card sessions, both drivers' cards and the EU totals `ddd inspect` and the console chart show tell the same days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.charts.tacho import tacho_day
from mockserver.tachograph.card.file import write_card_file
from mockserver.tachograph.crewday import co_slot_plan, crew_turns, member_changes, member_plan, sessions, slot_of
from mockserver.tachograph.dayplan import DriverDayPlan, plan_driver_day
from mockserver.tachograph.history.card import build_card_download
from mockserver.tachograph.history.fixed import FixedCrew
from mockserver.tachograph.history.mobility import IncidentType, vehicle_day
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.inspect import card_minutes, minutes_per_activity, summarize
from mockserver.tachograph.types import Activity, Generation, Slot
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from tests.tachograph.test_mobility_vu import _vehicle

ACTIVITIES = ("break_rest", "availability", "work", "driving")


def _activity(plan: DriverDayPlan, minute: int) -> Activity | None:
    return next((s.activity for s in plan.segments if s.start <= minute < s.end), None)


def _minutes(plan: DriverDayPlan) -> dict[str, int]:
    return {a.name.lower(): plan.minutes_of(a) for a in Activity}


def _working_plan(seed: int, offset: int) -> DriverDayPlan:
    day = date(2024, 1, 1) + timedelta(days=offset)
    while day.weekday() >= 5 or not plan_driver_day(seed, day).working:
        day += timedelta(days=1)
    return plan_driver_day(seed, day)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**40), st.integers(0, 800))
def test_one_card_drives_at_a_time_and_each_members_day_fills_the_session(seed: int, offset: int) -> None:
    plan = _working_plan(seed, offset)
    lead, second = member_plan(plan, True), member_plan(plan, False)
    begin, end = plan.card_inserted or 0, plan.card_withdrawn or 0
    for member in (lead, second):  # back to back from insertion to withdrawal: the totals sum to the session
        assert (member.card_inserted, member.card_withdrawn) == (begin, end)
        assert all(a.end == b.start for a, b in zip(member.segments, member.segments[1:], strict=False))
        assert sum(_minutes(member).values()) == end - begin
        assert member.distance_km == plan.distance_km
    assert lead.driving_minutes + second.driving_minutes == plan.driving_minutes
    for minute in range(begin, end):
        vehicle = _activity(plan, minute)
        mine, theirs = _activity(lead, minute), _activity(second, minute)
        assert not (mine is theirs is Activity.DRIVING)
        assert (Activity.DRIVING in (mine, theirs)) is (vehicle is Activity.DRIVING)
        assert slot_of(plan, minute, True) is not slot_of(plan, minute, False)
        for member, is_lead in ((lead, True), (second, False)):
            in_slot_one = slot_of(plan, minute, is_lead) is Slot.DRIVER
            expected = vehicle if in_slot_one else _activity(co_slot_plan(plan), minute)
            assert _activity(member, minute) is expected  # slot 1 drives, slot 2 is on availability meanwhile
    turns = crew_turns(plan)
    assert (second.driving_minutes > 0) is bool(turns)  # the second takes the wheel after the first turn
    for is_lead in (True, False):
        parts = sessions(plan, is_lead)
        assert [p[0] for p in parts] == [begin, *turns] and [p[1] for p in parts] == [*turns, end]
        assert [p[2] for p in parts] == [slot_of(plan, p[0], is_lead) for p in parts]
        own = member_plan(plan, is_lead)
        for change in member_changes(plan, is_lead):
            if change.card_present:
                assert change.crew and change.slot is slot_of(plan, change.minute, is_lead)
                assert change.activity is _activity(own, change.minute)


def _crew_files(seed: int, start: date, days: int):  # type: ignore[no-untyped-def]
    facts = _vehicle(seed, Generation.GEN2V2)
    crew = FixedCrew([facts])
    end = start + timedelta(days=days)
    now = datetime(end.year, end.month, end.day, 9, tzinfo=UTC)
    vu = read_vu_file(write_vu_file(build_vu_download(crew, facts.vin, start, end, now))).download
    cards = {}
    for driver in (*facts.drivers, *facts.co_drivers):
        data = write_card_file(build_card_download(crew.history(driver), now))
        cards[driver.card_number] = {d.day: d for d in summarize_card(data)}, data
    return facts, crew, vu, cards


def summarize_card(data: bytes):  # type: ignore[no-untyped-def]
    [summary] = summarize(data, "card.ddd")
    return [_Day(date.fromisoformat(d.day), d.minutes) for d in summary.days]


class _Day:
    def __init__(self, day: date, minutes: dict[str, int]) -> None:
        self.day = day
        self.minutes = minutes


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 10**6), st.integers(0, 500))
def test_the_vu_file_both_cards_and_the_totals_tell_the_same_turns(seed: int, offset: int) -> None:
    start = date(2022, 3, 1) + timedelta(days=offset)
    facts, crew, vu, cards = _crew_files(seed, start, 14)
    for day in vu.days:
        shift = crew.vehicle_shift(facts.vin, day.day)
        if shift is None or shift.partner is None:
            continue
        plan = shift.plan
        session = (plan.card_withdrawn or 0) - (plan.card_inserted or 0)
        for slot in Slot:  # each slot's totals sum to the card session
            assert sum(minutes_per_activity(day.activity_changes, slot).values()) == session
        per_card = card_minutes(day)
        for key, lead in ((shift.driver, True), (shift.partner, False)):
            own = _minutes(member_plan(plan, lead))
            number = crew.card_in_use(key, day.day).card.number
            assert per_card[number] == own  # the VU's records of the card's slots while it was in them
            assert cards[key][0][day.day].minutes == own  # the card's own day
            chart = tacho_day(cards[key][1], "card.ddd", day.day).totals()
            assert {a: chart[a] for a in ("availability", "work", "driving")} == {
                a: own[a] for a in ("availability", "work", "driving")
            }
            assert [(i.slot, i.inserted_at) for i in day.card_insertions if i.card.number == number] == [
                (slot, datetime.combine(day.day, datetime.min.time(), UTC) + timedelta(minutes=begin))
                for begin, _, slot in sessions(plan, lead)
            ]
        if crew_turns(plan):
            assert all(_minutes(member_plan(plan, lead))["driving"] > 0 for lead in (True, False))
        insertions = sorted(day.card_insertions, key=lambda i: i.inserted_at)
        for one, other in zip(insertions, insertions[2:], strict=False):  # odometers grow session by session
            assert one.odometer_at_insertion <= other.odometer_at_insertion


def test_a_crew_takes_turns_on_most_crewed_days_and_records_name_the_driver() -> None:
    facts, crew, vu, _ = _crew_files(31, date(2023, 1, 1), 120)
    crewed = turned = overspeeds = 0
    for day in vu.days:
        shift = crew.vehicle_shift(facts.vin, day.day)
        if shift is None or shift.partner is None:
            continue
        crewed += 1
        turned += bool(crew_turns(shift.plan))
        record = vehicle_day(crew, facts.vin, day.day)
        for incident in record.incidents:
            if incident.kind is IncidentType.OVER_SPEEDING:  # named after the card then in slot 1: who drove
                minute = incident.begin.hour * 60 + incident.begin.minute
                driver = incident.driver
                assert driver == shift.holders_at(minute)[0]
                lead = driver == shift.driver
                assert _activity(member_plan(shift.plan, lead), minute) is Activity.DRIVING
                overspeeds += 1
        for crossing in day.border_crossings:
            minute = crossing.place.timestamp.hour * 60 + crossing.place.timestamp.minute
            slot_one, slot_two = shift.holders_at(minute)
            assert crossing.driver_card is not None and crossing.co_driver_card is not None
            assert crossing.driver_card.number == crew.card_in_use(slot_one or "", day.day).card.number
            assert crossing.co_driver_card.number == crew.card_in_use(slot_two or "", day.day).card.number
    assert crewed > 30 and turned > crewed // 2
