"""With `signing: true` every signature of the served files verifies with the keys of `GET /_sim/pki`; without
it, signatures are zero bytes."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.tachograph.card.file import read_card_file
from mockserver.tachograph.codec.primitives import ByteReader
from mockserver.tachograph.security.gen2_certificate import parse_gen2_certificate
from mockserver.tachograph.security.verify import (
    ec_public_from_pem,
    gen1_chain_key,
    gen1_signature_valid,
    gen2_chain_key,
    gen2_signature_valid,
    rsa_public_from_pem,
)
from mockserver.tachograph.vu.file import read_vu_file
from mockserver.world.identifiers import nation_hex
from mockserver.world.models import World
from tests.conftest import bearer, vehicle_by_key
from tests.tachoshare.test_files_api import driver_by_key

ACCEPT = {"Accept": "application/octet-stream, application/json"}


@pytest.fixture(scope="module")
def signed(world: World) -> Iterator[tuple[Simulator, TestClient]]:
    sim = Simulator(dataclasses.replace(world, signing=True), SimClock(world.start, rate=0))
    with TestClient(create_app(sim, strict=True)) as client:
        yield sim, client


def roots(client: TestClient) -> dict[str, Any]:
    response = client.get("/_sim/pki")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_pki_route_serves_the_roots_and_says_whether_files_are_signed(signed: tuple[Simulator, TestClient]) -> None:
    sim, client = signed
    body = roots(client)
    assert body["signing"] is True and body["seed"] == sim.world.seed
    assert body["gen1"]["rootPublicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    gen1 = body["gen1"]["certificates"]
    root = rsa_public_from_pem(body["gen1"]["rootPublicKeyPem"])
    gen1_chain_key(root, bytes.fromhex(gen1["memberState"]), bytes.fromhex(gen1["vehicleUnit"]))
    gen2 = body["gen2"]["certificates"]
    gen2_chain_key(
        ec_public_from_pem(body["gen2"]["rootPublicKeyPem"]),
        bytes.fromhex(gen2["memberState"]),
        bytes.fromhex(gen2["vehicleUnitSign"]),
    )


@pytest.mark.parametrize("key", ["ok-plus", "ok-basic", "outside-compliance"])  # Gen2v2, Gen2v1, Gen1
def test_every_vu_signature_verifies(signed: tuple[Simulator, TestClient], key: str) -> None:
    sim, client = signed
    body = roots(client)
    vehicle = vehicle_by_key(sim, key)
    params = {"activityDate-from": "2026-06-01", "activityDate-to": "2026-07-01"}
    response = client.get(
        f"/tachoshare/vehicles/{vehicle.vin}/files", params=params, headers={**bearer(client), **ACCEPT}
    )
    assert response.status_code == 200, response.text
    parsed = read_vu_file(response.content)
    security = parsed.security
    assert len(security.signed) == len(parsed.download.days) + 3 + (parsed.download.speed_blocks is not None)
    if parsed.download.generation.value == "gen1":
        key1 = gen1_chain_key(
            rsa_public_from_pem(body["gen1"]["rootPublicKeyPem"]),
            security.member_state_certificate,
            security.vu_certificate,
        )
        assert all(gen1_signature_valid(key1, region.data, region.signature) for region in security.signed)
    else:
        key2 = gen2_chain_key(
            ec_public_from_pem(body["gen2"]["rootPublicKeyPem"]),
            security.member_state_certificate,
            security.vu_certificate,
        )
        assert all(gen2_signature_valid(key2, region.data, region.signature) for region in security.signed)


@pytest.mark.parametrize("key", ["gen1-card", "ok"])
def test_every_card_signature_verifies(signed: tuple[Simulator, TestClient], key: str) -> None:
    sim, client = signed
    body = roots(client)
    driver = driver_by_key(sim, key)
    params = {
        "countryCode": nation_hex(driver.country),
        "downloadDate-from": "2026-10-20",
        "downloadDate-to": "2026-10-23",
    }
    response = client.get(
        f"/tachoshare/drivers/{driver.card_key}/files", params=params, headers={**bearer(client), **ACCEPT}
    )
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        parsed = read_card_file(archive.read(archive.namelist()[0]))
    key1 = gen1_chain_key(
        rsa_public_from_pem(body["gen1"]["rootPublicKeyPem"]),
        parsed.certificates[(0xC108, 0)],
        parsed.certificates[(0xC100, 0)],
    )
    gen1 = [s for s in parsed.signatures if s.appendix == 1]
    gen2 = [s for s in parsed.signatures if s.appendix == 3]
    assert gen1 and all(gen1_signature_valid(key1, s.data, s.signature) for s in gen1)
    if key == "ok":
        key2 = gen2_chain_key(
            ec_public_from_pem(body["gen2"]["rootPublicKeyPem"]),
            parsed.certificates[(0xC108, 2)],
            parsed.certificates[(0xC101, 2)],
        )
        assert gen2 and all(gen2_signature_valid(key2, s.data, s.signature) for s in gen2)
        parse_gen2_certificate(ByteReader(parsed.certificates[(0xC100, 2)]))
    else:
        assert not gen2


def test_unsigned_worlds_send_zero_signatures(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    assert roots(client)["signing"] is False
    vehicle = vehicle_by_key(sim, "ok-plus")
    response = client.get(f"/tachoshare/vehicles/{vehicle.vin}/files", headers={**auth, **ACCEPT})
    security = read_vu_file(response.content).security
    assert security.signed and all(region.signature == bytes(len(region.signature)) for region in security.signed)
