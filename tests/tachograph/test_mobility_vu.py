"""Gen2 v2 VU files carry the Mobility Package records, crews, controls and events of the domain
(`history.mobility`), the structural reader reads every byte of them back, `ddd inspect --json` shows the same
records, and Gen1 / Gen2 v1 files are byte for byte what they were before these records existed."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.clock import SimClock
from mockserver.resources import default_world_path
from mockserver.simulator import Simulator
from mockserver.tachograph.history.fixed import FixedCrew, VehicleFacts
from mockserver.tachograph.history.mobility import IncidentType, vehicle_day
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.inspect import summarize
from mockserver.tachograph.types import Generation, Slot, geo_to_degrees
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
from mockserver.world import load_world
from tests.tachograph.test_tacho_history import driver


def _vehicle(seed: int, generation: Generation, co_drivers: int = 2) -> VehicleFacts:
    return VehicleFacts(
        seed,
        f"WDB96340310{seed % 10**6:06d}",
        0x0D,
        f"B-FM {seed % 1000}",
        generation,
        (driver(1, Generation.GEN2V2), driver(2, Generation.GEN1)),
        date(2022, 1, 3),
        co_drivers=tuple(driver(10 + i, Generation.GEN2V2) for i in range(co_drivers)),
    )


def _download(facts: VehicleFacts, start: date, end: date):  # type: ignore[no-untyped-def]
    crew = FixedCrew([facts])
    return crew, build_vu_download(crew, facts.vin, start, end, datetime(end.year, end.month, end.day, 9, tzinfo=UTC))


def test_a_year_of_gen2v2_holds_every_record_kind_and_reads_back_exactly() -> None:
    facts = _vehicle(31, Generation.GEN2V2)
    crew, download = _download(facts, date(2023, 1, 1), date(2024, 1, 1))
    data = write_vu_file(download)
    parsed = read_vu_file(data)  # every byte belongs to a known record, or it raises
    assert parsed.size == len(data)
    assert parsed.download == download
    days = parsed.download.days
    assert sum(len(d.border_crossings) for d in days) > 20
    assert sum(len(d.load_operations) for d in days) > 200
    assert sum(len(d.gnss_accumulated_driving) for d in days) > 100
    assert any(i.slot is Slot.CO_DRIVER for d in days for i in d.card_insertions)
    assert parsed.download.overview.controls
    assert {e.event_type for e in parsed.download.events.events} >= {0x02, 0x04}
    assert parsed.download.events.overspeed_events
    records = [vehicle_day(crew, facts.vin, d.day) for d in days]
    assert [len(d.border_crossings) for d in days] == [len(r.crossings) for r in records]
    assert len(parsed.download.overview.controls) == min(20, sum(len(r.controls) for r in records))
    adjustments = [(a.old_time, a.new_time) for r in records for a in r.time_adjustments]
    assert [(a.old_time, a.new_time) for a in parsed.download.events.time_adjustments] == adjustments[-6:]
    overspeeds = [i for r in records for i in r.incidents if i.kind is IncidentType.OVER_SPEEDING]
    daily = [o for o in parsed.download.events.overspeed_events if o.purpose == 0x04]  # kept per day (Annex IC 117)
    assert [(o.begin, o.max_speed) for o in daily] == [(o.begin, o.max_speed) for o in overspeeds[-10:]]


def test_time_adjustments_reach_the_file() -> None:
    for seed in range(40, 60):
        facts = _vehicle(seed, Generation.GEN2V2, co_drivers=0)
        _, download = _download(facts, date(2023, 1, 1), date(2023, 7, 1))
        parsed = read_vu_file(write_vu_file(download)).download.events.time_adjustments
        if parsed:
            assert all(a.workshop_card.card_type == 2 and a.old_time != a.new_time for a in parsed)
            return
    raise AssertionError("no time adjustment in twenty vehicles' half years")


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 10**6), st.integers(0, 700))
def test_days_match_the_domain_in_order_and_crews_fill_both_slots(seed: int, offset: int) -> None:
    facts = _vehicle(seed, Generation.GEN2V2)
    start = date(2022, 2, 1) + timedelta(days=offset)
    crew, download = _download(facts, start, start + timedelta(days=21))
    parsed = read_vu_file(write_vu_file(download)).download
    home = facts.nation
    for day in parsed.days:
        record = vehicle_day(crew, facts.vin, day.day)
        assert len(day.border_crossings) == len(record.crossings)
        assert len(day.load_operations) == len(record.loads)
        assert len(day.gnss_accumulated_driving) == len(record.positions)
        times = [c.place.timestamp for c in day.border_crossings]
        assert times == sorted(times) == [c.at for c in record.crossings]
        assert [o.timestamp for o in day.load_operations] == sorted(o.timestamp for o in day.load_operations)
        assert [g.timestamp for g in day.gnss_accumulated_driving] == [p.at for p in record.positions]
        if day.border_crossings:
            assert day.border_crossings[0].country_left == home == day.border_crossings[-1].country_entered
            for before, after in itertools.pairwise(day.border_crossings):
                assert after.country_left == before.country_entered
        slots = {i.slot for i in day.card_insertions}
        if record.co_driver is not None:
            assert slots == {Slot.DRIVER, Slot.CO_DRIVER}
            for crossing in day.border_crossings:  # the cards in the slots then (a crew swaps them at every turn)
                at = crossing.place.timestamp
                held = {i.slot: i.card for i in day.card_insertions if i.inserted_at <= at < (i.withdrawn_at or at)}
                assert (crossing.driver_card, crossing.co_driver_card) == (held[Slot.DRIVER], held[Slot.CO_DRIVER])
            assert any(c.slot is Slot.CO_DRIVER and c.card_present for c in day.activity_changes)
        else:
            assert Slot.CO_DRIVER not in slots
            assert all(c.co_driver_card is None for c in day.border_crossings)
    events = parsed.events.events
    assert [e.begin for e in events] == sorted(e.begin for e in events)


def test_driving_without_a_card_shows_in_the_driver_slot_activities() -> None:
    facts = _vehicle(31, Generation.GEN2V2, co_drivers=0)
    crew, download = _download(facts, date(2023, 1, 1), date(2024, 1, 1))
    seen = 0
    for day in download.days:
        record = vehicle_day(crew, facts.vin, day.day)
        for incident in record.incidents:
            if incident.kind is IncidentType.DRIVING_WITHOUT_CARD:
                minute = incident.begin.hour * 60 + incident.begin.minute
                assert any(
                    c.minute == minute and c.slot is Slot.DRIVER and not c.card_present and c.activity.name == "DRIVING"
                    for c in day.activity_changes
                )
                seen += 1
    assert seen


def test_inspect_json_shows_the_domain_records() -> None:
    facts = _vehicle(31, Generation.GEN2V2)
    crew, download = _download(facts, date(2023, 3, 1), date(2023, 6, 1))
    summary = summarize(write_vu_file(download), "v2.ddd")[0].to_json()
    assert summary["generation"] == "gen2v2"
    compared = 0
    for shown in summary["days"]:  # type: ignore[attr-defined]
        record = vehicle_day(crew, facts.vin, date.fromisoformat(shown["date"]))
        assert [(c["countryLeft"], c["countryEntered"], c["time"]) for c in shown["borderCrossings"]] == [
            (f"0x{c.country_left:02X}", f"0x{c.country_entered:02X}", c.at.isoformat()) for c in record.crossings
        ]
        assert [c["latitude"] for c in shown["borderCrossings"]] == [
            round(geo_to_degrees(c.position.latitude), 4) for c in record.crossings
        ]
        assert [(o["operation"], o["time"], o["odometer"]) for o in shown["loadOperations"]] == [
            (o.operation.name.lower(), o.at.isoformat(), o.odometer) for o in record.loads
        ]
        assert [g["time"] for g in shown["gnssAccumulatedDriving"]] == [p.at.isoformat() for p in record.positions]
        if record.co_driver is not None:
            assert "co-driver" in shown["slots"].values()
            assert shown["coDriverMinutes"]["availability"] > 0
        compared += len(record.crossings) + len(record.loads)
    assert compared > 50
    records = [vehicle_day(crew, facts.vin, date(2023, 3, 1) + timedelta(days=i)) for i in range(92)]
    assert [c["time"] for c in summary["controls"]] == [c.at.isoformat() for r in records for c in r.controls]  # type: ignore[attr-defined]
    assert len(summary["timeAdjustments"]) == sum(len(r.time_adjustments) for r in records)  # type: ignore[arg-type]


# Digests of files written before the Gen2 v2 records existed (main at da0ef37): older generations keep them.
FIXED_DIGESTS = {
    Generation.GEN1: "b50ad68cedc0b0863376d3d006bee9b36e255af1ae477e5702cf08284701bc97",
    Generation.GEN2V1: "2bdac09e31fc2d2e5131f10cd0b68c739319aa925f90b2c73dd839545a3dc80b",
}
WORLD_DIGESTS = {
    "YV2H36E97MC265979": "3dcfa62a8e17e887e4a145b15517dbe3a9370881a8eb227d995d4ce7a41bc6f5",  # gen1
    "YV2045L58NH049471": "af259c952e1f07749ab5b565ac557ba1c9263f2f03c1c4998a79d5b4bb84356e",  # gen2v1
}


@pytest.mark.parametrize("generation", [Generation.GEN1, Generation.GEN2V1])
def test_older_generations_are_byte_identical_even_with_co_drivers_listed(generation: Generation) -> None:
    facts = _vehicle(31, generation, co_drivers=2)
    facts = VehicleFacts(
        facts.seed,
        "WDB96340310000031",
        facts.nation,
        "B-FM 31",
        generation,
        (driver(1, Generation.GEN2V1), driver(2, Generation.GEN1)),
        facts.in_service_since,
        co_drivers=facts.co_drivers,
        older_faults=False,  # as the demo account: faults (tests/tachograph/test_vu_faults.py) are gated
        card_events=False,  # and so are the cards named in event records (tests/tachograph/test_card_events.py)
    )
    _, download = _download(facts, date(2023, 1, 1), date(2024, 1, 1))
    assert hashlib.sha256(write_vu_file(download)).hexdigest() == FIXED_DIGESTS[generation]


def test_world_gen1_and_gen2v1_vehicle_files_are_byte_identical() -> None:
    world = load_world(default_world_path())
    sim = Simulator(world, SimClock(world.start, rate=0))
    account = world.account("demo")
    assert account is not None
    span = files.DateRange(date(2026, 5, 1), date(2026, 11, 1))
    for vehicle in account.vehicles:
        if vehicle.vin in WORLD_DIGESTS:
            downloads = sim.tachoshare.vehicle_downloads(account, vehicle, sim.clock.now())
            found = TachographArchive().vehicle_file(
                world, account, vehicle, downloads, span, files.VEHICLE_FORMATS["DDD"]
            )
            assert found is not None
            assert hashlib.sha256(found.data).hexdigest() == WORLD_DIGESTS[vehicle.vin]


def test_detailed_speed_shows_the_over_speeding_events() -> None:
    facts = _vehicle(31, Generation.GEN2V2, co_drivers=0)
    _, download = _download(facts, date(2023, 1, 1), date(2024, 1, 1))
    blocks = download.speed_blocks
    assert blocks
    covered = [o for o in download.events.overspeed_events if blocks[0].begin <= o.begin and o.end <= blocks[-1].begin]
    assert covered
    for event in covered:
        seen = [
            speed
            for block in blocks
            for second, speed in enumerate(block.speeds)
            if event.begin <= block.begin + timedelta(seconds=second) < event.end
        ]
        assert max(seen) == event.max_speed and min(seen) == event.average_speed > 90
