"""The bytes of driver-card files and driver ZIPs are frozen: SHA-256 digests recorded with the straightforward
(re-encode everything per download) writer, which every cache and incremental encoder must reproduce exactly.

Digests cover the ZIPs served by `GET /tachoshare/drivers/{cardNumber}/files` (unsigned and signed, every card
generation of the default world), each member's card-file bytes, and the card files and a VU file of a fixed
crew (whose writer shares the codecs). A ZIP is pinned by its listing (names, CRCs, sizes, method, times) and
its members' bytes, not by its deflate stream: the deflater's output may differ between CPU families (see
`mockserver.tachoshare.zipwriter`), while on one machine the same request gives the same ZIP bytes (checked
below against fresh archives). A digest changes only when a file's content is meant to change: then
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
from mockserver.tachograph.dayplan import cached_plan
from mockserver.tachograph.history.card import build_card_files, card_zip, weekly_moments
from mockserver.tachograph.history.fixed import DriverFacts, FixedCrew, VehicleFacts
from mockserver.tachograph.history.rota import CompanyFacts
from mockserver.tachograph.history.vu import build_vu_download
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
        "e90785030fafc7a2e45c8ddce39b98feac20d2a0966bed8843483ea571f540c5",
        "09213a6fb481d39fa71fec8b89d940dd3ad96a749497d41dd3dec6ee8fb6e830",
    ),
    ("ok-es", "2024-11-04", "2026-11-03", False): (
        "25d4acf7bbbcccd926ed0d1fb9fc5e3273ece292d303cf44ef7462bfe3a48829",
        "08afda2452aa8223b407a2201fc0344ed4abb2dfe78ed799571addbbccfa9de2",
    ),
    ("gen1-card", "2024-11-04", "2026-11-03", False): (
        "660119ebd937e80d516b835f7f033769b67206e796a6a74ac463218f4940ceb5",
        "3d0aa12bac7531571e888da51d09bc56a603df75f8303bd079b6adae565314e1",
    ),
    ("renewed", "2025-06-01", "2026-10-03", False): (
        "e1a533c5baba175e4e4c24aa3ca7e7ca6bb8f46612b8089b28662a7f2330f306",
        "d0c84148f3fb00dd6d3b7500bed6deadb44c5e0511c702162ac6aa1e1f5bb9c7",
    ),
    ("renewed", "2026-10-03", "2026-11-03", False): (
        "72cada43af9874aff4407f80ef3d7f7adaa436b44d3b2b392aa3617d26533273",
        "5aa918fc5dfe80fb764e98ace84f160397f061baeb803c0c33c026ace5c7aafa",
    ),
    ("delayed", "2025-11-02", "2026-11-03", False): (
        "5761f7acfb9b83d6572bfc1f5a089b61052b31a9e4c27832c621790bdd496a05",
        "e8ba2260dcaabc81811237c95aa508e59ac7d247d4ac321e69d326ea91e9ab25",
    ),
    ("ok-es", "2026-08-01", "2026-10-01", True): (
        "805bbfbeb51b9b4524ad7845c3e9c0d01160486174f1c79f822fd9417a4b83c8",
        "7a45b7c308633c79c7408d9115eeeee713ab164d40db15a5f0c41fa9cfa36f83",
    ),
    ("gen1-card", "2026-08-01", "2026-10-01", True): (
        "925bbb9fc69c140f4642e65b7a80fb72c326ce891e6de14d794414d5f4f1e795",
        "9a973448c374898bb2aa8e0f50ca4f1ce6be803d22e389297e2d62040b495047",
    ),
    ("ok", "2026-10-01", "2026-10-15", True): (
        "84a34a97aad620aa4166748b864d1a9ef439249b16c186cf4c078fc1515a0b51",
        "c6501626aaef64404c8dc33a7d42c246f4e4fb54765337be3a064f0558a618da",
    ),
}
FACTS_DIGESTS: dict[str, str] = {
    # Faults_Data holds the faults of the unit the card was in (17, item 16); without them the cards are unchanged
    "gen2-zip": "30a0a5c8b392700eccbe2add1b041df7f881aa56ae3d70644b1c4c616b9b9267",
    "gen2-files": "2b210fc9fd0256c1c768baf27a63182885e33035819d36fb51e1b605191b63a6",
    # Events_Data holds the power supply interruptions whose VU record names the card (17, item 16): only the Gen1
    # card had one during a session; without card events they are the digests before (test_card_events.py)
    "gen1-zip": "b3abd6d788f4ddc2aedf7257c40d4772e0a0abe6ab8350a5018458a600ed6ac4",
    "gen1-files": "c45ce45115c203bfc576cae7fdc7b6e967041b04eb754fcaebfd54e7c2d8fae4",
    # + VU faults (17, item 16); each event type stored by its own rule with its own EventFaultRecordPurpose
    "vu": "14bc9125b75142456a10031451b2817b23f81023649a2987cfd65b79644242db",
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
    """(digest of the listing, digest of the members' digests); reading each member checks its CRC."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        listing = "".join(
            f"{i.filename}|{i.CRC:08x}|{i.file_size}|{i.compress_type}|{i.date_time}|{i.flag_bits}"
            f"|{i.extract_version}|{i.create_version}|{i.external_attr}\n"
            for i in archive.infolist()
        )
        members = "".join(f"{name}:{_sha(archive.read(name))}\n" for name in archive.namelist())
    return _sha(listing.encode()), _sha(members.encode())


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


def _facts_files(card_events: bool = True) -> dict[str, bytes]:
    """The fixed crew (`FixedCrew`), as bench/bench_files.py drives it: card files and a VU file (`card_events`:
    whether its unit names the cards in its event records and the cards keep those events)."""
    start, end = date(2023, 1, 2), date(2025, 1, 1)
    now = datetime(2025, 1, 1, 8, tzinfo=UTC)
    drivers = (
        DriverFacts(101, "DF00000000010100", 0x0D, "Müller", "Hans", date(1980, 5, 17), start, date(2033, 1, 1)),
        DriverFacts(102, "DF00000000010200", 0x0D, "Schmidt", "Eva", date(1985, 2, 1), start, date(2033, 1, 1)),
    )
    company_card = FullCardNumber(EquipmentType.COMPANY_CARD, 0x0D, "DC00000000000100", 2)
    company = CompanyFacts("ACME Logistik GmbH", "Hauptstrasse 1", company_card, now)
    vin, plate = "WDB9634031L000007", "B-FM 7"
    vehicle = VehicleFacts(
        7, vin, 0x0D, plate, Generation.GEN2V2, drivers, start, company=company, card_events=card_events
    )
    gen1_driver = dataclasses.replace(drivers[1], card_generation=Generation.GEN1)
    gen1_vehicle = dataclasses.replace(vehicle, drivers=(drivers[0], gen1_driver))
    out: dict[str, bytes] = {}
    for name, driver, vehicles in (
        ("gen2", drivers[0], [vehicle]),
        ("gen1", gen1_driver, [gen1_vehicle]),
    ):
        history = FixedCrew(vehicles).history(driver)
        cards = build_card_files(history, weekly_moments(start, end))
        zipped = card_zip([(f"C_{i:03d}.DDD", data) for i, data in enumerate(cards)])
        out[f"{name}-zip"] = "".join(_zip_digests(zipped)).encode()
        out[f"{name}-files"] = "".join(_sha(data) for data in cards).encode()
    out["vu"] = write_vu_file(build_vu_download(FixedCrew([vehicle]), vehicle.vin, date(2024, 10, 1), end, now))
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
    expected = [_sha(worlds.zip_of(TachographArchive(), case)) for case in windows]
    archive = TachographArchive()
    with ThreadPoolExecutor(len(windows)) as pool:
        found = list(pool.map(lambda case: worlds.zip_of(archive, case), windows))
    assert [_sha(data) for data in found] == expected  # the very same ZIP bytes, deflate stream included
    assert _zip_digests(found[2]) == ZIP_CASES[windows[2]]


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
