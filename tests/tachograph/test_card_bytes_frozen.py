"""The bytes of driver-card files and driver ZIPs are frozen: SHA-256 digests recorded with the straightforward
(re-encode everything per download) writer, which every cache and incremental encoder must reproduce exactly.

Digests cover the ZIPs served by `GET /tachoshare/drivers/{cardNumber}/files` (unsigned and signed, every card
generation of the default world), each member's card-file bytes, the plain-facts path of `simulate_card` and a
VU file (whose writer shares the codecs). A digest changes only when a file's content is meant to change: then
recompute it (`python -m tests.tachograph.test_card_bytes_frozen` prints the current values) and say why.
Requests also run in a scrambled order against one warm archive: the bytes of a download never depend on which
downloads were built before it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
import yaml
from starlette.testclient import TestClient

from mockserver.clock import SimClock
from mockserver.resources import default_world_path
from mockserver.simulator import Simulator
from mockserver.tachograph.simulate import CompanyFacts, DriverFacts, VehicleFacts, build_vu_download, cached_plan
from mockserver.tachograph.simulate_card import DriverHistory, build_card_files, card_zip, weekly_moments
from mockserver.tachograph.types import EquipmentType, FullCardNumber, Generation
from mockserver.tachograph.vu.file import write_vu_file
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
from mockserver.world import World, load_world
from mockserver.world.identifiers import nation_hex
from mockserver.world.models import Account, Driver

CARD_DDD = files.DRIVER_FORMATS["DDD"]

# (driver key, first download day, end day exclusive, signed) -> (ZIP digest, digest of the members' digests)
ZIP_WINDOWS: tuple[tuple[str, str, str, bool], ...] = (
    ("ok", "2025-09-01", "2026-11-03", False),  # daily downloads, a Gen2v2 card (written with the Gen2v1 layout)
    ("ok-es", "2024-11-04", "2026-11-03", False),  # weekly, two years
    ("gen1-card", "2024-11-04", "2026-11-03", False),
    ("renewed", "2025-06-01", "2026-10-03", False),  # the Gen1 card, up to its renewal
    ("renewed", "2026-10-03", "2026-11-03", False),  # the renewed Gen2v2 card
    ("delayed", "2025-11-02", "2026-11-03", False),  # downloads stopped ten days ago
    ("ok-es", "2026-08-01", "2026-10-01", True),
    ("gen1-card", "2026-08-01", "2026-10-01", True),
    ("ok", "2026-10-01", "2026-10-15", True),
)


ZIP_CASES: dict[tuple[str, str, str, bool], tuple[str, str]] = {
    ("ok", "2025-09-01", "2026-11-03", False): (
        "ffff8d19cd671ca4c5a763272332a3b34ae6b5e2949e0f8053bc6eb6dc0f17da",
        "2022542e0b26316a358502b69f22b699397bf069e3875fd3517b33ee19e8fa92",
    ),
    ("ok-es", "2024-11-04", "2026-11-03", False): (
        "8beda29da7e10598af242812a014ee1a2327febf1492ad527d29512de9dafe81",
        "273c24725d2b8b377578a606741675d24f70159bc9e9404907840cbfef70b2cf",
    ),
    ("gen1-card", "2024-11-04", "2026-11-03", False): (
        "d41d93b3b6f9ec7074648377523d902a74e30965d89756e5a09419411b98a9ea",
        "3d75320a98dacf258962315e700cac124b3d59381f91d81a4f1ce55a98a12324",
    ),
    ("renewed", "2025-06-01", "2026-10-03", False): (
        "99c220e904684f4951fbe72d9b11cccd26d56c5b00762167fad744561b6e2193",
        "06962228e9b42ba7c426ab03516a1cd355c0808448ea03a0957f2fd8f3e9da98",
    ),
    ("renewed", "2026-10-03", "2026-11-03", False): (
        "281117047cab02e8fbb18ac6c90efbfbd6e71346d287594a60d75988567fc6be",
        "62f11dd54e5bc64b2a121ec5b0d55f1cd8d95a0a2aed4ae1bd000e4ece3569c3",
    ),
    ("delayed", "2025-11-02", "2026-11-03", False): (
        "4c5273b55859f7d888797f6fca47b09cd4fc7499dc39c2473a1b44543dfe0ea3",
        "390deb6b0dd54d58b269ca56861f54c822401a947a49dedae35a6993bf9eaa8a",
    ),
    ("ok-es", "2026-08-01", "2026-10-01", True): (
        "aaf3d88355af9bc99273b4aba4be8ab07a7d75b23b26db59ff1234bf97972123",
        "22a068a1a34a20a74bb2f62fc968be4d3085015cb6c4bf5b1c15278e6d2430bd",
    ),
    ("gen1-card", "2026-08-01", "2026-10-01", True): (
        "e73042c3457a6287b34dc7287c0cf0601211dc0b0e2ccbf09b48f6595e9982da",
        "1bbf07b2d1d564aa8c4b2907ca97b1d431dbf3073e203f1bd4c462c1181d4033",
    ),
    ("ok", "2026-10-01", "2026-10-15", True): (
        "c22d954acad702ffc0425693946209d1b2b14904d25756feaf676762d4b08e57",
        "52bf455a5e2f7c3ce6cfaa2b559e5cb8da153944c54d89318116e942c0d5fc38",
    ),
}
FACTS_DIGESTS: dict[str, str] = {
    "gen2-zip": "26e5c1e27c1963770c8a52cc7bce499f876dadc9602c5091cc819f9fb3c77aa1",
    "gen2-files": "812bf34eeb5a924f0a6e14bea29a89e0522e3fe722eee0d0722fccb077d6f002",
    "gen1-zip": "2bee4a05ff1493497eee14eb0fd254ab06558f39f824de1f9b3795dce31ff75d",
    "gen1-files": "b6498f6fc66e72ffab73e9383e1b31ca0a940d52b69dce4aa2970fe0bef7c26b",
    "vu": "8e9caf2b4d1703b981f0ca29c2212f2ab0aed7f9e5d9333a4a5c85efacfb4181",
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _demo(world: World) -> Account:
    account = world.account("demo")
    assert account is not None
    return account


def _driver(account: Account, key: str) -> Driver:
    keys = [d["key"] for d in yaml.safe_load(default_world_path().read_text())["accounts"][0]["drivers"]]
    return account.drivers[keys.index(key)]


def _zip_digests(data: bytes) -> tuple[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = "".join(f"{name}:{_sha(archive.read(name))}\n" for name in archive.namelist())
    return _sha(data), _sha(members.encode())


class _Worlds:
    """The default world unsigned and signed, each with a simulator at the world's start."""

    def __init__(self) -> None:
        plain = load_world()
        self.sims = {
            signed: Simulator(dataclasses.replace(plain, signing=signed), SimClock(plain.start, rate=0))
            for signed in (False, True)
        }

    def zip_of(self, archive: TachographArchive, case: tuple[str, str, str, bool]) -> bytes:
        key, start, end, signed = case
        sim = self.sims[signed]
        account = _demo(sim.world)
        driver = _driver(account, key)
        downloads = sim.tachoshare.driver_downloads(account, driver, sim.clock.now())
        span = files.DateRange(date.fromisoformat(start), date.fromisoformat(end))
        answer = archive.driver_files(sim.world, account, driver, downloads, span, CARD_DDD)
        assert answer is not None, case
        return answer.data


@pytest.fixture(scope="module")
def worlds() -> Iterator[_Worlds]:
    yield _Worlds()


def _facts_files() -> dict[str, bytes]:
    """The plain-facts path (`simulate_card`), as bench/bench_files.py drives it, and a VU file."""
    start, end = date(2023, 1, 2), date(2025, 1, 1)
    now = datetime(2025, 1, 1, 8, tzinfo=UTC)
    drivers = (
        DriverFacts(101, "DF00000000010100", 0x0D, "Müller", "Hans", date(1980, 5, 17), start, date(2033, 1, 1)),
        DriverFacts(102, "DF00000000010200", 0x0D, "Schmidt", "Eva", date(1985, 2, 1), start, date(2033, 1, 1)),
    )
    company_card = FullCardNumber(EquipmentType.COMPANY_CARD, 0x0D, "DC00000000000100", 2)
    company = CompanyFacts("ACME Logistik GmbH", "Hauptstrasse 1", company_card, now)
    vehicle = VehicleFacts(7, "WDB9634031L000007", 0x0D, "B-FM 7", Generation.GEN2V2, drivers, start, company=company)
    gen1_driver = dataclasses.replace(drivers[1], card_generation=Generation.GEN1)
    gen1_vehicle = dataclasses.replace(vehicle, drivers=(drivers[0], gen1_driver))
    out: dict[str, bytes] = {}
    for name, driver, vehicles in (
        ("gen2", drivers[0], [vehicle]),
        ("gen1", gen1_driver, [gen1_vehicle]),
    ):
        history = DriverHistory(driver, vehicles, end)
        cards = build_card_files(history, weekly_moments(start, end))
        out[f"{name}-zip"] = card_zip([(f"C_{i:03d}.DDD", data) for i, data in enumerate(cards)])
        out[f"{name}-files"] = "".join(_sha(data) for data in cards).encode()
    out["vu"] = write_vu_file(build_vu_download(vehicle, date(2024, 10, 1), end, now))
    return out


def test_driver_zips_are_byte_identical_to_the_recorded_ones(worlds: _Worlds) -> None:
    archive = TachographArchive()
    for case in ZIP_WINDOWS:
        assert _zip_digests(worlds.zip_of(archive, case)) == ZIP_CASES[case], case


def test_the_route_serves_the_recorded_zip(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    """`GET /tachoshare/drivers/{cardNumber}/files` over two years of weekly downloads."""
    case = ("ok-es", "2024-11-04", "2026-11-03", False)
    driver = _driver(_demo(sim.world), case[0])
    response = client.get(
        f"/tachoshare/drivers/{driver.card_key}/files",
        params={"countryCode": nation_hex(driver.country), "downloadDate-from": case[1], "downloadDate-to": case[2]},
        headers={**auth, "Accept": "application/octet-stream, application/json"},
    )
    assert response.status_code == 200, response.text
    assert _zip_digests(response.content) == ZIP_CASES[case]


def test_bytes_do_not_depend_on_the_order_of_requests(worlds: _Worlds) -> None:
    """A warm archive asked in a scrambled order (a late window first, overlapping windows, repeats)."""
    archive = TachographArchive()
    scrambled = [
        ("ok", "2026-10-20", "2026-11-03", False),
        ("ok-es", "2026-08-01", "2026-10-01", True),
        ("ok-es", "2026-09-01", "2026-10-01", False),
        *reversed(ZIP_WINDOWS),
    ]
    for case in scrambled:
        data = worlds.zip_of(archive, case)
        if case in ZIP_CASES:
            assert _zip_digests(data) == ZIP_CASES[case], case
    cached_plan.cache_clear()
    for case in ZIP_WINDOWS[:2]:  # again, from the archive's member cache and with cold day plans
        assert _zip_digests(worlds.zip_of(archive, case)) == ZIP_CASES[case], case


def test_concurrent_requests_for_one_card_give_the_recorded_bytes(worlds: _Worlds) -> None:
    """Threads sharing one archive (one history and record logs per card) ask overlapping windows at once."""
    windows = [
        ("ok", "2026-10-20", "2026-11-03", False),
        ("ok", "2026-06-01", "2026-11-03", False),
        ("ok", "2025-09-01", "2026-11-03", False),
        ("ok", "2026-09-01", "2026-10-01", False),
    ]
    expected = [_zip_digests(worlds.zip_of(TachographArchive(), case)) for case in windows]
    archive = TachographArchive()
    with ThreadPoolExecutor(len(windows)) as pool:
        found = list(pool.map(lambda case: _zip_digests(worlds.zip_of(archive, case)), windows))
    assert found == expected
    assert found[2] == ZIP_CASES[windows[2]]


def test_plain_facts_card_files_and_vu_file_are_byte_identical() -> None:
    assert {name: _sha(data) for name, data in _facts_files().items()} == FACTS_DIGESTS


def _record() -> None:
    """Print the current digests in the form of the constants below."""
    worlds, archive = _Worlds(), TachographArchive()
    print("ZIP_CASES.update({")
    for case in ZIP_WINDOWS:
        print(f"    {case!r}: {_zip_digests(worlds.zip_of(archive, case))!r},")
    print("})")
    print("FACTS_DIGESTS.update({")
    for name, data in _facts_files().items():
        print(f"    {name!r}: {_sha(data)!r},")
    print("})")


if __name__ == "__main__":
    _record()
