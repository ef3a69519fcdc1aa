"""Every status every mounted spec declares is reached by a concrete request, and answers as declared.

For each (operation, declared status) pair a recipe (`recipes_*.py`) builds a request against the in-process app
(strict mode). The test asserts the exact status, runs Schemathesis's conformance checks on the response
(status, content type, headers, body schema), and, for errors, that nothing changed: the store's snapshot, the
clock and what `GET /tachoshare/vehicles` shows are the same before and after. Declaring a status without a
recipe fails, and so does a recipe for a status no spec declares.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import recipes_console  # noqa: F401  (registers its recipes)
import recipes_control  # noqa: F401
import recipes_guard  # noqa: F401
import recipes_oauth  # noqa: F401
import recipes_reveal  # noqa: F401
import recipes_reveal_cmd  # noqa: F401
import recipes_tachoshare  # noqa: F401
import schemathesis
from contract_documents import DeclaredOperation, declared_operations, load_spec_file
from contract_support import Budget, contract_config
from recipe_base import RECIPES, Exchange, Recipe, RecipeContext
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import BaseSchema
from starlette.testclient import TestClient

from mockserver.apis import registry
from mockserver.simulator import Simulator

MOUNTS = registry().plugins

DOCUMENTS = {api.name: load_spec_file(api) for api in MOUNTS}
OPERATIONS = {
    (api, operation.operation_id): operation
    for api, document in DOCUMENTS.items()
    for operation in declared_operations(api, document)
}
DECLARED = sorted(
    (api, operation.operation_id, int(status))
    for (api, _), operation in OPERATIONS.items()
    for status in operation.statuses
    if status.isdigit()
)
VALIDATORS: dict[str, BaseSchema] = {
    api: schemathesis.openapi.from_dict(document, config=contract_config(document, Budget(1, "positive")))
    for api, document in DOCUMENTS.items()
}


def _param(pair: tuple[str, str, int]) -> Any:
    found = RECIPES.get(pair)
    marks = [pytest.mark.xfail(strict=True, reason=found.gap)] if found is not None and found.gap else []
    return pytest.param(pair, id="-".join(map(str, pair)), marks=marks)


def observable_state(ctx: RecipeContext, observer: dict[str, str]) -> tuple[Any, ...]:
    """What an error must leave untouched: the store, the clock, and the vehicles as the API shows them."""
    vehicles = ctx.send(Exchange("GET", "/tachoshare/vehicles", headers=observer))
    assert vehicles.status_code == 200, vehicles.text
    return ctx.sim.store.snapshot(), ctx.sim.clock.reading(), vehicles.json()


def path_parameters(operation: DeclaredOperation, path: str) -> dict[str, str]:
    """The values the request put in the operation's path template (the path ends with the template)."""
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]*)", re.escape(operation.path)) + "$"
    found = re.search(pattern, path)
    assert found is not None, f"{path} does not match {operation.path}"
    return found.groupdict()


def validate(operation: DeclaredOperation, exchange: Exchange, response: httpx.Response) -> None:
    """Schemathesis's conformance checks (the contract of the fuzzers) on one response."""
    api_operation = VALIDATORS[operation.api][operation.path][operation.method.upper()]
    case = api_operation.Case(path_parameters=path_parameters(operation, exchange.path))
    try:
        case.validate_response(response)
    except FailureGroup as failures:
        pytest.fail(f"{operation.label} answered {response.status_code} against its spec:\n{failures}")


@pytest.mark.parametrize("pair", [_param(pair) for pair in DECLARED])
def test_declared_status_is_reached_and_conforms(
    pair: tuple[str, str, int], client: TestClient, sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    found: Recipe | None = RECIPES.get(pair)
    assert found is not None, f"{pair} is declared but no recipe produces it: add one to recipes_{pair[0]}.py"
    api, operation_id, status = pair
    operation = OPERATIONS[(api, operation_id)]
    ctx = RecipeContext(client, sim, monkeypatch, tmp_path)
    observer = ctx.bearer()
    exchange = found.build(ctx)
    before = observable_state(ctx, observer) if status >= 400 else None

    response = ctx.send(exchange)

    assert response.status_code == status, f"{exchange}\n-> {response.status_code} {response.text[:500]}"
    validate(operation, exchange, response)
    if before is not None:
        assert observable_state(ctx, observer) == before, f"{operation.label} {status} changed the state"


def test_every_recipe_targets_a_declared_status() -> None:
    stale = sorted(set(RECIPES) - set(DECLARED))
    assert not stale, f"recipes for statuses no spec declares (remove them or declare the status): {stale}"


def test_the_checks_reject_a_response_that_breaks_the_spec() -> None:
    """The validation above is not vacuous: a 404 with a body that is not the declared Error shape fails it."""
    operation = OPERATIONS[("tachoshare", "getVehicle")]
    wrong = httpx.Response(404, json={"message": "nope"}, request=httpx.Request("GET", "http://t/tachoshare/x"))
    wrong.elapsed = timedelta(0)
    case = VALIDATORS["tachoshare"][operation.path]["GET"].Case(path_parameters={"vin": "x"})
    with pytest.raises(FailureGroup):
        case.validate_response(wrong)
