"""Gen2v2 driver cards of a world: written in their own layout unless the account keeps the Gen2v1 one (as the
demo account does, its files being frozen), and every byte of them read back by `ddd inspect`'s reader."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest

from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.inspect import summarize
from mockserver.tachograph.types import Generation
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
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
