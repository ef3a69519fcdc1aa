"""Every country code of the reference's appendix, in worlds, on the API and in card files (issue 17, item 6).

A world with one driver per code of the appendix "Driver card country codes" (the 2.19.0 additions Montenegro 0x34
to Israel 0x39 and the special codes included): `/drivers` shows each code, each card's ZIP is served for the
`0x..` and the appendix's bare `..` spelling, and the card file inside carries the nation. The file is read twice:
by the project's parser, and by a few lines here that walk the `FID | appendix | length | value` elements as the
regulation lays them out and take `cardIssuingMemberState` (the first byte of EF Identification) without it.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.resources import default_world_path
from mockserver.simulator import Simulator
from mockserver.tachograph.card.file import read_card_file
from mockserver.world import WorldError, parse_world
from mockserver.world.build import build_world
from mockserver.world.identifiers import NATION_CODES
from tests.conftest import bearer, make_sim

APPENDIX = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11,
    0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23,
    0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
    0x36, 0x37, 0x38, 0x39, 0xFD, 0xFE, 0xFF,
}  # fmt: skip
FILE_ACCEPT = {"Accept": "application/octet-stream, application/json"}


def test_the_worlds_know_every_code_of_the_appendix() -> None:
    assert set(NATION_CODES.values()) == APPENDIX
    assert len(NATION_CODES) == len(APPENDIX)  # one name per code
    assert {NATION_CODES[c] for c in ("ME", "RS", "UZ", "TJ", "KG", "IL")} == {0x34, 0x35, 0x36, 0x37, 0x38, 0x39}


def _world_text() -> str:
    raw: dict[str, Any] = yaml.safe_load(default_world_path().read_text())
    demo = raw["accounts"][0]
    demo["drivers"] = [
        {"key": f"d-{country.lower()}", "country": country, "firstDownload": "-20d"} for country in NATION_CODES
    ]
    demo["generate"] = {"vehicles": 0, "drivers": 0}
    return yaml.safe_dump(raw)


@pytest.fixture(scope="module")
def nations() -> Iterator[tuple[Simulator, TestClient]]:
    sim = make_sim(build_world(parse_world(_world_text())))
    with TestClient(create_app(sim, strict=True)) as client:
        yield sim, client


def _issuing_state(card_file: bytes) -> tuple[int, str]:
    """cardIssuingMemberState and the first 14 characters of cardNumber, from the raw elements."""
    at = 0
    while at < len(card_file):
        fid, appendix, length = struct.unpack_from(">HBH", card_file, at)
        value = card_file[at + 5 : at + 5 + length]
        if fid == 0x0520 and appendix % 2 == 0:
            return value[0], value[1:15].decode("latin-1")
        at += 5 + length
    raise AssertionError("no EF Identification")


def test_every_code_is_listed_served_and_written(nations: tuple[Simulator, TestClient]) -> None:
    _, client = nations
    auth = bearer(client)
    drivers = client.get("/tachoshare/drivers", headers=auth).json()["items"]
    assert {int(d["countryCode"], 16) for d in drivers} == APPENDIX
    for driver in drivers:
        code = driver["countryCode"]
        for spelling in (code, code[2:], code.lower()):
            response = client.get(
                f"/tachoshare/drivers/{driver['cardNumber']}/files",
                params={"countryCode": spelling},
                headers={**auth, **FILE_ACCEPT},
            )
            assert response.status_code == 200, (spelling, response.text)
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            card_file = archive.read(archive.namelist()[-1])
        assert _issuing_state(card_file) == (int(code, 16), driver["cardNumber"])
        parsed = read_card_file(card_file).download
        assert parsed.issuing_nation == int(code, 16) and parsed.card_number[:14] == driver["cardNumber"]


def test_a_wrong_code_in_either_spelling_is_404(nations: tuple[Simulator, TestClient]) -> None:
    _, client = nations
    auth = bearer(client)
    listed = client.get("/tachoshare/drivers", headers=auth).json()["items"]
    driver = next(d for d in listed if d["countryCode"] == "0x35")
    for spelling in ("0x34", "34"):
        response = client.get(
            f"/tachoshare/drivers/{driver['cardNumber']}/files",
            params={"countryCode": spelling},
            headers={**auth, **FILE_ACCEPT},
        )
        assert response.status_code == 404


def test_a_world_with_a_country_outside_the_appendix_is_refused() -> None:
    text = _world_text().replace("country: RS", "country: XK", 1)
    with pytest.raises(WorldError, match="unknown country 'XK'"):
        parse_world(text)
