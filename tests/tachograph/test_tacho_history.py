"""The history engine fed by a fixed crew: deterministic bytes, VU and card agree, cards wrap with correct pointers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.dayplan import cached_plan
from mockserver.tachograph.history.card import build_card_download, build_card_files, card_zip
from mockserver.tachograph.history.fixed import DriverFacts, FixedCrew, VehicleFacts
from mockserver.tachograph.history.rota import CompanyFacts, gnss_near
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.types import EquipmentType, FullCardNumber, Generation, Slot, geo_to_degrees
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file

COMPANY = CompanyFacts(
    "ACME Logistik GmbH",
    "Hauptstrasse 1, Berlin",
    FullCardNumber(EquipmentType.COMPANY_CARD, 0x0D, "DC00001234567000", 2),
    datetime(2022, 1, 3, tzinfo=UTC),
)


def driver(seed: int, generation: Generation = Generation.GEN2V1) -> DriverFacts:
    return DriverFacts(
        seed,
        f"DF{seed:012d}00",
        0x0D,
        "Müller",
        "Hans",
        date(1980, 5, 17),
        date(2022, 1, 3),
        date(2032, 1, 2),
        generation,
    )


def vu(facts: VehicleFacts, start: date, end: date, now: datetime) -> bytes:
    return write_vu_file(build_vu_download(FixedCrew([facts]), facts.vin, start, end, now))


def vehicle(seed: int, generation: Generation, drivers: tuple[DriverFacts, ...]) -> VehicleFacts:
    return VehicleFacts(
        seed, f"WDB96340310{seed:06d}", 0x0D, f"B-FM {seed}", generation, drivers, date(2022, 1, 3), company=COMPANY
    )


@pytest.mark.parametrize("generation", list(Generation))
def test_vu_bytes_are_deterministic_under_the_seed(generation: Generation) -> None:
    cached_plan.cache_clear()
    now = datetime(2024, 6, 1, 9, tzinfo=UTC)
    first = vu(vehicle(5, generation, (driver(1),)), date(2024, 3, 1), date(2024, 6, 1), now)
    cached_plan.cache_clear()
    second = vu(vehicle(5, generation, (driver(1),)), date(2024, 3, 1), date(2024, 6, 1), now)
    other = vu(vehicle(5, generation, (driver(2),)), date(2024, 3, 1), date(2024, 6, 1), now)
    assert first == second
    assert first != other


def test_vu_file_carries_the_world_facts() -> None:
    drivers = (driver(1), driver(2, Generation.GEN1))
    facts = vehicle(9, Generation.GEN2V2, drivers)
    parsed = read_vu_file(vu(facts, date(2024, 1, 1), date(2024, 3, 1), datetime(2024, 3, 1, tzinfo=UTC))).download
    assert parsed.overview.vin == facts.vin
    assert parsed.overview.registration.plate == facts.plate and parsed.overview.registration.nation == 0x0D
    assert [lock.card for lock in parsed.overview.company_locks] == [COMPANY.card]
    assert [d.day for d in parsed.days] == [date(2024, 1, d) for d in range(1, 32)] + [
        date(2024, 2, d) for d in range(1, 30)
    ]
    seen_cards = {i.card.number for d in parsed.days for i in d.card_insertions}
    assert seen_cards == {d.card_number for d in drivers}
    for day in parsed.days:
        assert [c.slot for c in day.activity_changes[:2]] == [Slot.DRIVER, Slot.CO_DRIVER]
        assert all(c.minute == 0 for c in day.activity_changes[:2])
    assert 0 < len(parsed.speed_blocks) <= 1440
    assert parsed.technical.calibrations


def test_card_days_match_the_vehicle_days() -> None:
    hans = driver(3)
    facts = vehicle(11, Generation.GEN2V1, (hans,))
    moment = datetime(2024, 2, 1, 20, tzinfo=UTC)
    card = read_card_file(write_card_file(build_card_download(FixedCrew([facts]).history(hans), moment)))
    vu_days = {d.day: d for d in read_vu_file(vu(facts, date(2024, 1, 1), date(2024, 2, 1), moment)).download.days}
    january = [d for d in card.download.activity_days if date(2024, 1, 1) <= d.day < date(2024, 2, 1)]
    assert january
    for card_day in january:
        vu_driver_changes = [c for c in vu_days[card_day.day].activity_changes[2:]]
        assert [(c.minute, c.activity, c.card_present) for c in vu_driver_changes] == [
            (c.minute, c.activity, c.card_present) for c in card_day.changes[1:]
        ]


def test_weekly_card_files_wrap_with_consistent_pointers() -> None:
    hans = driver(4, Generation.GEN1)
    history = FixedCrew([vehicle(12, Generation.GEN1, (hans,))]).history(hans)
    moments = [datetime(2023, 6, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 12, 31, tzinfo=UTC)]
    files = build_card_files(history, moments)
    offsets = []
    for data in files:
        parsed = read_card_file(data).download
        offsets.append(parsed.activity_ring_offset)
        counters = [d.presence_counter for d in parsed.activity_days]
        assert counters == list(range(counters[0], counters[0] + len(counters)))
        assert write_card_file(parsed) == data
    assert any(offset > 0 for offset in offsets)  # the buffer has wrapped by then
    archive = card_zip([(f"C_{i}.DDD", data) for i, data in enumerate(files)])
    assert archive == card_zip([(f"C_{i}.DDD", data) for i, data in enumerate(files)])


@given(
    seed=st.integers(0, 2**31),
    home=st.tuples(st.floats(-60, 60), st.floats(-170, 170)),
    when=st.datetimes(datetime(2015, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)),
)
def test_gnss_places_lie_near_home_and_are_pure_in_vehicle_and_moment(
    seed: int, home: tuple[float, float], when: datetime
) -> None:
    facts = replace(vehicle(1, Generation.GEN2V2, (driver(1),)), seed=seed, latitude=home[0], longitude=home[1])
    place = gnss_near(facts.unit, when)
    assert place == gnss_near(facts.unit, when)
    assert place.timestamp == when and 1 <= place.accuracy <= 5
    tenth_of_a_minute = 1 / 600
    assert abs(geo_to_degrees(place.latitude) - home[0]) <= 0.5 + tenth_of_a_minute
    assert abs(geo_to_degrees(place.longitude) - home[1]) <= 0.5 + tenth_of_a_minute


def test_gnss_places_spread_over_the_square_around_home() -> None:
    """Not one fixed point: a year of moments covers every quarter of the square and every accuracy."""
    facts = vehicle(3, Generation.GEN2V2, (driver(1),))
    places = [gnss_near(facts.unit, datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=7 * n)) for n in range(1000)]
    quarters = {
        (geo_to_degrees(p.latitude) > facts.latitude, geo_to_degrees(p.longitude) > facts.longitude) for p in places
    }
    assert len(quarters) == 4
    assert {p.accuracy for p in places} == {1, 2, 3, 4, 5}
