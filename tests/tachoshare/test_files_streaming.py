"""A driver ZIP is streamed by a real server while it is written (chunked, no Content-Length), and the streamed
bytes are the archive's ZIP; a vehicle file, at hand at once, is sent with its length."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
import requests

from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive
from mockserver.world.identifiers import nation_hex
from tests.conftest import LiveServer, vehicle_by_key
from tests.tachoshare.test_files_api import driver_by_key

pytestmark = pytest.mark.live


def test_a_large_driver_zip_arrives_chunked_and_whole(live: LiveServer) -> None:
    sim = live.sim
    driver = driver_by_key(sim, "ok")  # daily downloads: 400 card files, several MB, more than one part
    params = {
        "countryCode": nation_hex(driver.country),
        "downloadDate-from": "2025-09-01",
        "downloadDate-to": "2026-11-03",
    }
    headers = {"Authorization": f"Bearer {live.token()}", "Accept": "application/octet-stream"}
    url = f"{live.base_url}/tachoshare/drivers/{driver.card_key}/files"
    with requests.get(url, params=params, headers=headers, stream=True, timeout=60) as response:
        assert response.status_code == 200, response.text
        assert response.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in response.headers
        assert response.headers["content-disposition"].endswith('.ZIP"')
        received = b"".join(response.iter_content(chunk_size=None))
    account = sim.world.account("demo")
    assert account is not None
    downloads = sim.tachoshare.driver_downloads(account, driver, sim.clock.now())
    span = files.DateRange(date(2025, 9, 1), date(2026, 11, 3))
    expected = TachographArchive().driver_files(
        sim.world, account, driver, downloads, span, files.DRIVER_FORMATS["DDD"]
    )
    assert expected is not None and expected.streamed
    assert received == expected.data
    with zipfile.ZipFile(io.BytesIO(received)) as archive:
        assert archive.testzip() is None
        assert len(archive.namelist()) > 300


def test_a_vehicle_file_is_sent_with_its_length(live: LiveServer) -> None:
    vehicle = vehicle_by_key(live.sim, "ok-plus")
    headers = {"Authorization": f"Bearer {live.token()}", "Accept": "application/octet-stream"}
    url = f"{live.base_url}/tachoshare/vehicles/{vehicle.vin}/files"
    response = requests.get(url, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    assert int(response.headers["content-length"]) == len(response.content) > 0
