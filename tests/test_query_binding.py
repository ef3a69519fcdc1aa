"""Query parameters bound as the real services bind them (issue 17, items 2 and 15).

TachoShare (Java) ignores unknown parameters; Reveal (ASP.NET Web API) also matches names case-insensitively. The
simulator says what it ignored (`Fleetmock-Warning`, the journal's `warnings`); `--strict` keeps the 400.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.queryparams import BindingPolicy, bind
from mockserver.simulator import Simulator
from mockserver.world import World
from tests.conftest import bearer, make_sim, vehicle_by_key
from tests.reveal.reveal_support import LOGBOOK, demo_headers

FILE_ACCEPT = {"Accept": "application/octet-stream, application/json"}


@pytest.fixture(scope="module")
def lenient(world: World) -> Iterator[tuple[Simulator, TestClient]]:
    """The default server (no --strict), as `fleetmock serve` runs it."""
    sim = make_sim(world)
    with TestClient(create_app(sim, strict=False)) as client:
        yield sim, client


def _journal(client: TestClient) -> list[dict[str, Any]]:
    return list(client.get("/_sim/journal").json()["entries"])


@pytest.mark.parametrize(
    "extra", [{"page": "2"}, {"_": "1733430000"}, {"activitydate-from": "2026-01-01"}], ids=["page", "cache", "case"]
)
def test_unknown_tachoshare_parameters_are_ignored_and_reported(
    lenient: tuple[Simulator, TestClient], extra: dict[str, str]
) -> None:
    sim, client = lenient
    sim.reset()
    auth = bearer(client)
    vin = vehicle_by_key(sim, "ok-basic").vin
    plain = client.get(f"/tachoshare/vehicles/{vin}/files", headers={**auth, **FILE_ACCEPT})
    extended = client.get(f"/tachoshare/vehicles/{vin}/files", params=extra, headers={**auth, **FILE_ACCEPT})
    assert extended.status_code == plain.status_code == 200
    assert extended.content == plain.content  # `activitydate-from` (wrong case) did not narrow the range
    (name,) = extra
    expected = f"unknown query parameter '{name}' ignored"
    assert extended.headers["fleetmock-warning"] == expected
    assert "fleetmock-warning" not in plain.headers
    assert _journal(client)[-1]["warnings"] == [expected]
    assert "warnings" not in _journal(client)[-2]


def test_lists_ignore_unknown_parameters_too(lenient: tuple[Simulator, TestClient]) -> None:
    sim, client = lenient
    sim.reset()
    auth = bearer(client)
    response = client.get("/tachoshare/vehicles", params={"page": "2", "size": "10"}, headers=auth)
    assert response.status_code == 200
    assert response.headers.get_list("fleetmock-warning") == [
        "unknown query parameter 'page' ignored",
        "unknown query parameter 'size' ignored",
    ]


def test_strict_keeps_the_400(client: TestClient, auth: dict[str, str]) -> None:
    """The session's app runs with --strict: an unknown parameter is refused, as the spec says."""
    response = client.get("/tachoshare/vehicles", params={"page": "2"}, headers=auth)
    assert response.status_code == 400
    assert "page" in response.json()["description"]


def test_reveal_binds_names_case_insensitively(lenient: tuple[Simulator, TestClient]) -> None:
    sim, client = lenient
    sim.reset()
    headers = demo_headers(client)
    start = (sim.clock.now()).strftime("%Y-%m-%dT00:00:00")
    url = f"{LOGBOOK}/101/statushistory"
    declared = client.get(url, params={"startDateTimeUtc": start}, headers=headers)
    assert declared.status_code == 200, declared.text
    for spelling in ("startdatetimeutc", "STARTDATETIMEUTC", "StartDateTimeUTC"):
        other = client.get(url, params={spelling: start}, headers=headers)
        assert other.status_code == 200, (spelling, other.text)
        assert other.content == declared.content
        assert "fleetmock-warning" not in other.headers
    unknown = client.get(url, params={"startDateTimeUtc": start, "page": "1"}, headers=headers)
    assert unknown.status_code == 200
    assert unknown.headers["fleetmock-warning"] == "unknown query parameter 'page' ignored"


def test_the_reference_s_placeholder_is_a_plain_400(lenient: tuple[Simulator, TestClient]) -> None:
    sim, client = lenient
    sim.reset()
    url = f"{LOGBOOK}/101/statushistory"
    response = client.get(url, params={"startDateTimeUtc": "<0000-00-00T00:00:0000>"}, headers=demo_headers(client))
    assert response.status_code == 400
    message = response.json()["Message"]
    assert "startDateTimeUtc" in message and "<0000-00-00T00:00:0000>" in message
    assert "\\d" not in message and "^" not in message, message  # no JSON-schema regex


names = st.text(st.sampled_from("abcdeABCDE-_"), min_size=1, max_size=8)


@settings(max_examples=200)
@given(declared=st.frozensets(names, max_size=4), sent=st.lists(names, max_size=6), folded=st.booleans())
def test_binding_keeps_declared_names_and_drops_only_what_binds_to_nothing(
    declared: frozenset[str], sent: list[str], folded: bool
) -> None:
    bound = bind(sent, declared, BindingPolicy(case_insensitive=folded))
    for name, target in zip(sent, bound, strict=True):
        if name in declared:
            assert target == name  # an exact name always binds to itself
        elif target is not None:
            assert folded and target in declared and target.lower() == name.lower()
        else:
            assert not folded or name.lower() not in {d.lower() for d in declared}


def test_any_parameter_name_can_be_reported(lenient: tuple[Simulator, TestClient]) -> None:
    """Names outside printable ASCII are escaped in the header (found by the independent Schemathesis run)."""
    sim, client = lenient
    sim.reset()
    response = client.get("/tachoshare/vehicles?%C3%A5%03%F2%BB%A0%AF=1", headers=bearer(client))
    assert response.status_code == 200
    assert response.headers["fleetmock-warning"] == "unknown query parameter '\\xe5\\x03\\U000bb82f' ignored"
    assert _journal(client)[-1]["warnings"] == ["unknown query parameter '\u00e5\x03\U000bb82f' ignored"]
