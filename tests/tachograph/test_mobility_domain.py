"""The Mobility Package day records (`history.mobility`) and two-driver crews, as plain domain facts: where and
when each record happens in the day plans, how border crossings chain, and that both slots tell one crew."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.tachograph.crewday import co_slot_plan, crew_turns, member_plan
from mockserver.tachograph.dayplan import (
    DriverDayPlan,
    accumulated_driving_marks,
    cached_plan,
    driven_before,
)
from mockserver.tachograph.history.fixed import DriverFacts, FixedCrew, VehicleFacts
from mockserver.tachograph.history.mobility import NEIGHBOURS, IncidentType, OperationType, vehicle_day
from mockserver.tachograph.types import Activity, Generation, Slot, day_start

START = date(2024, 1, 1)


def _driver(seed: int) -> DriverFacts:
    return DriverFacts(
        seed,
        f"DM{seed:012d}00",
        0x0D,
        "Kraus",
        "Eva",
        date(1979, 3, 1),
        date(2022, 1, 3),
        date(2032, 1, 2),
        Generation.GEN2V2,
    )


def _crew(seed: int, nation: int = 0x0D, co_drivers: int = 1) -> FixedCrew:
    vehicle = VehicleFacts(
        seed,
        f"WDB96340310{seed % 10**6:06d}",
        nation,
        f"B-MP {seed % 1000}",
        Generation.GEN2V2,
        (_driver(seed * 3 + 1),),
        date(2022, 1, 3),
        co_drivers=tuple(_driver(seed * 3 + 2 + i) for i in range(co_drivers)),
    )
    return FixedCrew([vehicle])


def _minute(moment: datetime, day: date) -> int:
    return int((moment - day_start(day)).total_seconds() // 60)


seeds = st.integers(1, 10**9)
offsets = st.integers(0, 800)
nations = st.sampled_from([*sorted(NEIGHBOURS), 21, 11])


@settings(max_examples=60, deadline=None)
@given(seeds, offsets, nations)
def test_border_crossings_leave_the_country_the_last_one_entered_and_come_home(
    seed: int, offset: int, nation: int
) -> None:
    crew = _crew(seed, nation, co_drivers=0)
    vin = next(iter(crew.vehicles))
    for day in (START + timedelta(days=offset + i) for i in range(14)):
        record = vehicle_day(crew, vin, day)
        crossings = record.crossings
        if not crossings:
            continue
        shift = crew.vehicle_shift(vin, day)
        assert shift is not None
        assert crossings[0].country_left == nation and crossings[-1].country_entered == nation
        for before, after in itertools.pairwise(crossings):
            assert after.country_left == before.country_entered
            assert before.at < after.at and before.odometer <= after.odometer
        for crossing in crossings:
            assert crossing.country_left != crossing.country_entered
            assert {crossing.country_left, crossing.country_entered} - {nation} <= set(NEIGHBOURS[nation])
            assert _activity_at(shift.plan, _minute(crossing.at, day)) is Activity.DRIVING


def _activity_at(plan: DriverDayPlan, minute: int) -> Activity | None:
    for segment in plan.segments:
        if segment.start <= minute < segment.end:
            return segment.activity
    return None


@settings(max_examples=60, deadline=None)
@given(seeds, offsets)
def test_records_follow_the_day_plan(seed: int, offset: int) -> None:
    crew = _crew(seed, co_drivers=0)
    vin = next(iter(crew.vehicles))
    for day in (START + timedelta(days=offset + i) for i in range(7)):
        record = vehicle_day(crew, vin, day)
        assert record == vehicle_day(crew, vin, day)  # deterministic
        shift = crew.vehicle_shift(vin, day)
        if shift is None:
            assert record.driver is None and not (record.crossings or record.loads or record.positions)
            assert not (record.controls or record.incidents)
            continue
        plan = shift.plan
        begin = plan.card_inserted or 0
        odometer = crew.odometer(vin, day)
        # loads and unloads during work, first a load, last an unload
        assert record.loads and record.loads[0].operation is OperationType.LOAD
        for load in record.loads:
            assert _activity_at(plan, _minute(load.at, day)) is Activity.WORK
            assert odometer <= load.odometer <= odometer + plan.distance_km
        # one position per three hours of accumulated driving, where the driving reached it
        assert len(record.positions) == plan.driving_minutes // 180
        for i, position in enumerate(record.positions):
            assert driven_before(plan, _minute(position.at, day)) == 180 * (i + 1) == position.driven_minutes
        # controls at stops, events where they belong
        for control in record.controls:
            assert _activity_at(plan, _minute(control.at, day)) in (Activity.AVAILABILITY, Activity.BREAK_REST)
        assert [i.begin for i in record.incidents] == sorted(i.begin for i in record.incidents)
        for incident in record.incidents:
            minute = _minute(incident.begin, day)
            if incident.kind is IncidentType.DRIVING_WITHOUT_CARD:
                assert (
                    minute < begin and incident.driver is None and incident.end <= incident.begin + timedelta(minutes=9)
                )
            elif incident.kind is IncidentType.OVER_SPEEDING:
                assert _activity_at(plan, minute) is Activity.DRIVING and incident.max_speed > 90
                assert incident.driver == shift.driver
            else:
                assert minute == begin and incident.driver == shift.driver


def test_every_record_kind_occurs_over_a_year() -> None:
    crew = _crew(42, co_drivers=0)
    vin = next(iter(crew.vehicles))
    days = [vehicle_day(crew, vin, START + timedelta(days=i)) for i in range(365)]
    kinds = {i.kind for d in days for i in d.incidents}
    assert kinds == set(IncidentType)
    assert all(any(getattr(d, name) for d in days) for name in ("crossings", "loads", "positions", "controls"))
    assert {load.operation for d in days for load in d.loads} == set(OperationType)


def test_accumulated_driving_marks_count_driving_only() -> None:
    plan = cached_plan(7, date(2024, 1, 3))
    marks = accumulated_driving_marks(plan)
    assert [driven_before(plan, m) for m in marks] == [180 * (i + 1) for i in range(len(marks))]
    assert accumulated_driving_marks(co_slot_plan(plan)) == ()


@settings(max_examples=40, deadline=None)
@given(seeds, offsets)
def test_two_driver_days_have_both_slots(seed: int, offset: int) -> None:
    crew = _crew(seed, co_drivers=2)
    vin = next(iter(crew.vehicles))
    driver_key = crew.vehicles[vin].drivers[0].card_number
    for day in (START + timedelta(days=offset + i) for i in range(14)):
        shift = crew.vehicle_shift(vin, day)
        if shift is None or shift.partner is None:
            continue
        co = crew.driver_shift(shift.partner, day)
        assert co is not None and co.slot is Slot.CO_DRIVER and co.partner == driver_key
        assert co.plan == member_plan(shift.plan, False)
        assert co.plan.driving_minutes + shift.own_plan.driving_minutes == shift.plan.driving_minutes
        assert (co.plan.driving_minutes > 0) is bool(crew_turns(shift.plan))  # the co-driver drives after a turn
        assert (co.plan.card_inserted, co.plan.card_withdrawn) == (shift.plan.card_inserted, shift.plan.card_withdrawn)
        assert crew.driver_shift(driver_key, day) == shift
        record = vehicle_day(crew, vin, day)
        assert (record.driver, record.co_driver) == (driver_key, shift.partner)
        seen = record.for_card(shift.partner)
        assert seen is not None and seen.slot is Slot.CO_DRIVER and seen.crossings == record.crossings


def test_a_crew_rides_on_most_working_days() -> None:
    crew = _crew(11, co_drivers=2)
    vin = next(iter(crew.vehicles))
    shifts = [crew.vehicle_shift(vin, START + timedelta(days=i)) for i in range(60)]
    worked = [s for s in shifts if s is not None]
    assert sum(1 for s in worked if s.partner is not None) > len(worked) // 2
