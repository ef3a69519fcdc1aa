"""Gen2v2 driver cards of a world: written in their own layout unless the account keeps the Gen2v1 one (as the
demo account does, its files being frozen), and every byte of them read back by `ddd inspect`'s reader."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest

from mockserver.clock import SimClock
from mockserver.resources import fixtures_dir
from mockserver.simulator import Simulator
from mockserver.tachograph.card.ef_codec import GEN2V2_CAPACITY
from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.crewday import slot_of
from mockserver.tachograph.history.card import CardHistory
from mockserver.tachograph.history.mobility import vehicle_day
from mockserver.tachograph.inspect import summarize
from mockserver.tachograph.types import Generation, Slot
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
from mockserver.tachoshare.crew import Crew
from mockserver.tachoshare.identity import driver_cards
from mockserver.tachoshare.story import card_history
from mockserver.world import load_world, parse_world
from mockserver.world.build import build_world
from mockserver.world.models import World
from mockserver.world.schema import WorldSpec

CARD_DDD = files.DRIVER_FORMATS["DDD"]


def v2_world(**account: Any) -> World:
    """Two Gen2v2 vehicles and two drivers with Gen2v2 cards."""
    spec = {
        "seed": 17,
        "start": "2026-03-02T08:00:00Z",
        "clients": [{"clientId": "c", "secret": "s", "name": "C"}],
        "accounts": [
            {
                "name": "mp",
                "country": "DE",
                "users": [{"username": "u", "password": "p", "displayName": "U"}],
                "vehicles": [
                    {"key": f"v{i}", "firstDownload": "-120d", "drivingDays": "Mon-Fri",
                     "generations": [{"since": "-900d", "generation": "gen2v2"}]}
                    for i in range(2)
                ],
                "drivers": [
                    {"key": f"d{i}", "firstDownload": "-60d",
                     "generations": [{"since": "-900d", "generation": "gen2v2"}]}
                    for i in range(2)
                ],
                **account,
            }
        ],
    }  # fmt: skip
    return build_world(WorldSpec.model_validate(spec))


def card_files(world: World, days: int = 21) -> list[tuple[str, bytes]]:
    sim = Simulator(world, SimClock(world.start, rate=0))
    account, archive, now = world.accounts[0], TachographArchive(), sim.clock.now()
    span = files.DateRange(now.date() - timedelta(days=days), now.date())
    found = []
    for driver in account.drivers:
        answer = archive.driver_files(
            world, account, driver, sim.tachoshare.driver_downloads(account, driver, now), span, CARD_DDD
        )
        assert answer is not None
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive_zip:
            found += [(name, archive_zip.read(name)) for name in archive_zip.namelist()]
    return found


@pytest.mark.parametrize(
    ("setting", "generation"), [({}, Generation.GEN2V2), ({"gen2v2CardLayout": False}, Generation.GEN2V1)]
)
def test_an_account_writes_gen2v2_cards_in_their_own_layout_unless_told_not_to(
    setting: dict[str, bool], generation: Generation
) -> None:
    found = card_files(v2_world(**setting), days=8)
    assert found
    for name, data in found:
        parsed = read_card_file(data)  # every EF known, every byte consumed, or TachoFormatError
        assert parsed.download.generation is generation
        assert write_card_file(parsed.download) == data
        assert summarize(data, name)[0].generation == generation.value


CREW_WORLD = """
seed: 7
start: "2026-11-02T08:00:00Z"
clients: [{clientId: c, secret: s, name: C}]
accounts:
  - name: crews
    country: DE
    users: [{username: u, password: p, displayName: U}]
    vehicles:
      - {key: crewed, firstDownload: -100d, coDrivers: [anna, ben], generations: [{since: -900d, generation: gen2v2}]}
      - {key: old-unit, firstDownload: -100d, generations: [{since: -900d, generation: gen2v1}]}
    drivers:
      - {key: anna, firstDownload: -100d, generations: [{since: -900d, generation: gen2v2}]}
      - {key: ben, firstDownload: -100d, generations: [{since: -900d, generation: gen2v2}]}
      - {key: carl, firstDownload: -100d, generations: [{since: -900d, generation: gen2v2}]}
"""


def _expected(crew: Crew, history: CardHistory, shown: int) -> dict[str, list[Any]]:
    """The domain's Mobility Package records of the first `shown` worked days of a card, as its EFs hold them."""
    found: dict[str, list[Any]] = {"crossings": [], "loads": [], "positions": [], "controls": []}
    for worked in history.worked[:shown]:
        if worked.unit.generation is not Generation.GEN2V2:
            continue
        seen = vehicle_day(crew, worked.unit.vin, worked.day).for_card(history.driver)
        assert seen is not None
        found["crossings"] += [(c.country_left, c.country_entered, c.position, c.odometer) for c in seen.crossings]
        found["loads"] += [(op.at, int(op.operation), op.position, op.odometer) for op in seen.loads]
        found["positions"] += [(p.at, p.position, p.odometer) for p in seen.positions]
        found["controls"] += [(c.at, c.control_type, c.control_card.number, worked.unit.plate) for c in seen.controls]
    return found


def test_card_records_are_the_domain_events_and_name_the_slot() -> None:
    """The last card file of each driver holds the newest border crossings, operations, GNSS positions and the last
    control of the days the card spent in a Gen2v2 unit (none of a Gen2v1 one), and marks crew days in the slot
    the rota put the card in."""
    world = build_world(parse_world(CREW_WORLD))
    account = world.accounts[0]
    crew = Crew(world.seed, account, world.start.date())
    slots_seen = set()
    for driver, (name, data) in zip(account.drivers, _last_files(world), strict=True):
        card = read_card_file(data).download
        history = card_history(crew, driver, driver_cards(driver)[0])
        history.extend(card.downloaded_at.date() + timedelta(days=1))
        shown = history.upto(card.downloaded_at)
        expected = _expected(crew, history, shown)
        cap = GEN2V2_CAPACITY
        crossings = [(c.country_left, c.country_entered, c.place, c.odometer_km) for c in card.border_crossings]
        assert crossings == expected["crossings"][-cap.border_crossing_records :]
        loads = [(op.timestamp, op.operation, op.place, op.odometer_km) for op in card.load_unload_operations]
        assert loads == expected["loads"][-cap.load_unload_records :]
        positions = [(p.timestamp, p.place, p.odometer_km) for p in card.gnss_accumulated_driving]
        assert positions == expected["positions"][-cap.gnss_records :]
        control = card.control_activity
        last = expected["controls"][-1] if expected["controls"] else None
        assert (control and (control.time, control.control_type, control.control_card.number,
                             control.registration.plate)) == last  # fmt: skip
        assert [e.load_type for e in card.load_type_entries] == ([2] if expected["positions"] else [])
        units = {worked.day: worked.unit.generation for worked in history.worked[:shown]}
        for place in card.places:  # authenticated (EF Places_Authentication) where a Gen2v2 unit wrote it
            assert place.gnss is not None
            assert place.gnss.auth_status == (units[place.entry_time.date()] is Generation.GEN2V2)
        for day in card.activity_days:
            shift = crew.driver_shift(driver.card_key, day.day)
            assert shift is not None, name
            present = [c for c in day.changes if c.card_present]
            lead = shift.slot is Slot.DRIVER
            slots = [slot_of(shift.main.plan, c.minute, lead) if shift.partner else shift.slot for c in present]
            assert [c.slot for c in present] == slots  # a crew swaps slots at every turn
            assert {c.crew for c in present} == {shift.partner is not None}
            slots_seen.add((shift.slot, shift.partner is not None))
    assert slots_seen == {(Slot.DRIVER, False), (Slot.DRIVER, True), (Slot.CO_DRIVER, True)}


def _last_files(world: World) -> list[tuple[str, bytes]]:
    sim = Simulator(world, SimClock(world.start, rate=0))
    account, archive, now = world.accounts[0], TachographArchive(), sim.clock.now()
    span = files.DateRange(now.date() - timedelta(days=30), now.date())
    found = []
    for driver in account.drivers:
        answer = archive.driver_files(
            world, account, driver, sim.tachoshare.driver_downloads(account, driver, now), span, CARD_DDD
        )
        assert answer is not None
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive_zip:
            name = archive_zip.namelist()[-1]
            found.append((name, archive_zip.read(name)))
    return found


def test_the_mobility_package_world_serves_gen2v2_cards_with_their_records() -> None:
    """`fixtures/mobility-package.yaml`: every driver's newest card file is a Gen2v2 card with crossings, loads,
    GNSS positions and a load type, and the crew's two cards name both slots."""
    world = load_world(fixtures_dir() / "mobility-package.yaml")
    slots = set()
    for _name, data in _last_files(world):
        card = read_card_file(data).download
        assert card.generation is Generation.GEN2V2
        assert card.border_crossings and card.load_unload_operations and card.gnss_accumulated_driving
        assert [entry.load_type for entry in card.load_type_entries] == [2]
        slots |= {change.slot for day in card.activity_days for change in day.changes if change.crew}
    assert slots == {Slot.DRIVER, Slot.CO_DRIVER}
