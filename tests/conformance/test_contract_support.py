"""The contract suites' own machinery: credentials for every scheme, the 501 tolerance, the known-bug filter."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from contract_credentials import (
    CREDENTIALS,
    PLACEHOLDER_PREFIX,
    Answer,
    InProcessGateway,
    MintedHeader,
    chosen_scheme,
)
from contract_documents import (
    DeclaredOperation,
    declared_operations,
    load_spec_file,
    security_requirements,
    security_scheme_names,
)
from contract_support import NON_UTF8_JSON_BODY, Budget, contract_config, not_implemented_operations
from schemathesis.core.transport import Response
from starlette.testclient import TestClient

from mockserver.apis import registry
from mockserver.simulator import Simulator

MOUNTS = registry().plugins

DOCUMENTS = {api.name: load_spec_file(api) for api in MOUNTS}


@pytest.mark.parametrize("api", sorted(DOCUMENTS))
def test_every_security_scheme_has_registered_credentials(api: str) -> None:
    missing = security_scheme_names(DOCUMENTS[api]) - set(CREDENTIALS)
    assert not missing, f"{api}: add credentials for {sorted(missing)} to contract_credentials.CREDENTIALS"


@pytest.mark.parametrize("api", sorted(DOCUMENTS))
def test_every_operation_that_needs_credentials_gets_them(api: str) -> None:
    document = DOCUMENTS[api]
    for operation in declared_operations(api, document):
        requirements = security_requirements(document, operation.definition)
        if requirements and {} not in requirements:
            assert chosen_scheme(document, operation.definition) is not None, operation.label


def test_an_anonymous_first_alternative_means_no_credentials() -> None:
    document: dict[str, Any] = {"components": {"securitySchemes": {"clientBasic": {"type": "http"}}}}
    assert chosen_scheme(document, {"security": [{}, {"clientBasic": []}]}) is None
    assert chosen_scheme(document, {"security": [{"clientBasic": []}, {}]}) == "clientBasic"


def _probe_path(base: str, operation: DeclaredOperation) -> str | None:
    """The operation's path with each path parameter's spec example; None if it needs more (query, body)."""
    parameters = operation.definition.get("parameters", [])
    if operation.method != "get" or any(p["in"] != "path" and p.get("required") for p in parameters):
        return None
    path = operation.path
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(parameter.get("example", "x")))
    return base + path


@pytest.mark.parametrize("scheme", sorted(name for name, c in CREDENTIALS.items() if isinstance(c, MintedHeader)))
def test_minted_credentials_are_accepted(scheme: str, client: TestClient, sim: Simulator) -> None:
    """A minted credential really authenticates; otherwise the fuzzers would only ever explore the 401 path."""
    minted = CREDENTIALS[scheme]
    assert isinstance(minted, MintedHeader)
    value = minted.mint(InProcessGateway(client))
    assert not value.startswith(PLACEHOLDER_PREFIX)
    probed = []
    for api in MOUNTS:
        document = DOCUMENTS[api.name]
        for operation in declared_operations(api.name, document):
            path = _probe_path(api.base_path, operation)
            if chosen_scheme(document, operation.definition) == scheme and path is not None:
                response = client.get(path, headers={minted.header: value})
                # 400 would be Reveal's answer to a bad token; with spec examples nothing else is malformed.
                assert response.status_code not in (400, 401, 403), f"{operation.label}: {response.text}"
                probed.append(operation.label)
    assert probed, f"no operation guarded by {scheme} could be probed"


def test_the_in_process_gateway_reports_status_and_body(client: TestClient, sim: Simulator) -> None:
    answer: Answer = InProcessGateway(client).request("GET", "/_sim/health")
    assert answer.status == 200
    assert answer.json()["status"] == "ok"


def test_501_is_tolerated_only_where_declared() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/a": {"get": {"operationId": "a", "responses": {"200": {}, "501": {}}}},
            "/b": {"get": {"operationId": "b", "responses": {"200": {}}}},
        }
    }
    assert not_implemented_operations(document) == ["a"]
    project = contract_config(document, Budget(1, "positive")).projects.get_default()
    [tolerance] = project.operations.operations
    assert tolerance.checks.not_a_server_error.expected_statuses == ["2xx", "3xx", "4xx", "501", "503"]
    without = contract_config({"paths": {"/b": document["paths"]["/b"]}}, Budget(1, "positive"))
    assert without.projects.get_default().operations.operations == []


def _response(status: int, body: bytes, content_type: str) -> Response:
    request = SimpleNamespace(body=body, headers={"Content-Type": content_type})
    return cast(Response, SimpleNamespace(status_code=status, request=request))


@pytest.mark.parametrize(
    ("status", "body", "content_type", "explained"),
    [
        (500, b'{"x": "\xff"}', "application/json", True),
        (500, b'{"x": "ok"}', "application/json", False),  # a UTF-8 body: another bug, keep the failure
        (400, b'{"x": "\xff"}', "application/json", False),  # answered correctly
        (500, b"\xff", "application/x-www-form-urlencoded", False),  # not a JSON body
    ],
)
def test_the_known_bug_filter_drops_only_what_the_bug_explains(
    status: int, body: bytes, content_type: str, explained: bool
) -> None:
    assert NON_UTF8_JSON_BODY.explains(_response(status, body, content_type)) is explained
