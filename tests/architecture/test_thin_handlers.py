"""Handlers are thin (issue 16, item 3): no function that serves an operation opens `store.write()`; writes belong to
the API's service (or the simulator). Every operation of every registered API's spec is resolved the way the app
resolves it, and the function's own code is walked."""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

from mockserver.apis import registry
from mockserver.app import ModuleResolver
from mockserver.resources import load_spec


def _operations() -> Iterator[tuple[str, str]]:
    apis = registry()
    for plugin in apis:
        resolver = ModuleResolver(plugin.handlers, apis.operations_served_for(plugin.name))
        for item in load_spec(plugin.spec).get("paths", {}).values():
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    target = resolver.resolve_operation_id(type("Op", (), {"operation_id": operation["operationId"]}))
                    yield operation["operationId"], target


def _function(target: str) -> Callable[..., Any]:
    module, _, name = target.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def opens_a_write(source: str) -> bool:
    """Whether code calls `<something>.store.write()` or `store.write()`."""
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write":
            owner = node.func.value
            if (isinstance(owner, ast.Attribute) and owner.attr in ("store", "_store")) or (
                isinstance(owner, ast.Name) and owner.id == "store"
            ):
                return True
    return False


def test_no_handler_opens_a_write_transaction() -> None:
    operations = list(_operations())
    assert len(operations) > 30  # every API's operations were found
    writers = [f"{op} ({target})" for op, target in operations if opens_a_write(inspect.getsource(_function(target)))]
    assert not writers, "handlers that open store.write():\n  " + "\n  ".join(writers)


def test_the_walk_sees_a_write() -> None:
    assert opens_a_write("async def h():\n    with sim.store.write():\n        pass\n")
    assert opens_a_write("def h(store):\n    with store.write():\n        pass\n")
    assert not opens_a_write("def h():\n    return service.add(1)\n")
