"""Power supply interruptions on driver cards (`history.card_events`, issue 17 item 16): a vehicle unit names the
cards in its slots at an interruption's begin and end (Annex IC requirement 117), and a card holds the
interruptions whose VU record names it, begin and end clipped to its session, with the vehicle's registration
(requirements 260/285, 261/286), in EF Events_Data. The test derives what each card must hold from the VU file
alone (its event records and card insertion records), then reads the card file's bytes back and its
`ddd inspect --json`: the two files and the inspection tell the same story."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.card_model import CardEventOrFault
from mockserver.tachograph.history.card import build_card_download
from mockserver.tachograph.history.card_events import EVENTS_PER_TYPE, POWER_SUPPLY_INTERRUPTION, power_interruptions
from mockserver.tachograph.history.fixed import FixedCrew
from mockserver.tachograph.history.rota import days_between
from mockserver.tachograph.inspect import summarize
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from mockserver.tachograph.vu_model import VehicleUnitDownload
from tests.tachograph.test_mobility_vu import _download, _vehicle

SPAN = (date(2022, 1, 3), date(2024, 1, 1))  # the whole life of the crew's cards up to the download
NOW = datetime(2024, 1, 1, 9, tzinfo=UTC)


def _sessions(vu: VehicleUnitDownload) -> dict[tuple[str, date], tuple[datetime, datetime]]:
    """(card number, day) -> the card's first insertion and last withdrawal that day, from the VU's records."""
    found: dict[tuple[str, date], tuple[datetime, datetime]] = {}
    for day in vu.days:
        for record in day.card_insertions:
            assert record.withdrawn_at is not None
            key = (record.card.number, day.day)
            first, last = found.get(key, (record.inserted_at, record.withdrawn_at))
            found[key] = (min(first, record.inserted_at), max(last, record.withdrawn_at))
    return found


def _expected(vu: VehicleUnitDownload, number: str) -> list[CardEventOrFault]:
    """What the card `number` must hold: each interruption whose VU record names it, clipped to its session."""
    sessions = _sessions(vu)
    expected = []
    for event in vu.events.events:
        slots = (event.driver_begin, event.co_driver_begin, event.driver_end, event.co_driver_end)
        if event.event_type != POWER_SUPPLY_INTERRUPTION or number not in {c.number for c in slots if c}:
            continue
        inserted, withdrawn = sessions[(number, event.begin.date())]
        begin, end = max(event.begin, inserted), min(event.end, withdrawn)
        expected.append(CardEventOrFault(POWER_SUPPLY_INTERRUPTION, begin, end, vu.overview.registration))
    return expected


@pytest.mark.parametrize(
    ("seeds", "generation"), [((31, 32, 33), Generation.GEN2V2), ((31, 32, 33), Generation.GEN1)]
)
def test_each_card_holds_the_vu_events_that_name_it(seeds: tuple[int, ...], generation: Generation) -> None:
    seen = 0
    for seed in seeds:
        facts = _vehicle(seed, generation)
        crew, download = _download(facts, *SPAN)
        vu = read_vu_file(write_vu_file(download)).download
        if generation is Generation.GEN1:  # a Gen1 overview has the registration; Gen2 v1 would not
            assert vu.overview.registration == facts.registration
        vu = replace(vu, overview=replace(vu.overview, registration=facts.registration))
        for driver in (*facts.drivers, *facts.co_drivers):
            data = write_card_file(build_card_download(crew.history(driver), NOW))
            card = read_card_file(data).download
            expected = _expected(vu, driver.card_number)[-EVENTS_PER_TYPE:]
            assert list(card.events) == expected, (seed, driver.card_number)
            [summary] = summarize(data, "card.ddd")
            shown = summary.to_json()["eventRecords"]
            assert shown == [
                {
                    "type": "0x08",
                    "begin": e.begin.isoformat(),
                    "end": e.end.isoformat(),
                    "vehicleRegistration": {"nation": f"0x{facts.nation:02X}", "plate": facts.plate},
                }
                for e in expected
            ]
            seen += len(expected)
    assert seen >= 3, "too few interruptions during card sessions to compare"


def test_the_vu_names_the_cards_in_its_slots_at_begin_and_end() -> None:
    facts = _vehicle(31, Generation.GEN2V2)
    crew = FixedCrew([facts])
    named = 0
    for day in days_between(*SPAN):
        for event in power_interruptions(crew, facts.unit, day):
            shift = crew.vehicle_shift(facts.vin, day)
            begin, end = (m.hour * 60 + m.minute for m in (event.begin, event.end))
            holders = shift.main.holders_at if shift is not None else (lambda _: (None, None))
            assert (event.driver_begin, event.co_driver_begin) == holders(begin)
            assert (event.driver_end, event.co_driver_end) == holders(end)
            named += event.driver_begin is not None or event.driver_end is not None
    assert named >= 2


@pytest.mark.parametrize("generation", list(Generation))
def test_an_account_without_card_events_keeps_the_old_records(generation: Generation) -> None:
    """`cardEvents: false` (the demo account): the VU's event records name no card and cards hold no event,
    while the interruptions themselves (their times) do not change."""
    facts = replace(_vehicle(31, generation), card_events=False)
    crew, download = _download(facts, *SPAN)
    _, named = _download(replace(facts, card_events=True), *SPAN)
    assert [(e.begin, e.end) for e in download.events.events if e.event_type == 8] == [
        (e.begin, e.end) for e in named.events.events if e.event_type == 8
    ]
    assert all(e.driver_begin is e.driver_end is e.co_driver_begin is None for e in download.events.events
               if e.event_type == 8)  # fmt: skip
    assert any(e.driver_begin is not None for e in named.events.events if e.event_type == 8)
    for driver in (*facts.drivers, *facts.co_drivers):
        assert build_card_download(crew.history(driver), NOW).events == ()


# The fixed crew's card files (tests/tachograph/test_card_bytes_frozen.py) before cards recorded events.
CARDS_BEFORE_EVENTS = {
    "gen2-zip": "30a0a5c8b392700eccbe2add1b041df7f881aa56ae3d70644b1c4c616b9b9267",
    "gen2-files": "2b210fc9fd0256c1c768baf27a63182885e33035819d36fb51e1b605191b63a6",
    "gen1-zip": "c43963ca1575c2e36ee1110705c3578d3b7f5a6c747a275b85b783eeccec15e5",
    "gen1-files": "85f41636e912bc827ac3634680580165c048a70df7b7f20a7ea4c4296b64a5d5",
}


def test_card_events_are_the_only_change_to_the_fixed_crews_files() -> None:
    """With card events off the fixed crew's files are the bytes of before; on, only cards with an interruption
    during a session change (its Gen1 card), and the VU file is the same: its interruptions fell outside them."""
    from tests.tachograph import test_card_bytes_frozen as frozen

    off = {name: frozen._sha(data) for name, data in frozen._facts_files(card_events=False).items()}
    on = {name: frozen._sha(data) for name, data in frozen._facts_files().items()}
    assert {name: off[name] for name in CARDS_BEFORE_EVENTS} == CARDS_BEFORE_EVENTS
    assert on == frozen.FACTS_DIGESTS
    assert [name for name in on if on[name] != off[name]] == ["gen1-zip", "gen1-files"]
