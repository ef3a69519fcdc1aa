"""Checks on the hand-written OpenAPI documents under `specs/`.

Every document must be valid OpenAPI. For `tachoshare.yaml` the checks go further, because
Schemathesis, Connexion and partners running the document against the real API rely on it: the eight
operations of the vendor reference with their exact parameters, examples that conform to their own schemas,
the shared error body on every error status, and `links` whose targets, parameters and extracted values line
up so stateful runs can chain calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_openapi_document

from tests.conformance.contract_documents import HTTP_METHODS, JsonObject, deref, resolve_pointer

SPECS_DIR = Path(__file__).resolve().parents[2] / "specs"
TACHOSHARE = SPECS_DIR / "tachoshare.yaml"
ERROR_SCHEMA_REF = "#/components/schemas/Error"


# ----------------------------------------------------------------------------------------------------
# Helpers


@dataclass(frozen=True)
class Operation:
    """One operation of a document, with its `$ref`s left in place (so tests can see what is referenced)."""

    path: str
    method: str
    definition: JsonObject

    @property
    def operation_id(self) -> str:
        return str(self.definition["operationId"])


def load_document(path: Path) -> JsonObject:
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert isinstance(document, dict), f"{path.name} is not a YAML mapping"
    return document


@cache
def tachoshare_document() -> JsonObject:
    return load_document(TACHOSHARE)


def operations(document: JsonObject) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield Operation(path, method, item[method])


def operations_by_id(document: JsonObject) -> dict[str, Operation]:
    return {operation.operation_id: operation for operation in operations(document)}


def operation_parameters(document: JsonObject, operation: Operation) -> list[JsonObject]:
    path_level = document["paths"][operation.path].get("parameters", [])
    return [deref(document, parameter) for parameter in [*path_level, *operation.definition.get("parameters", [])]]


def responses(document: JsonObject) -> Iterator[tuple[Operation, str, JsonObject]]:
    """Every (operation, status, response) with the response object itself dereferenced one level."""
    for operation in operations(document):
        for status, response in operation.definition["responses"].items():
            resolved = resolve_pointer(document, response["$ref"]) if "$ref" in response else response
            yield operation, str(status), resolved


def validation_errors(document: JsonObject, schema: JsonObject, instance: Any) -> list[str]:
    validator = OAS30Validator(deref(document, schema), format_checker=oas30_format_checker)
    return [error.message for error in validator.iter_errors(instance)]


def media_type_examples(media_type: JsonObject) -> list[Any]:
    examples = [media_type["example"]] if "example" in media_type else []
    examples += [example["value"] for example in media_type.get("examples", {}).values()]
    return examples


def walk(node: Any, trail: str = "#") -> Iterator[tuple[str, Any]]:
    yield trail, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, f"{trail}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{trail}/{index}")


def schema_at_pointer(schema: JsonObject, pointer: str) -> JsonObject:
    """The sub-schema describing the value a JSON pointer selects in instances of `schema` (dereferenced)."""
    node = schema
    for token in [token for token in pointer.split("/") if token]:
        if node.get("type") == "array":
            assert token.isdigit(), f"array step {token!r} in {pointer}"
            node = node["items"]
        else:
            node = node["properties"][token]
    while "allOf" in node and len(node["allOf"]) == 1:
        node = node["allOf"][0]
    return node


def json_pointer_value(instance: Any, pointer: str) -> Any:
    for token in [token for token in pointer.split("/") if token]:
        instance = instance[int(token)] if isinstance(instance, list) else instance[token]
    return instance


def vin_check_digit_is_valid(vin: str) -> bool:
    """ISO 3779 / FMVSS 115 check digit at position 9: weighted transliteration sum modulo 11, 10 is X."""
    transliteration = {str(digit): digit for digit in range(10)}
    transliteration.update(zip("ABCDEFGH", range(1, 9), strict=True))
    transliteration.update(zip("JKLMN", range(1, 6), strict=True))
    transliteration.update({"P": 7, "R": 9})
    transliteration.update(zip("STUVWXYZ", range(2, 10), strict=True))
    weights = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
    remainder = sum(transliteration[char] * weight for char, weight in zip(vin, weights, strict=True)) % 11
    return vin[8] == ("X" if remainder == 10 else str(remainder))


# ----------------------------------------------------------------------------------------------------
# Every document


SPEC_FILES = sorted(SPECS_DIR.glob("*.yaml"))


def test_the_tachoshare_document_is_among_the_specs() -> None:
    assert TACHOSHARE in SPEC_FILES


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=[path.name for path in SPEC_FILES])
def test_spec_document_is_valid_openapi(spec_file: Path) -> None:
    validate_openapi_document(load_document(spec_file))


# ----------------------------------------------------------------------------------------------------
# tachoshare.yaml: operations and parameters

EXPECTED_OPERATIONS = {
    "listVehicles": ("get", "/vehicles"),
    "getVehicle": ("get", "/vehicles/{vin}"),
    "getVehicleFiles": ("get", "/vehicles/{vin}/files"),
    "requestVehicleRdl": ("post", "/vehicles/{vin}/rdl"),
    "listDrivers": ("get", "/drivers"),
    "getDriverFiles": ("get", "/drivers/{cardNumber}/files"),
    "listCompanyCards": ("get", "/companyCards"),
    "listCompanyCardGroups": ("get", "/companyCardGroups"),
}

# (location, name, required) as in the vendor reference and api-context.md.
EXPECTED_PARAMETERS = {
    "listVehicles": set(),
    "getVehicle": {("path", "vin", True)},
    "getVehicleFiles": {
        ("path", "vin", True),
        ("query", "activityDate-from", False),
        ("query", "activityDate-to", False),
        ("query", "format", False),
    },
    "requestVehicleRdl": {("path", "vin", True)},
    "listDrivers": set(),
    "getDriverFiles": {
        ("path", "cardNumber", True),
        ("query", "countryCode", True),
        ("query", "downloadDate-from", False),
        ("query", "downloadDate-to", False),
        ("query", "format", False),
    },
    "listCompanyCards": set(),
    "listCompanyCardGroups": set(),
}


def test_document_header_and_server() -> None:
    document = tachoshare_document()
    assert document["openapi"] == "3.0.3"
    assert document["info"]["title"] == "Webfleet TachoShare.connect (simulated by fleetmock)"
    assert document["info"]["version"] == "2.19.0"
    assert [server["url"] for server in document["servers"]] == ["/tachoshare"]


def test_every_operation_has_an_operation_id_summary_and_description() -> None:
    for operation in operations(tachoshare_document()):
        for key in ("operationId", "summary", "description"):
            assert operation.definition.get(key), f"{operation.method} {operation.path} lacks {key}"


def test_the_eight_reference_operations_are_declared_with_their_paths() -> None:
    declared = {op.operation_id: (op.method, op.path) for op in operations(tachoshare_document())}
    assert declared == EXPECTED_OPERATIONS


@pytest.mark.parametrize("operation_id", sorted(EXPECTED_PARAMETERS))
def test_operation_parameters_match_the_reference(operation_id: str) -> None:
    document = tachoshare_document()
    operation = operations_by_id(document)[operation_id]
    declared = {
        (parameter["in"], parameter["name"], bool(parameter.get("required", False)))
        for parameter in operation_parameters(document, operation)
    }
    assert declared == EXPECTED_PARAMETERS[operation_id]


def test_path_vin_and_vehicle_vin_are_the_reference_s_plain_string() -> None:
    """The reference types `vin` as a string and its own examples break ISO 3779 (issue 17, item 1)."""
    document = tachoshare_document()
    vehicle_vin = deref(document, deref(document, document["components"]["schemas"]["Vehicle"])["properties"]["vin"])
    assert vehicle_vin["type"] == "string"
    assert not {"pattern", "minLength", "maxLength"} & vehicle_vin.keys()
    for operation_id in ("getVehicle", "getVehicleFiles", "requestVehicleRdl"):
        parameters = operation_parameters(document, operations_by_id(document)[operation_id])
        (vin,) = [parameter for parameter in parameters if parameter["name"] == "vin"]
        assert vin["in"] == "path"
        assert deref(document, vin["schema"]) == vehicle_vin


# ----------------------------------------------------------------------------------------------------
# tachoshare.yaml: responses and examples


def test_every_response_with_a_body_has_an_example() -> None:
    """Binary bodies cannot carry a meaningful YAML example, so their headers must show one instead."""
    document = tachoshare_document()
    for operation, status, response in responses(document):
        where = f"{operation.operation_id} {status}"
        for media_type_name, media_type in response.get("content", {}).items():
            schema = deref(document, media_type.get("schema", {}))
            if schema.get("format") == "binary":
                assert media_type_name == "application/octet-stream", where
                assert response.get("headers"), f"{where}: a binary answer must declare its headers"
                for header in response["headers"].values():
                    assert "example" in deref(document, header), where
                continue
            assert media_type_examples(media_type) or "example" in schema, f"{where} has no example"


def example_cases() -> Iterator[tuple[str, JsonObject, Any]]:
    """(where, schema, example) for every example the document gives, wherever it is written."""
    document = tachoshare_document()
    for operation, status, response in responses(document):
        for media_type_name, media_type in response.get("content", {}).items():
            for index, example in enumerate(media_type_examples(media_type)):
                where = f"{operation.operation_id} {status} {media_type_name} example {index}"
                yield where, media_type["schema"], example
        for header_name, header in response.get("headers", {}).items():
            header = deref(document, header)
            yield (
                f"{operation.operation_id} {status} header {header_name}",
                header["schema"],
                header["example"],
            )
    for operation in operations(document):
        for parameter in operation_parameters(document, operation):
            if "example" in parameter:
                where = f"{operation.operation_id} parameter {parameter['name']}"
                yield where, parameter["schema"], parameter["example"]
    for where, node in walk(document["components"]["schemas"], "#/components/schemas"):
        if isinstance(node, dict) and "example" in node and isinstance(node.get("type"), str):
            yield where, node, node["example"]


@pytest.mark.parametrize(("where", "schema", "example"), [pytest.param(*case, id=case[0]) for case in example_cases()])
def test_example_conforms_to_its_schema(where: str, schema: JsonObject, example: Any) -> None:
    assert validation_errors(tachoshare_document(), schema, example) == [], where


def test_examples_are_checked_at_all() -> None:
    """Guards the parametrised test above against silently collecting nothing."""
    wheres = [where for where, _, _ in example_cases()]
    assert len(wheres) >= 30
    assert any("listVehicles 200" in where for where in wheres)
    assert any("requestVehicleRdl 409" in where for where in wheres)


def test_examples_really_are_validated() -> None:
    """A broken example must be caught, or the conformance test above would prove nothing."""
    document = tachoshare_document()
    vehicle = {"$ref": "#/components/schemas/Vehicle"}
    good = {"vin": "WDB9634041L738190", "rdlStatus": "OK", "manualAttemptsRemaining": 0, "vehicleId": "1"}
    assert validation_errors(document, vehicle, good) == []
    for broken in (
        {**good, "licensePlate": None},
        {**good, "vin": 17},
        {**good, "rdlStatus": "PENDING"},
        {**good, "lastRdlAttempt": "2026-05-10T06:12:41+00:00"},
        {**good, "lastActivityDate": "2026-02-30"},
        {**good, "manualAttemptsRemaining": -1},
        {**good, "surprise": 1},
    ):
        assert validation_errors(document, vehicle, broken), broken


def test_every_example_vin_has_a_valid_check_digit() -> None:
    document = tachoshare_document()
    vins = {node["vin"] for _, node in walk(document) if isinstance(node, dict) and isinstance(node.get("vin"), str)}
    vins |= {node["example"] for _, node in walk(document) if isinstance(node, dict) and node.get("name") == "vin"}
    vins.add(document["components"]["schemas"]["Vin"]["example"])
    assert len(vins) >= 3
    for vin in vins:
        assert vin_check_digit_is_valid(vin), vin


def test_the_check_digit_rule_rejects_a_changed_digit() -> None:
    assert vin_check_digit_is_valid("2GTEK13Z171168244")
    assert not vin_check_digit_is_valid("2GTEK13Z271168244")


# ----------------------------------------------------------------------------------------------------
# tachoshare.yaml: errors and security


def test_error_schema_is_the_closed_reference_shape() -> None:
    error = tachoshare_document()["components"]["schemas"]["Error"]
    assert error["type"] == "object"
    assert set(error["required"]) == {"description", "url", "traceId"}
    assert error["additionalProperties"] is False
    assert {name: prop["type"] for name, prop in error["properties"].items()} == {
        "description": "string",
        "url": "string",
        "traceId": "string",
    }


def test_every_error_status_answers_the_error_body_as_json() -> None:
    for operation, status, response in responses(tachoshare_document()):
        if status.startswith(("4", "5")):
            content = response.get("content", {})
            assert list(content) == ["application/json"], f"{operation.operation_id} {status}"
            assert content["application/json"]["schema"] == {"$ref": ERROR_SCHEMA_REF}


def test_declared_statuses_per_operation() -> None:
    """401, 403, 406 and 429 everywhere, and the guard's 408, 413, 414, 431; 404 where a resource is addressed;
    409 only on RDL; of the 5xx only the store watchdog's 503."""
    for operation in operations(tachoshare_document()):
        statuses = set(operation.definition["responses"])
        operation_id = operation.operation_id
        assert {"400", "401", "403", "406"} <= statuses, operation_id
        assert ("404" in statuses) == ("{" in operation.path), operation_id
        assert ("409" in statuses) == (operation_id == "requestVehicleRdl"), operation_id
        assert ("204" in statuses) == operation_id.endswith("Files"), operation_id
        assert {"408", "413", "414", "429", "431"} <= statuses, operation_id
        assert {status for status in statuses if status.startswith("5")} == {"503"}, operation_id


def test_file_routes_declare_their_binary_answer_and_the_generation_split() -> None:
    """The files answer octet-stream with a Content-Disposition, 204 without data, and name the split in 400s."""
    document = tachoshare_document()
    for operation_id, parameter in (("getVehicleFiles", "activityDate"), ("getDriverFiles", "downloadDate")):
        responses_ = operations_by_id(document)[operation_id].definition["responses"]
        assert list(responses_["200"]["content"]) == ["application/octet-stream"]
        assert "Content-Disposition" in responses_["200"]["headers"]
        assert "content" not in responses_["204"]
        examples = deref(document, responses_["400"])["content"]["application/json"]["examples"]
        split = examples["generationChange"]["value"]["description"]
        assert split.startswith("A different tachograph generation was detected on ")
        assert f"the first one using this date in the {parameter}-to and the second one using this date in " in split


def test_auth_failures_declare_the_bearer_challenge() -> None:
    document = tachoshare_document()
    for status, error_code, required in (
        ("Unauthorized", "invalid_token", True),
        ("Forbidden", "insufficient_scope", False),
    ):
        header = deref(document, document["components"]["responses"][status]["headers"]["WWW-Authenticate"])
        assert header["required"] is required
        assert f'error="{error_code}"' in header["example"]
        assert re.fullmatch(header["schema"]["pattern"], header["example"])


def test_oauth2_authorization_code_scheme_guards_every_operation() -> None:
    document = tachoshare_document()
    scheme = document["components"]["securitySchemes"]["webfleetOAuth"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-tokenInfoFunc"] == "mockserver.oauth.tokeninfo.token_info"
    assert scheme["flows"] == {
        "authorizationCode": {
            "authorizationUrl": "/webfleet-auth/uaa/oauth/authorize",
            "tokenUrl": "/webfleet-auth/uaa/oauth/token",
            "refreshUrl": "/webfleet-auth/uaa/oauth/token",
            "scopes": {"tachoshare": "Read TachoShare data and request remote downloads"},
        }
    }
    assert document["security"] == [{"webfleetOAuth": ["tachoshare"]}]
    for operation in operations(document):
        assert "security" not in operation.definition, f"{operation.operation_id} overrides the global security"


def test_object_schemas_are_closed_and_nothing_is_nullable() -> None:
    """Drift in production must show up as a violation, and optional fields are absent, never null."""
    document = tachoshare_document()
    for where, node in walk(document):
        if isinstance(node, dict):
            assert "nullable" not in node, where
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where


# ----------------------------------------------------------------------------------------------------
# tachoshare.yaml: links

EXPECTED_LINKS = {
    ("listVehicles", "getVehicle"): {"path.vin": "$response.body#/items/0/vin"},
    ("listVehicles", "getVehicleFiles"): {"path.vin": "$response.body#/items/0/vin"},
    ("listVehicles", "requestVehicleRdl"): {"path.vin": "$response.body#/items/0/vin"},
    ("getVehicle", "getVehicleFiles"): {"path.vin": "$response.body#/items/0/vin"},
    ("getVehicle", "requestVehicleRdl"): {"path.vin": "$response.body#/items/0/vin"},
    ("requestVehicleRdl", "getVehicle"): {"path.vin": "$response.body#/vin"},
    ("listDrivers", "getDriverFiles"): {
        "path.cardNumber": "$response.body#/items/0/cardNumber",
        "query.countryCode": "$response.body#/items/0/countryCode",
    },
}


@dataclass(frozen=True)
class LinkParameter:
    source: Operation
    source_status: str
    target: Operation
    location: str | None
    name: str
    expression: str


def links() -> Iterator[tuple[Operation, str, str, JsonObject]]:
    for operation, status, response in responses(tachoshare_document()):
        for link_name, link in response.get("links", {}).items():
            yield operation, status, link_name, link


def link_parameters() -> Iterator[LinkParameter]:
    by_id = operations_by_id(tachoshare_document())
    for source, status, _, link in links():
        for key, expression in link.get("parameters", {}).items():
            location, _, name = key.rpartition(".")
            yield LinkParameter(source, status, by_id[link["operationId"]], location or None, name, expression)


def target_parameter(link_parameter: LinkParameter) -> JsonObject:
    candidates = [
        parameter
        for parameter in operation_parameters(tachoshare_document(), link_parameter.target)
        if parameter["name"] == link_parameter.name and link_parameter.location in (None, parameter["in"])
    ]
    assert len(candidates) == 1, f"{link_parameter} names no single parameter of the target"
    return candidates[0]


def test_the_specified_links_are_declared() -> None:
    declared = {
        (source.operation_id, link["operationId"]): link.get("parameters", {}) for source, _, _, link in links()
    }
    assert declared == EXPECTED_LINKS


def test_links_start_from_a_success_and_target_existing_operations() -> None:
    by_id = operations_by_id(tachoshare_document())
    for source, status, name, link in links():
        assert status == "200", f"{source.operation_id} link {name}"
        assert "operationRef" not in link
        assert link["operationId"] in by_id, f"{source.operation_id} link {name}"


def test_links_supply_every_required_parameter_of_their_target() -> None:
    document = tachoshare_document()
    by_id = operations_by_id(document)
    for source, _, name, link in links():
        supplied = {key.rpartition(".")[2] for key in link.get("parameters", {})}
        target = by_id[link["operationId"]]
        required = {p["name"] for p in operation_parameters(document, target) if p.get("required")}
        assert required <= supplied, f"{source.operation_id} link {name} misses {required - supplied}"


def test_link_expressions_resolve_in_the_source_example_to_acceptable_values() -> None:
    """Following each link from the documented example yields a value the target parameter accepts."""
    document = tachoshare_document()
    checked = 0
    for link_parameter in link_parameters():
        target_parameter(link_parameter)  # resolves to exactly one parameter
        match = re.fullmatch(r"\$response\.body#(/.*)", link_parameter.expression)
        assert match, link_parameter.expression
        response = document["paths"][link_parameter.source.path][link_parameter.source.method]["responses"]
        media_type = response[link_parameter.source_status]["content"]["application/json"]
        value = json_pointer_value(media_type["example"], match.group(1))
        assert validation_errors(document, target_parameter(link_parameter)["schema"], value) == []
        checked += 1
    assert checked == 8


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_value_a_link_can_carry_is_accepted_by_its_target(data: st.DataObject) -> None:
    """Any value the source field allows passes the target parameter's schema, not just the example."""
    document = tachoshare_document()
    link_parameter = data.draw(st.sampled_from(list(link_parameters())))
    response = document["paths"][link_parameter.source.path][link_parameter.source.method]["responses"]
    schema = deref(document, response[link_parameter.source_status]["content"]["application/json"]["schema"])
    pointer = link_parameter.expression.split("#", 1)[1]
    field_schema = schema_at_pointer(schema, pointer)
    target = deref(document, target_parameter(link_parameter)["schema"])
    if "pattern" not in field_schema:  # an unconstrained string may only go where any string is accepted
        assert not {"pattern", "minLength", "maxLength", "enum", "format"} & target.keys(), link_parameter.name
        return
    value = data.draw(st.from_regex(field_schema["pattern"], fullmatch=True))
    assume(validation_errors(document, field_schema, value) == [])  # only values the field itself allows
    assert validation_errors(document, target_parameter(link_parameter)["schema"], value) == []
