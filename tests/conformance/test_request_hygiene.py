"""Malformed requests get a clear 4xx, never a 500: one targeted test per class of bad input the fuzzers found.

Each reported server bug of `contract_support.KNOWN_SERVER_BUGS` has its test here, marked strict xfail while
the bug stands (the fuzzers drop exactly the failures it explains). When the fix lands the test passes, the
strict xfail fails the run, and the mark and the registry entry go together.
"""

from __future__ import annotations

import re

import pytest
from contract_documents import HTTP_METHODS, DeclaredOperation, declared_operations, load_spec_file
from starlette.testclient import TestClient

from mockserver.apis import registry
from mockserver.simulator import Simulator

MOUNTS = registry().plugins

OPERATIONS = [
    (api.base_path, operation) for api in MOUNTS for operation in declared_operations(api.name, load_spec_file(api))
]
JSON_BODY_OPERATIONS = [
    pytest.param(base, operation, id=f"{operation.api}-{operation.operation_id}")
    for base, operation in OPERATIONS
    if "application/json" in operation.definition.get("requestBody", {}).get("content", {})
]
PATHS: dict[tuple[str, str, str], set[str]] = {}
for _base, _operation in OPERATIONS:
    PATHS.setdefault((_operation.api, _base, _operation.path), set()).add(_operation.method.upper())


def concrete_path(base: str, template: str) -> str:
    return base + re.sub(r"\{\w+\}", "x", template)


def test_json_body_operations_exist() -> None:
    assert JSON_BODY_OPERATIONS, "no mounted operation takes a JSON body; the test below would check nothing"


@pytest.mark.parametrize(("base", "operation"), JSON_BODY_OPERATIONS)
def test_a_json_body_that_is_not_utf8_is_a_400(
    base: str, operation: DeclaredOperation, client: TestClient, sim: Simulator
) -> None:
    response = client.request(
        operation.method.upper(),
        concrete_path(base, operation.path),
        content=b'{"now": "\xff\xfe"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert "400" in operation.statuses, f"{operation.label} answers 400 but does not declare it"


@pytest.mark.parametrize(
    ("base", "template", "declared"),
    [pytest.param(base, path, methods, id=f"{api}-{path}") for (api, base, path), methods in sorted(PATHS.items())],
)
def test_an_undeclared_method_is_a_405_listing_the_declared_ones(
    base: str, template: str, declared: set[str], client: TestClient, sim: Simulator
) -> None:
    method = next(m.upper() for m in HTTP_METHODS if m.upper() not in declared and m not in ("head", "options"))
    response = client.request(method, concrete_path(base, template))
    assert response.status_code == 405, response.text
    allowed = {m.strip().upper() for m in response.headers.get("Allow", "").split(",") if m.strip()}
    assert declared <= allowed, f"Allow: {response.headers.get('Allow')!r}, declared: {sorted(declared)}"
