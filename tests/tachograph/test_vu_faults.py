"""VU faults (`history.vu_faults`): rare, deterministic faults of the types the unit's generation records, written
in the VuFaultRecords of every generation's file (Gen1 and Gen2v1 only where the account lets them), read back by the
structural reader, and shown the same by `ddd inspect --json`."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.dayplan import driven_before
from mockserver.tachograph.history.card import build_card_download
from mockserver.tachograph.history.fixed import FixedCrew, VehicleFacts
from mockserver.tachograph.history.rota import days_between
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.history.vu_faults import (
    FAULT_PURPOSE,
    TYPES,
    WHILE_DRIVING,
    FaultType,
    VuFault,
    card_faults,
    day_faults,
    kept,
)
from mockserver.tachograph.inspect import summarize
from mockserver.tachograph.types import Activity, Generation
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
from mockserver.world.build import build_world
from mockserver.world.schema import WorldSpec
from tests.tachograph.test_mobility_vu import _download, _vehicle

YEAR = (date(2023, 1, 1), date(2024, 1, 1))


def _domain_faults(crew: FixedCrew, facts: VehicleFacts, start: date, end: date) -> list[VuFault]:
    return kept([f for day in days_between(start, end) for f in day_faults(crew, facts.unit, day)])


def _number(crew: FixedCrew, key: str | None, day: date) -> str | None:
    return None if key is None else crew.card_in_use(key, day).card.number


@pytest.mark.parametrize("generation", list(Generation))
def test_a_year_of_faults_reaches_the_file_and_reads_back(generation: Generation) -> None:
    facts = _vehicle(31, generation)
    crew, download = _download(facts, *YEAR)
    parsed = read_vu_file(write_vu_file(download)).download
    assert parsed.events.faults == download.events.faults
    expected = _domain_faults(crew, facts, *YEAR)
    assert 2 <= len(expected) <= 10  # rare: about one day in a hundred
    found = parsed.events.faults
    assert [(f.event_type, f.begin, f.end) for f in found] == [(int(f.kind), f.begin, f.end) for f in expected]
    for record, fault in zip(found, expected, strict=True):
        day = fault.begin.date()
        assert record.purpose == FAULT_PURPOSE
        assert record.event_type in TYPES[generation]
        numbers = [c.number if c is not None else None for c in (record.driver_begin, record.co_driver_begin)]
        assert numbers == [_number(crew, fault.driver_begin, day), _number(crew, fault.co_driver_begin, day)]
        ends = [c.number if c is not None else None for c in (record.driver_end, record.co_driver_end)]
        assert ends == [_number(crew, fault.driver_end, day), _number(crew, fault.co_driver_end, day)]


def test_faults_name_the_cards_in_the_slots() -> None:
    facts = _vehicle(31, Generation.GEN2V2)
    _, download = _download(facts, *YEAR)
    with_cards = [f for f in download.events.faults if f.driver_begin is not None]
    assert with_cards, "no fault during a card session in a year"
    assert any(f.co_driver_begin is not None for f in with_cards)  # the crew's second card


@pytest.mark.parametrize("generation", [Generation.GEN1, Generation.GEN2V1])
def test_older_units_write_no_faults_where_the_account_keeps_them_out(generation: Generation) -> None:
    facts = _vehicle(31, generation)
    gated = replace(facts, older_faults=False)
    _, download = _download(gated, *YEAR)
    assert download.events.faults == ()
    _, open_download = _download(facts, *YEAR)
    assert open_download.events.faults


def test_gen2v2_units_write_faults_whatever_the_account_says() -> None:
    facts = replace(_vehicle(31, Generation.GEN2V2), older_faults=False)
    _, download = _download(facts, *YEAR)
    assert download.events.faults


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 10**6), st.sampled_from(list(Generation)), st.integers(0, 600))
def test_faults_happen_where_they_can(seed: int, generation: Generation, offset: int) -> None:
    facts = _vehicle(seed, generation)
    crew = FixedCrew([facts])
    start = date(2022, 2, 1) + timedelta(days=offset)
    faults = [f for day in days_between(start, start + timedelta(days=200)) for f in day_faults(crew, facts.unit, day)]
    for fault in faults:
        day = fault.begin.date()
        assert fault.kind in TYPES[generation]
        assert fault.begin < fault.end and fault.end.date() == day
        shift = crew.vehicle_shift(facts.vin, day)
        minute = _minute(fault.begin)
        if fault.kind in WHILE_DRIVING:
            assert shift is not None
            assert any(s.start <= minute < s.end for s in shift.plan.segments if s.activity is Activity.DRIVING)
            assert driven_before(shift.plan, minute + 1) > driven_before(shift.plan, minute)
        if fault.kind is FaultType.CARD:
            assert shift is not None and fault.driver_begin == shift.main.holders_at(minute)[0] is not None
        if shift is None:
            assert fault.driver_begin is fault.co_driver_begin is fault.driver_end is None
        else:
            assert (fault.driver_begin, fault.co_driver_begin) == shift.main.holders_at(minute)
            assert (fault.driver_end, fault.co_driver_end) == shift.main.holders_at(_minute(fault.end))
    again = FixedCrew([facts])  # the same draw from a fresh rota
    span = days_between(start, start + timedelta(days=200))
    assert faults == [f for d in span for f in day_faults(again, facts.unit, d)]


def _minute(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def test_only_the_ten_most_recent_of_each_type_are_kept() -> None:
    base = datetime(2024, 1, 1, 8, tzinfo=UTC)
    faults = [VuFault(FaultType.PRINTER, base + timedelta(days=i), base + timedelta(days=i, minutes=1), None, None,
                      None, None) for i in range(14)]  # fmt: skip
    faults.append(VuFault(FaultType.CARD, base, base + timedelta(seconds=5), "a", None, "a", None))
    result = kept(faults)
    assert [f.kind for f in result].count(FaultType.PRINTER) == 10
    assert result[0].kind is FaultType.CARD and result[1].begin == base + timedelta(days=4)
    assert [f.begin for f in result] == sorted(f.begin for f in result)


def test_inspect_json_lists_the_faults_of_every_generation() -> None:
    for generation in Generation:
        facts = _vehicle(31, generation)
        crew, download = _download(facts, *YEAR)
        summary = summarize(write_vu_file(download), "f.ddd")[0].to_json()
        expected = _domain_faults(crew, facts, *YEAR)
        shown = summary["faultRecords"]
        assert [(r["type"], r["begin"], r["end"]) for r in shown] == [  # type: ignore[attr-defined]
            (f"0x{int(f.kind):02X}", f.begin.isoformat(), f.end.isoformat()) for f in expected
        ]
        assert [r["driverCard"] for r in shown] == [  # type: ignore[attr-defined]
            _number(crew, f.driver_begin, f.begin.date()) or "" for f in expected
        ]
        assert summary["faults"] == len(expected)


def _world(**account: Any) -> Any:
    spec = {
        "seed": 5,
        "start": "2026-03-02T08:00:00Z",
        "clients": [{"clientId": "c", "secret": "s", "name": "C"}],
        "accounts": [
            {
                "name": "old",
                "country": "DE",
                "users": [{"username": "u", "password": "p", "displayName": "U"}],
                "vehicles": [{"key": "v", "firstDownload": "-400d", "drivingDays": "Mon-Fri",
                              "generations": [{"since": "-1500d", "generation": "gen1"}]}],
                "drivers": [{"key": "d", "firstDownload": "-60d",
                             "generations": [{"since": "-1500d", "generation": "gen1"}]}],
                **account,
            }
        ],
    }  # fmt: skip
    return build_world(WorldSpec.model_validate(spec))


@pytest.mark.parametrize(("setting", "faulty"), [({}, True), ({"olderVuFaults": False}, False)])
def test_a_world_account_decides_for_its_older_units(setting: dict[str, bool], faulty: bool) -> None:
    world = _world(**setting)
    account = world.accounts[0]
    assert account.older_vu_faults is faulty
    sim = Simulator(world, SimClock(world.start, rate=0))
    vehicle = account.vehicles[0]
    downloads = sim.tachoshare.vehicle_downloads(account, vehicle, sim.clock.now())
    now = sim.clock.now().date()
    span = files.DateRange(now - timedelta(days=365), now)
    answer = TachographArchive().vehicle_file(world, account, vehicle, downloads, span, files.VEHICLE_FORMATS["DDD"])
    assert answer is not None
    parsed = read_vu_file(answer.data).download
    assert parsed.generation is Generation.GEN1
    assert bool(parsed.events.faults) is faulty


def test_build_vu_download_is_deterministic_with_faults() -> None:
    facts = _vehicle(77, Generation.GEN2V2)
    end = YEAR[1]
    now = datetime(end.year, end.month, end.day, 9, tzinfo=UTC)
    first = write_vu_file(build_vu_download(FixedCrew([facts]), facts.vin, *YEAR, now))
    assert first == write_vu_file(build_vu_download(FixedCrew([facts]), facts.vin, *YEAR, now))


def test_driver_cards_record_the_faults_of_the_units_they_were_in() -> None:
    """Each card's Faults_Data holds the faults its unit recorded while it was in a slot (a card fault: the card in
    slot 1), and the VU file names that card in the slots of each of them: the two files tell one story."""
    facts = _vehicle(31, Generation.GEN2V2)
    crew, download = _download(facts, *YEAR)
    now = datetime(2024, 1, 1, 9, tzinfo=UTC)
    seen = 0
    for driver in (*facts.drivers, *facts.co_drivers):
        history = crew.history(driver)
        card = read_card_file(write_card_file(build_card_download(history, now))).download
        key = driver.card_number
        expected = [f for w in history.worked if w.day < YEAR[1] for f in card_faults(crew, w.unit, w.day, key)]
        shown = sorted((f.begin, f.event_type, f.end) for f in card.faults)  # the EF groups them by kind
        assert shown == [(f.begin, f.event_type, f.end) for f in expected]
        assert all(f.registration.plate == facts.plate for f in card.faults)
        vu_faults = {(f.event_type, f.begin): f for f in download.events.faults}
        for fault in card.faults:
            if fault.begin.date() < YEAR[0]:
                continue
            record = vu_faults[(fault.event_type, fault.begin)]
            slots = (record.driver_begin, record.driver_end)
            if fault.event_type != FaultType.CARD:
                slots += (record.co_driver_begin, record.co_driver_end)
            assert driver.card_number in {c.number for c in slots if c is not None}
            seen += 1
    assert seen >= 2


def test_a_world_account_decides_whether_cards_record_faults() -> None:
    found = {}
    for setting in (True, False):
        world = _world(cardFaults=setting)
        assert world.accounts[0].card_faults is setting
        sim = Simulator(world, SimClock(world.start, rate=0))
        account = world.accounts[0]
        driver = account.drivers[0]
        now = sim.clock.now()
        answer = TachographArchive().driver_files(
            world, account, driver, sim.tachoshare.driver_downloads(account, driver, now),
            files.DateRange(now.date() - timedelta(days=30), now.date()), files.DRIVER_FORMATS["DDD"],
        )  # fmt: skip
        assert answer is not None
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
            newest = archive.read(archive.namelist()[0])
        found[setting] = read_card_file(newest).download.faults
    assert found[True] and found[False] == ()


# The fixed crew's files before faults existed (main at 7d63a2f): without faults they are still these bytes.
BEFORE_FAULTS = {
    "gen2-zip": "4725271ec8f54304d3b0e78c1b97bfa4df620232521b7ecfe3f3d7431caba66e",
    "gen2-files": "8f3d50e97cd427c740de3bae4c449e814feabfe5af36228640cd80bf21ab8dc4",
    "gen1-zip": "4215f747e1a364aa9e3b141c2814febb77e32553f5a6e930904592c904cbee6c",
    "gen1-files": "b6498f6fc66e72ffab73e9383e1b31ca0a940d52b69dce4aa2970fe0bef7c26b",
    # the Gen2 v2 VU file's events with the purposes of their storage rules (Annex IC 117), not all '01'H
    "vu": "c5220556fc95bac45b62439c39b4e6119e98f4c1cb341c64af3ac13ad23dc61e",
}


def test_faults_are_the_only_change_to_the_fixed_crews_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.tachograph import test_card_bytes_frozen as frozen

    files_now = {name: frozen._sha(data) for name, data in frozen._facts_files().items()}
    assert files_now == frozen.FACTS_DIGESTS and all(files_now[k] != v for k, v in BEFORE_FAULTS.items())
    monkeypatch.setattr("mockserver.tachograph.history.vu_faults.FAULT_DAY_RATE", 0)
    before = {name: frozen._sha(data) for name, data in frozen._facts_files(card_events=False).items()}
    assert before == BEFORE_FAULTS


def test_inspect_counts_a_cards_faults() -> None:
    facts = _vehicle(31, Generation.GEN2V2)
    crew = FixedCrew([facts])
    history = crew.history(facts.drivers[0])
    data = write_card_file(build_card_download(history, datetime(2024, 1, 1, 9, tzinfo=UTC)))
    [summary] = summarize(data, "card.ddd")
    assert summary.extra["faults"] == len(read_card_file(data).download.faults) > 0


def test_a_card_keeps_a_fault_on_going_at_its_insertion_from_its_insertion(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requirements 264/289: a card fault record begins "or of card insertion if the fault was on-going at that time"
    and ends "or of card withdrawal": a fault spanning the card's insertion or withdrawal is clipped to the session."""
    import mockserver.tachograph.history.vu_faults as module

    facts = _vehicle(31, Generation.GEN2V2, co_drivers=0)
    crew = FixedCrew([facts])
    day = next(d for d in days_between(*YEAR) if crew.vehicle_shift(facts.vin, d) is not None)
    shift = crew.vehicle_shift(facts.vin, day)
    assert shift is not None
    inserted = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=shift.plan.card_inserted or 0)
    withdrawn = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=shift.plan.card_withdrawn or 0)
    key = shift.driver
    minute = timedelta(minutes=1)
    faults = (
        VuFault(FaultType.PRINTER, inserted - 5 * minute, inserted + 2 * minute, None, None, key, None),
        VuFault(FaultType.DISPLAY, withdrawn - minute, withdrawn + 9 * minute, key, None, None, None),
    )
    monkeypatch.setattr(module, "day_faults", lambda rota, unit, d: faults if d == day else ())
    found = card_faults(crew, facts.unit, day, key)
    assert [(f.begin, f.end) for f in found] == [
        (inserted, inserted + timedelta(minutes=2)),
        (withdrawn - timedelta(minutes=1), withdrawn),
    ]
