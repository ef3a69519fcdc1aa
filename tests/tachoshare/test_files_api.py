"""Every documented status of the two file routes, file names and extensions, and the ZIP's members."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from mockserver.resources import default_world_path
from mockserver.simulator import Simulator
from mockserver.tachograph.card.file import read_card_file
from mockserver.tachograph.vu.file import read_vu_file
from mockserver.world.identifiers import nation_hex
from mockserver.world.models import Driver
from tests.conftest import bearer, vehicle_by_key

FILE_ACCEPT = {"Accept": "application/octet-stream, application/json"}
SPLIT = (
    "A different tachograph generation was detected on {date}. Please make two requests: the first one using this "
    "date in the {prefix}-to and the second one using this date in {prefix}-from."
)


def driver_by_key(sim: Simulator, key: str) -> Driver:
    keys = [d["key"] for d in yaml.safe_load(default_world_path().read_text())["accounts"][0]["drivers"]]
    account = sim.world.account("demo")
    assert account is not None
    return account.drivers[keys.index(key)]


def vehicle_json(client: TestClient, auth: dict[str, str], vin: str) -> dict[str, Any]:
    response = client.get(f"/tachoshare/vehicles/{vin}", headers=auth)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()["items"][0]
    return body


def driver_json(client: TestClient, auth: dict[str, str], card: str) -> dict[str, Any]:
    items = client.get("/tachoshare/drivers", headers=auth).json()["items"]
    return next(item for item in items if item["cardNumber"] == card)


def vehicle_files(client: TestClient, auth: dict[str, str], vin: str, **params: str) -> Any:
    return client.get(f"/tachoshare/vehicles/{vin}/files", params=params, headers={**auth, **FILE_ACCEPT})


def driver_files(client: TestClient, auth: dict[str, str], driver: Driver, **params: str) -> Any:
    query = {"countryCode": nation_hex(driver.country), **params}
    return client.get(f"/tachoshare/drivers/{driver.card_key}/files", params=query, headers={**auth, **FILE_ACCEPT})


def disposition_name(response: Any) -> str:
    match = re.fullmatch(r'attachment; filename="([^"]+)"', response.headers["content-disposition"])
    assert match, response.headers["content-disposition"]
    return match.group(1)


def assert_error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"description", "url", "traceId"}
    description: str = body["description"]
    return description


# -- vehicles -----------------------------------------------------------------------------------------------


def test_default_range_is_the_last_90_days_of_archived_activity(
    client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    vehicle = vehicle_by_key(sim, "ok-plus")
    view = vehicle_json(client, auth, vehicle.vin)
    response = vehicle_files(client, auth, vehicle.vin)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    parsed = read_vu_file(response.content).download
    today = sim.clock.now().date()
    first = max(today + timedelta(days=1) - timedelta(days=90), date.fromisoformat(view["firstAvailableActivityDate"]))
    last = date.fromisoformat(view["lastActivityDate"])
    assert [d.day for d in parsed.days] == [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert parsed.overview.vin == vehicle.vin
    assert parsed.overview.registration.plate == vehicle.license_plate


def test_vehicle_file_name_follows_the_reference(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    vehicle = vehicle_by_key(sim, "ok-plus")
    response = vehicle_files(client, auth, vehicle.vin)
    name = disposition_name(response)
    plate = re.sub(r"[^A-Z0-9]", "", vehicle.license_plate.upper())
    assert re.fullmatch(rf"M_\d{{8}}_\d{{4}}_{plate}_{vehicle.vin}\.DDD", name), name
    downloaded = read_vu_file(response.content).download.overview.current_time
    assert name.startswith(f"M_{downloaded:%Y%m%d_%H%M}_")


@pytest.mark.parametrize(
    ("key", "file_format", "extension"),
    [
        ("ok-plus", "DDD", "DDD"),
        ("ok-plus", "V1B_V1C", "V1C"),
        ("ok-plus", "TGD", "TGD"),
        ("outside-compliance", "V1B_V1C", "V1B"),
        ("outside-compliance", "DDD", "DDD"),
    ],
)
def test_format_sets_only_the_extension(
    client: TestClient, sim: Simulator, auth: dict[str, str], key: str, file_format: str, extension: str
) -> None:
    vehicle = vehicle_by_key(sim, key)
    view = vehicle_json(client, auth, vehicle.vin)
    last = date.fromisoformat(view["lastActivityDate"])
    window = {"activityDate-from": (last - timedelta(days=20)).isoformat(), "activityDate-to": last.isoformat()}
    reference = vehicle_files(client, auth, vehicle.vin, **window)
    response = vehicle_files(client, auth, vehicle.vin, format=file_format, **window)
    assert response.status_code == 200
    assert disposition_name(response).endswith(f".{extension}")
    assert response.content == reference.content


def test_no_data_is_204(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    never = vehicle_by_key(sim, "never-downloaded")
    response = vehicle_files(client, auth, never.vin)
    assert response.status_code == 204 and response.content == b""
    old = vehicle_by_key(sim, "ok-plus")
    response = vehicle_files(
        client, auth, old.vin, **{"activityDate-from": "2015-01-01", "activityDate-to": "2015-02-01"}
    )
    assert response.status_code == 204


def test_generation_split_is_400_with_the_exact_text(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    vehicle = vehicle_by_key(sim, "retrofitted")
    change = vehicle.generations[1].since
    description = assert_error(vehicle_files(client, auth, vehicle.vin), 400)
    assert description == SPLIT.format(date=change.isoformat(), prefix="activityDate")
    before = vehicle_files(client, auth, vehicle.vin, **{"activityDate-to": change.isoformat()})
    after = vehicle_files(client, auth, vehicle.vin, **{"activityDate-from": change.isoformat()})
    assert before.status_code == after.status_code == 200
    assert disposition_name(
        vehicle_files(client, auth, vehicle.vin, format="V1B_V1C", **{"activityDate-to": change.isoformat()})
    ).endswith(".V1B")
    assert read_vu_file(before.content).download.generation.value == "gen1"
    assert read_vu_file(after.content).download.generation.value == "gen2v2"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"activityDate-from": "01.04.2026"},
            "A request parameter is missing or is not properly specified: activityDate-from (01.04.2026) is not a date "
            "in the yyyy-MM-dd format.",
        ),
        (
            {"activityDate-to": "2026-02-30"},
            "A request parameter is missing or is not properly specified: activityDate-to (2026-02-30) is not a date "
            "in the yyyy-MM-dd format.",
        ),
        (
            {"activityDate-from": "2023-01-01", "activityDate-to": "2026-01-01"},
            "A request parameter is missing or is not properly specified: the date range must not be longer than 2 "
            "years.",
        ),
        ({"activityDate-from": "2026-05-01", "activityDate-to": "2026-05-01"}, None),
        ({"format": "PDF"}, None),
    ],
)
def test_bad_parameters_are_400(
    client: TestClient, sim: Simulator, auth: dict[str, str], params: dict[str, str], expected: str | None
) -> None:
    description = assert_error(vehicle_files(client, auth, vehicle_by_key(sim, "ok-plus").vin, **params), 400)
    if expected is not None:
        assert description == expected


def test_exactly_two_years_is_allowed(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    vin = vehicle_by_key(sim, "ok-plus").vin
    ok = vehicle_files(client, auth, vin, **{"activityDate-from": "2024-11-01", "activityDate-to": "2026-11-01"})
    assert ok.status_code == 200
    too_long = vehicle_files(client, auth, vin, **{"activityDate-from": "2024-11-01", "activityDate-to": "2026-11-02"})
    assert_error(too_long, 400)


def test_auth_visibility_and_negotiation(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    vehicle = vehicle_by_key(sim, "ok-plus")
    assert_error(client.get(f"/tachoshare/vehicles/{vehicle.vin}/files", headers=FILE_ACCEPT), 401)
    assert_error(vehicle_files(client, bearer(client, scopes=[]), vehicle.vin), 403)
    assert_error(vehicle_files(client, auth, "1M8GDM9AXKP042788"), 404)
    south = vehicle_by_key(sim, "ok-basic")
    assert_error(vehicle_files(client, bearer(client, user="dispatcher-north"), south.vin), 404)
    other = sim.world.account("acme")
    assert other is not None
    assert_error(vehicle_files(client, auth, other.vehicles[0].vin), 404)
    response = client.get(f"/tachoshare/vehicles/{vehicle.vin}/files", headers={**auth, "Accept": "text/csv"})
    assert_error(response, 406)
    for accept in ("application/octet-stream", "*/*"):
        response = client.get(f"/tachoshare/vehicles/{vehicle.vin}/files", headers={**auth, "Accept": accept})
        assert response.status_code == 200, accept
    only_json = client.get(f"/tachoshare/vehicles/{vehicle.vin}/files", headers={**auth, "Accept": "application/json"})
    assert_error(only_json, 406)  # the file is octet-stream (issue 17, item 4)


# -- drivers ------------------------------------------------------------------------------------------------


def zip_members(content: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return [(name, archive.read(name)) for name in archive.namelist()]


def test_driver_zip_holds_one_card_file_per_download_in_range(
    client: TestClient, sim: Simulator, auth: dict[str, str]
) -> None:
    driver = driver_by_key(sim, "ok-es")  # TACHOSHARE: a download every 7 days
    account = sim.world.account("demo")
    assert account is not None
    start, end = date(2026, 8, 1), date(2026, 10, 1)
    response = driver_files(
        client, auth, driver, **{"downloadDate-from": start.isoformat(), "downloadDate-to": end.isoformat()}
    )
    assert response.status_code == 200
    expected = [
        s.at
        for s in sim.tachoshare.driver_downloads(account, driver, sim.clock.now()).successes
        if start <= s.at.date() < end
    ]
    members = zip_members(response.content)
    assert len(members) == len(expected) > 5
    for (name, data), moment in zip(members, expected, strict=True):
        assert name == f"C_{moment:%Y%m%d_%H%M}_{driver.first_names[0].upper()}_" + name.split("_", 4)[4]
        assert name.endswith(f"_{driver.card_key}.DDD")
        parsed = read_card_file(data).download
        assert parsed.card_number[:14] == driver.card_key
        assert parsed.downloaded_at == moment
    zip_name = disposition_name(response)
    assert zip_name.startswith(f"C_{expected[-1]:%Y%m%d_%H%M}_{expected[0]:%Y%m%d_%H%M}_")
    assert zip_name.endswith(f"_{driver.card_key}.ZIP")


@pytest.mark.parametrize(("key", "extension"), [("gen1-card", "C1B"), ("ok", "C1C")])
def test_driver_format_sets_the_member_extension(
    client: TestClient, sim: Simulator, auth: dict[str, str], key: str, extension: str
) -> None:
    driver = driver_by_key(sim, key)
    window = {"downloadDate-from": "2026-10-01", "downloadDate-to": "2026-10-15"}
    plain = driver_files(client, auth, driver, **window)
    french = driver_files(client, auth, driver, format="C1B_C1C", **window)
    spanish = driver_files(client, auth, driver, format="TGD", **window)
    assert plain.status_code == french.status_code == spanish.status_code == 200
    assert all(name.endswith(f".{extension}") for name, _ in zip_members(french.content))
    assert all(name.endswith(".TGD") for name, _ in zip_members(spanish.content))
    assert [data for _, data in zip_members(plain.content)] == [data for _, data in zip_members(french.content)]


def test_driver_statuses(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    renewed = driver_by_key(sim, "renewed")
    change = renewed.generations[1].since
    description = assert_error(driver_files(client, auth, renewed), 400)
    assert description == SPLIT.format(date=change.isoformat(), prefix="downloadDate")
    assert driver_files(client, auth, renewed, **{"downloadDate-from": change.isoformat()}).status_code == 200
    assert driver_files(client, auth, renewed, **{"downloadDate-to": change.isoformat()}).status_code == 200
    never = driver_by_key(sim, "never-downloaded")
    assert driver_files(client, auth, never).status_code == 204
    ok = driver_by_key(sim, "ok")
    missing = client.get(f"/tachoshare/drivers/{ok.card_key}/files", headers={**auth, **FILE_ACCEPT})
    assert "countryCode" in assert_error(missing, 400)
    wrong_country = "0x01" if nation_hex(ok.country) != "0x01" else "0x02"
    response = client.get(
        f"/tachoshare/drivers/{ok.card_key}/files",
        params={"countryCode": wrong_country},
        headers={**auth, **FILE_ACCEPT},
    )
    assert_error(response, 404)
    response = client.get(
        "/tachoshare/drivers/X0000000000000/files", params={"countryCode": "0x26"}, headers={**auth, **FILE_ACCEPT}
    )
    assert_error(response, 404)
    assert_error(
        driver_files(client, auth, ok, **{"downloadDate-from": "2020-01-01", "downloadDate-to": "2023-01-01"}), 400
    )
    assert_error(driver_files(client, auth, ok, **{"downloadDate-to": "yesterday"}), 400)
    unauthenticated = client.get(
        f"/tachoshare/drivers/{ok.card_key}/files", params={"countryCode": nation_hex(ok.country)}
    )
    assert_error(unauthenticated, 401)
    assert_error(driver_files(client, bearer(client, scopes=[]), ok), 403)
    response = client.get(
        f"/tachoshare/drivers/{ok.card_key}/files",
        params={"countryCode": nation_hex(ok.country)},
        headers={**auth, "Accept": "image/png"},
    )
    assert_error(response, 406)


def test_lower_case_country_code_is_the_same_card(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    driver = driver_by_key(sim, "ok-es")  # 0x0F
    window = {"downloadDate-from": "2026-10-01", "downloadDate-to": "2026-10-15"}
    upper = driver_files(client, auth, driver, **window)
    lower = client.get(
        f"/tachoshare/drivers/{driver.card_key}/files",
        params={"countryCode": nation_hex(driver.country).lower(), **window},
        headers={**auth, **FILE_ACCEPT},
    )
    assert upper.status_code == lower.status_code == 200
    assert upper.content == lower.content
