"""specs/reveal.yaml: the operations of the reference, examples that conform, every error status, links that line
up, and answers of the simulator that conform to the schemas in XML-free JSON form (the strict app checks the
rest)."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from starlette.testclient import TestClient

from tests.reveal.reveal_support import LOGBOOK, demo_headers

SPEC = Path(__file__).resolve().parents[2] / "specs" / "reveal.yaml"
LOGBOOK_OPERATIONS = {"getStatusCurrent", "getStatusHistory", "getRemainingTime"}


@cache
def document() -> dict[str, Any]:
    loaded = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _resolve(ref: str) -> Any:
    node: Any = document()
    for token in ref.removeprefix("#/").split("/"):
        node = node[token]
    return node


def deref(node: Any) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return deref(_resolve(node["$ref"]))
        return {key: deref(value) for key, value in node.items()}
    if isinstance(node, list):
        return [deref(item) for item in node]
    return copy.deepcopy(node)


def operations() -> dict[str, tuple[str, dict[str, Any]]]:
    return {op["operationId"]: (path, op) for path, item in document()["paths"].items() for op in item.values()}


def errors(schema: Any, instance: Any) -> list[str]:
    validator = OAS30Validator(deref(schema), format_checker=oas30_format_checker)
    return [error.message for error in validator.iter_errors(instance)]


def test_the_operations_and_their_security() -> None:
    ops = operations()
    assert set(ops) == {"getToken", *LOGBOOK_OPERATIONS}
    assert ops["getToken"][0] == "/token" and ops["getToken"][1]["security"] == [{"revealBasic": []}]
    for operation_id in LOGBOOK_OPERATIONS:
        path, op = ops[operation_id]
        assert path.startswith("/logbook/v1/driver/{driverNumber}/")
        assert op["security"] == [{"atmosphere": []}]
        assert {"200", "400", "401", "404", "406", "408", "413", "414", "429", "431", "503"} == set(op["responses"])
    schemes = document()["components"]["securitySchemes"]
    assert schemes["atmosphere"] == {**schemes["atmosphere"], "type": "apiKey", "in": "header", "name": "Authorization"}
    assert document()["servers"] == [{"url": "/reveal", "description": document()["servers"][0]["description"]}]


def test_the_400_declares_the_plain_text_invalid_token_body() -> None:
    bad_request = document()["components"]["responses"]["BadRequest"]["content"]
    assert bad_request["text/plain"]["schema"]["enum"] == ["The provided token has an invalid format."]
    assert set(bad_request) == {"text/plain", "application/json", "application/xml"}


def _examples() -> list[tuple[str, Any, Any]]:
    cases = []
    for operation_id, (_, op) in operations().items():
        for status, response in op["responses"].items():
            response = deref(response)
            for media_type, content in response.get("content", {}).items():
                examples = [content["example"]] if "example" in content else []
                examples += [e["value"] for e in content.get("examples", {}).values()]
                for index, example in enumerate(examples):
                    cases.append((f"{operation_id} {status} {media_type} {index}", content["schema"], example))
    return cases


EXAMPLES = _examples()


def test_examples_are_plentiful() -> None:
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize(("where", "schema", "example"), EXAMPLES, ids=[case[0] for case in EXAMPLES])
def test_every_example_conforms(where: str, schema: Any, example: Any) -> None:
    assert errors(schema, example) == [], where


def test_the_schemas_catch_drift() -> None:
    status = {"$ref": "#/components/schemas/LogbookStatus"}
    (example,) = [e for where, _, e in EXAMPLES if where.startswith("getStatusCurrent 200 application/json")]
    assert errors(status, example) == []
    for broken in (
        {**example, "UpdateDateTimeUTC": example["UpdateDatetTimeUTC"]},  # the misspelling is the real name
        {**example, "StatusDateTimeUTC": "2026-11-02T07:40:00Z"},
        {**example, "SubStatus": "30MinBreak"},
        {**example, "DistanceInKm": "3"},
        {key: value for key, value in example.items() if key != "VehicleNumber"},
    ):
        assert errors(status, broken), broken


def test_links_name_existing_operations_and_resolve_in_the_examples() -> None:
    ops = operations()
    checked = 0
    for _operation_id, (_, op) in ops.items():
        for link in op["responses"]["200"].get("links", {}).values():
            assert link["operationId"] in ops
            target_params = {p["name"] for p in deref(ops[link["operationId"]][1].get("parameters", []))}
            required = {
                p["name"] for p in deref(ops[link["operationId"]][1].get("parameters", [])) if p.get("required")
            }
            assert required <= set(link["parameters"]) <= target_params
            content = op["responses"]["200"]["content"]["application/json"]
            example = content.get("example") or next(iter(content["examples"].values()))["value"]
            for expression in link["parameters"].values():
                match = re.fullmatch(r"\$response\.body#/(.*)", expression)
                assert match
                value: Any = example
                for token in match.group(1).split("/"):
                    value = value[int(token)] if isinstance(value, list) else value[token]
                assert isinstance(value, str) and value
                checked += 1
    assert checked == 5


@pytest.mark.parametrize(
    ("url", "schema"),
    [
        (f"{LOGBOOK}/99/statuscurrent", "LogbookStatus"),
        (f"{LOGBOOK}/105/statuscurrent", "LogbookStatus"),
        (f"{LOGBOOK}/101/statushistory?startDateTimeUtc=2026-10-30T00:00:00", "StatusHistory"),
        (f"{LOGBOOK}/102/remainingtime", "RemainingTime"),
    ],
)
def test_simulator_answers_conform(client: TestClient, url: str, schema: str) -> None:
    body = client.get(url, headers=demo_headers(client)).json()
    assert errors({"$ref": f"#/components/schemas/{schema}"}, body) == []
