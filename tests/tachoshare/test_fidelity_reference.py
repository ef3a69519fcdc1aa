"""The reference's own examples and words against the simulator (issue 17, items 1, 3, 5, 7, 10, 11).

Each test sends what the TachoShare reference shows (its example VINs, empty dates, its error texts) and checks the
simulator answers what the reference says, not what an earlier, stricter guess said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from mockserver.simulator import Simulator
from mockserver.tachoshare import errors
from tests.conftest import bearer, vehicle_by_key

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "specs" / "tachoshare.yaml").read_text())
FILE_ACCEPT = {"Accept": "application/octet-stream, application/json"}


def _items(client: TestClient, path: str, auth: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(f"/tachoshare{path}", headers=auth)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


# -- item 1: a VIN is a plain string ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "vin",
    ["ABCDEFGH0123456789", "HIJKLMN9876543210", "OPQRSTU0987612345", "ABCDEFG0123456789", "wdb9634041l738190", "x"],
)
def test_the_reference_s_example_vins_are_404_with_the_documented_text(
    client: TestClient, auth: dict[str, str], vin: str
) -> None:
    routes = (("GET", f"/vehicles/{vin}"), ("GET", f"/vehicles/{vin}/files"), ("POST", f"/vehicles/{vin}/rdl"))
    for method, path in routes:
        response = client.request(method, f"/tachoshare{path}", headers={**auth, **FILE_ACCEPT})
        assert response.status_code == 404, (path, response.text)
        assert response.json()["description"] == errors.NOT_FOUND


def test_a_world_vin_in_lowercase_is_not_that_vehicle(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    vin = vehicle_by_key(sim, "ok-basic").vin
    assert client.get(f"/tachoshare/vehicles/{vin}", headers=auth).status_code == 200
    assert client.get(f"/tachoshare/vehicles/{vin.lower()}", headers=auth).status_code == 404


# -- item 3: an empty date is an absent date, and the spec says so ---------------------------------------------


def test_empty_dates_are_the_default_range(client: TestClient, sim: Simulator, auth: dict[str, str]) -> None:
    vin = vehicle_by_key(sim, "ok-basic").vin
    path = f"/tachoshare/vehicles/{vin}/files"
    plain = client.get(path, headers={**auth, **FILE_ACCEPT})
    empty = client.get(path, params={"activityDate-from": "", "activityDate-to": ""}, headers={**auth, **FILE_ACCEPT})
    assert plain.status_code == empty.status_code == 200
    assert plain.content == empty.content


def test_the_spec_allows_the_empty_dates_the_server_accepts() -> None:
    for name in ("ActivityDateFrom", "ActivityDateTo", "DownloadDateFrom", "DownloadDateTo"):
        parameter = SPEC["components"]["parameters"][name]
        assert parameter["allowEmptyValue"] is True, name
        schema = SPEC["components"]["schemas"][parameter["schema"]["$ref"].rsplit("/", 1)[1]]
        assert {"maxLength": 0} in schema["anyOf"] and {"format": "date"} in schema["anyOf"], name


# -- item 5: a company card pending insertion looks like the reference's example ---------------------------------


def test_a_pending_card_keeps_its_insertion_date_and_has_no_group(client: TestClient, auth: dict[str, str]) -> None:
    pending = [c for c in _items(client, "/companyCards", auth) if c["status"] == "PENDING_INSERTION"]
    assert pending
    for card in pending:
        assert "insertionDate" in card and "companyCardGroup" not in card, card
    required = SPEC["components"]["schemas"]["CompanyCard"]["required"]
    assert "companyCardGroup" not in required


# -- item 7: the reference's texts, word for word --------------------------------------------------------------


def test_errors_carry_the_reference_s_descriptions(client: TestClient, auth: dict[str, str]) -> None:
    cases = {
        errors.UNAUTHORIZED: client.get("/tachoshare/vehicles"),
        errors.FORBIDDEN: client.get("/tachoshare/vehicles", headers=bearer(client, scopes=[])),
        errors.NOT_FOUND: client.get("/tachoshare/vehicles/ABCDEFGH0123456789", headers=auth),
        errors.NOT_ACCEPTABLE: client.get("/tachoshare/vehicles", headers={**auth, "Accept": "text/html"}),
    }
    assert errors.UNAUTHORIZED.startswith("The access token used is not valid anymore. It needs to be refreshed")
    for text, response in cases.items():
        assert response.json()["description"] == text, response.text


@pytest.mark.parametrize(
    "params",
    [
        {"activityDate-from": "01.04.2026"},
        {"activityDate-from": "2023-01-01", "activityDate-to": "2026-01-01"},
        {"activityDate-from": "2026-05-01", "activityDate-to": "2026-04-01"},
        {"format": "ddd"},  # the reference lists DDD, V1B_V1C and TGD: enum values are matched exactly
    ],
)
def test_every_400_starts_with_the_reference_s_message(
    client: TestClient, sim: Simulator, auth: dict[str, str], params: dict[str, str]
) -> None:
    vin = vehicle_by_key(sim, "ok-basic").vin
    response = client.get(f"/tachoshare/vehicles/{vin}/files", params=params, headers={**auth, **FILE_ACCEPT})
    assert response.status_code == 400
    assert response.json()["description"].startswith(errors.BAD_REQUEST + ": "), response.text


def _component_examples(name: str) -> list[str]:
    content = SPEC["components"]["responses"][name]["content"]["application/json"]
    examples = [content["example"]] if "example" in content else [e["value"] for e in content["examples"].values()]
    return [example["description"] for example in examples]


def test_the_spec_s_error_examples_are_the_texts_the_server_sends() -> None:
    assert _component_examples("Unauthorized") == [errors.UNAUTHORIZED]
    assert _component_examples("Forbidden") == [errors.FORBIDDEN]
    assert _component_examples("NotFound") == [errors.NOT_FOUND]
    assert _component_examples("NotAcceptable") == [errors.NOT_ACCEPTABLE]
    assert _component_examples("TooManyRequests") == [errors.TOO_MANY_REQUESTS]
    for name in ("BadRequest", "VehicleFilesBadRequest", "DriverFilesBadRequest"):
        for description in _component_examples(name):
            assert description.startswith((errors.BAD_REQUEST + ": ", "A different tachograph generation")), name


def test_the_readme_lists_every_text_beside_its_status() -> None:
    readme = (ROOT / "README.md").read_text()
    texts = {
        400: errors.BAD_REQUEST,
        401: errors.UNAUTHORIZED,
        403: errors.FORBIDDEN,
        404: errors.NOT_FOUND,
        406: errors.NOT_ACCEPTABLE,
        429: errors.TOO_MANY_REQUESTS,
    }
    section = readme.split("### Beside the reference's words", 1)[1].split("\n### ", 1)[0]
    rows = {line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| 4")}
    for status, text in texts.items():
        assert text in rows[str(status)], (status, text)  # in its status's row of the table


# -- items 10 and 11: no invented level, no project history in the user documentation ------------------------


def test_health_levels_are_the_reference_s_two(client: TestClient, auth: dict[str, str]) -> None:
    levels = {v["rdlHealthStatus"]["level"] for v in _items(client, "/vehicles", auth) if "rdlHealthStatus" in v}
    assert levels == {"INFO", "ALERT"}
    assert SPEC["components"]["schemas"]["RdlHealthStatus"]["properties"]["level"]["enum"] == ["INFO", "ALERT"]


@pytest.mark.parametrize("spec", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.name)
def test_specs_tell_no_project_history(spec: Path) -> None:
    text = spec.read_text().lower()
    for phrase in ("not yet declared", "later issue", "arrives with", "issue "):
        assert phrase not in text, (spec.name, phrase)
