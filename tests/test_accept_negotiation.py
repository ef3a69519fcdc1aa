"""Accept negotiation with quality values on every route (issue 17, items 4 and 13)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.errors import NotAcceptable
from mockserver.http import media_ranges, negotiate, quality
from mockserver.simulator import Simulator
from mockserver.tachoshare import errors
from tests.conftest import vehicle_by_key
from tests.reveal.reveal_support import LOGBOOK, demo_headers

REVEAL = ("application/json", "application/xml")
FILE_ACCEPTS = ("application/octet-stream, application/json", "*/*", "application/*", "application/octet-stream")
NOTHING_OFFERED = ("text/html", "image/*", "application/json;q=0, application/octet-stream;q=0, */*;q=0")


def _tachoshare_routes(client: TestClient, sim: Simulator, auth: dict[str, str]) -> dict[str, tuple[str, str, dict]]:
    vin = vehicle_by_key(sim, "ok-basic").vin
    driver = next(d for d in client.get("/tachoshare/drivers", headers=auth).json()["items"] if "lastDownloadDate" in d)
    return {
        "listVehicles": ("GET", "/tachoshare/vehicles", {}),
        "getVehicle": ("GET", f"/tachoshare/vehicles/{vin}", {}),
        "getVehicleFiles": ("GET", f"/tachoshare/vehicles/{vin}/files", {}),
        "requestVehicleRdl": ("POST", f"/tachoshare/vehicles/{vin}/rdl", {}),
        "listDrivers": ("GET", "/tachoshare/drivers", {}),
        "getDriverFiles": (
            "GET",
            f"/tachoshare/drivers/{driver['cardNumber']}/files",
            {"countryCode": driver["countryCode"]},
        ),
        "listCompanyCards": ("GET", "/tachoshare/companyCards", {}),
        "listCompanyCardGroups": ("GET", "/tachoshare/companyCardGroups", {}),
    }


def test_a_file_asked_for_as_json_only_is_406(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    routes = _tachoshare_routes(client, sim, auth)
    for operation in ("getVehicleFiles", "getDriverFiles"):
        method, path, params = routes[operation]
        refused = client.request(method, path, params=params, headers={**auth, "Accept": "application/json"})
        assert refused.status_code == 406, operation
        assert refused.json()["description"] == errors.NOT_ACCEPTABLE
        for accept in FILE_ACCEPTS:
            answered = client.request(method, path, params=params, headers={**auth, "Accept": accept})
            assert answered.status_code == 200, (operation, accept)
            assert answered.headers["content-type"] == "application/octet-stream"


@pytest.mark.parametrize("accept", NOTHING_OFFERED)
def test_an_accept_that_allows_nothing_offered_is_406_on_every_route(
    client: TestClient, sim: Simulator, auth: dict[str, str], accept: str
) -> None:
    for operation, (method, path, params) in _tachoshare_routes(client, sim, auth).items():
        response = client.request(method, path, params=params, headers={**auth, "Accept": accept})
        assert response.status_code == 406, (operation, response.status_code)
        assert response.json()["description"] == errors.NOT_ACCEPTABLE
    reveal = client.get(f"{LOGBOOK}/99/statuscurrent", headers={**demo_headers(client), "Accept": accept})
    assert reveal.status_code == 406


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json;q=0.5, application/xml", "application/xml"),
        ("text/xml", "application/xml"),
        ("application/json, xml", "application/json"),  # the reference's own spelling: a tie, JSON first
        ("xml", "application/xml"),
        ("application/json;q=0.2, text/xml;q=0.8", "application/xml"),
        ("application/xml;q=0.1, */*;q=0.5", "application/json"),
        ("application/*;q=0.3, application/xml;q=0.4", "application/xml"),
    ],
)
def test_reveal_answers_the_preferred_type(client: TestClient, accept: str, expected: str) -> None:
    response = client.get(f"{LOGBOOK}/99/statuscurrent", headers={**demo_headers(client), "Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(expected)


kinds = st.sampled_from(["application/json", "application/xml", "text/xml", "xml", "application/*", "*/*", "text/html"])
qualities = st.sampled_from(["", ";q=0", ";q=0.1", ";q=0.5", ";q=1", ";q=0.50"])


@given(st.lists(st.tuples(kinds, qualities), min_size=1, max_size=5))
def test_negotiation_picks_an_offered_type_of_the_highest_quality(parts: list[tuple[str, str]]) -> None:
    accept = ", ".join(kind + q for kind, q in parts)
    ranges = media_ranges(accept)
    best = max(quality(ranges, media_type) for media_type in REVEAL)
    try:
        chosen = negotiate(accept, REVEAL)
    except NotAcceptable:
        assert best == 0
        return
    assert quality(ranges, chosen) == best > 0
