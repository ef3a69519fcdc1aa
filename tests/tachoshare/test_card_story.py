"""Where a card's story starts: `Crew.card_epoch` (a year and four weeks before the driver's own first download),
and what that means for the bytes (presence counters count from it; no card file shows a day before it)."""

from __future__ import annotations

from datetime import timedelta

from mockserver.simulator import Simulator
from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.history.card import build_card_download
from mockserver.tachoshare.archive import TachographArchive
from mockserver.tachoshare.crew import EPOCH_LEAD_DAYS, Crew
from mockserver.tachoshare.identity import driver_card
from mockserver.world.models import Account


def demo(sim: Simulator) -> Account:
    account = sim.world.account("demo")
    assert account is not None
    return account


def test_card_epoch_is_the_lead_before_the_drivers_first_download(sim: Simulator) -> None:
    account = demo(sim)
    crew = Crew(sim.world.seed, account, sim.world.start.date())
    later = 0
    for driver in account.drivers:
        first = driver.downloads.first
        if first is None:
            assert crew.card_epoch(driver) == crew.epoch
            continue
        expected = max(crew.epoch, first.date() - timedelta(days=EPOCH_LEAD_DAYS))
        assert crew.card_epoch(driver) == expected
        later += expected > crew.epoch
    assert later, "no driver of the demo world starts after the account's epoch: the test would show nothing"


def test_first_card_file_counts_presence_from_the_card_epoch_and_shows_nothing_older(sim: Simulator) -> None:
    """The newest day's presence counter is the number of working days from the card story's start to it, and
    no record of the first download predates that start."""
    account, now, archive = demo(sim), sim.clock.now(), TachographArchive()
    crew = archive.crew(sim.world, account)
    checked = 0
    for driver in account.drivers:
        downloads = sim.tachoshare.driver_downloads(account, driver, now)
        first = downloads.first_success
        if first is None:
            continue
        card = driver_card(driver, first.at.date())
        start = max(card.valid_from, crew.card_epoch(driver))
        history = archive._history(sim.world, account, driver, card)
        with history.lock:
            content = build_card_download(history, first.at)
        parsed = read_card_file(write_card_file(content)).download
        if not parsed.activity_days:
            continue
        newest = parsed.activity_days[-1]
        worked = sum(
            crew.driver_shift(driver.card_key, start + timedelta(days=n)) is not None
            for n in range((newest.day - start).days + 1)
        )
        assert newest.presence_counter == worked % 10000, driver.card_key
        assert parsed.activity_days[0].day >= start
        assert all(v.first_use.date() >= start for v in parsed.vehicles_used)
        assert all(p.entry_time.date() >= start for p in parsed.places)
        checked += 1
    assert checked >= 3
