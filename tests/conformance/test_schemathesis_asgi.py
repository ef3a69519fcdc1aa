"""Schemathesis over every operation of every mounted spec, in process (ASGI).

The app under test runs with `strict=False`, as in production: the server does not validate its own responses,
so every conformance failure is Schemathesis's finding, with the real response in the report. Each spec is
loaded from what the app serves at `<base>/openapi.json`. Positive and negative generation run as separate tests
so a report says which kind of input broke the contract; TachoShare's links also get a stateful run.
Failures explained by a reported bug (`contract_support.KNOWN_SERVER_BUGS`) are dropped here and pinned by a
strict xfail in `test_request_hygiene.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from contract_credentials import InProcessGateway, with_fresh_credentials
from contract_documents import JsonObject, declared_operations, mount, nothing_to_negate
from contract_support import Budget, contract_config, prepare_schema
from hypothesis import HealthCheck, settings
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.schemas import BaseSchema
from starlette.testclient import TestClient

from mockserver.apis import ApiPlugin as ApiMount
from mockserver.apis import registry
from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.world import load_world

MOUNTS = registry().plugins

_WORLD = load_world()
SIM = Simulator(_WORLD, SimClock(_WORLD.start, rate=0))
APP = create_app(SIM, strict=False)
GATEWAY = InProcessGateway(TestClient(APP))

POSITIVE = Budget(max_examples=30, mode="positive")
NEGATIVE = Budget(max_examples=25, mode="negative")
STATEFUL_SETTINGS = settings(
    max_examples=20,
    stateful_step_count=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def served_document(api: ApiMount) -> JsonObject:
    answer = GATEWAY.request("GET", f"{api.base_path}/openapi.json")
    assert answer.status == 200, f"{api.name}: {answer.status}"
    document = answer.json()
    assert isinstance(document, dict)
    return document


def asgi_schema(api: ApiMount, budget: Budget) -> BaseSchema:
    document = served_document(api)
    schema: BaseSchema = schemathesis.openapi.from_asgi(
        f"{api.base_path}/openapi.json", APP, config=contract_config(document, budget)
    )
    unbreakable = nothing_to_negate(api.name, document)  # Schemathesis could only skip these
    if budget.mode == "negative" and unbreakable:
        schema = schema.exclude(operation_id=unbreakable)
    return prepare_schema(schema, document)


def has_negatable_operations(api: ApiMount) -> bool:
    document = served_document(api)
    return len(nothing_to_negate(api.name, document)) < sum(1 for _ in declared_operations(api.name, document))


@pytest.fixture(autouse=True)
def _world_at_start() -> None:
    """Every test starts from the world as loaded (control-plane fuzzing moves the clock and mints tokens)."""
    SIM.reset()


@schemathesis.pytest.parametrize(**{api.name: asgi_schema(api, POSITIVE) for api in MOUNTS})
def test_positive_cases_conform(case: Case) -> None:
    with_fresh_credentials(case, GATEWAY).call_and_validate()


@schemathesis.pytest.parametrize(
    **{api.name: asgi_schema(api, NEGATIVE) for api in MOUNTS if has_negatable_operations(api)}
)
def test_negative_cases_conform(case: Case) -> None:
    with_fresh_credentials(case, GATEWAY).call_and_validate()


def test_tachoshare_links_chain_and_conform() -> None:
    """A stateful run through TachoShare's links; it must really chain (reach a listed vehicle by its VIN).

    Scenarios share the world (reset once, by the fixture), so later ones see what earlier RDL requests did.
    """
    base: Any = asgi_schema(mount("tachoshare"), POSITIVE).as_state_machine()
    observed: set[tuple[str, int]] = set()

    class RecordingLinks(base):  # base is a class Schemathesis builds from the spec
        def before_call(self, case: Case) -> None:
            with_fresh_credentials(case, GATEWAY)

        def after_call(self, response: Response, case: Case) -> None:
            super().after_call(response, case)
            observed.add((case.operation.label, response.status_code))

    run_state_machine_as_test(RecordingLinks, settings=STATEFUL_SETTINGS)
    assert ("GET /vehicles", 200) in observed
    assert ("GET /vehicles/{vin}", 200) in observed, sorted(observed)
    assert any(label == "POST /vehicles/{vin}/rdl" and status != 404 for label, status in observed), sorted(observed)
