"""The same contract against a real server on loopback (uvicorn, real HTTP, strict mode), with fewer examples.

The specs are loaded from the hand-written files under `specs/` (the ASGI suite loads what the app serves, so
between them both the files and the served documents are proven), and every case is sent to the live server,
which the `live` fixture resets before each test. Tokens are minted through the live server's control plane.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
import schemathesis
from contract_credentials import LiveGateway, with_fresh_credentials
from contract_documents import load_spec_file
from contract_support import Budget, contract_config, prepare_schema
from schemathesis.generation.case import Case
from schemathesis.schemas import BaseSchema

from mockserver.apis import ApiPlugin as ApiMount
from mockserver.apis import registry

MOUNTS = registry().plugins

pytestmark = pytest.mark.live

LIVE_BUDGET = Budget(max_examples=10, mode="all")


GATEWAY = LiveGateway()


def file_schema(api: ApiMount) -> BaseSchema:
    document = load_spec_file(api)
    schema = schemathesis.openapi.from_dict(document, config=contract_config(document, LIVE_BUDGET))
    return prepare_schema(schema, document)


SCHEMAS = {api.name: file_schema(api) for api in MOUNTS}


@pytest.fixture(autouse=True)
def _bind_live_server(live: Any) -> None:
    GATEWAY.base_url = str(live.base_url)


@schemathesis.pytest.parametrize(**SCHEMAS)
def test_cases_conform_over_http(case: Case) -> None:
    base_path = case.operation.schema.declared_base_path().rstrip("/")  # the document's `servers` URL
    with_fresh_credentials(case, GATEWAY).call_and_validate(base_url=GATEWAY.url(base_path))


def test_the_live_server_serves_the_files_it_was_built_from() -> None:
    """The documents tested here are the ones the server publishes (same operations, same statuses)."""
    for api in MOUNTS:
        served = requests.get(GATEWAY.url(f"{api.base_path}/openapi.json"), timeout=10).json()
        written = load_spec_file(api)
        assert served["paths"].keys() == written["paths"].keys(), api.name
        for path, item in written["paths"].items():
            for method, operation in item.items():
                if isinstance(operation, dict) and "responses" in operation:
                    assert served["paths"][path][method]["responses"].keys() == operation["responses"].keys()
