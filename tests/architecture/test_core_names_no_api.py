"""The core names no API (issue 16, items 1 and 5): outside the API packages, no module's code (docstrings and
comments aside) holds an API's name or URL prefix, as a string or in an identifier. The import rules of
`tests/test_architecture.py` stop the core importing an API; this stops it knowing one by name instead.

The names are the registry's own: every API that stands in for a vendor's (`ApiPlugin.fault_target`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from mockserver.apis import registry
from tests.architecture import find_modules, under
from tests.test_architecture import API_PACKAGES, ROOT

# World data spelled like an API: the names of the vendor's service variants a vehicle or a card subscribes to
# (`ServiceVariant`, the `variant` field of world files). They are facts of the world, not references to the API.
WORLD_VOCABULARY = frozenset({"TACHOSHARE", "TACHOSHARE PLUS", "TACHOSHARE_PLUS"})
# OAuth 2 is also the protocol the core speaks generically (Connexion's OAuthProblem, the world's OAuth clients, the
# scopes plugins declare): the API named `oauth` is found by its name as a string and by its URL prefix only.
PROTOCOL_WORDS = frozenset({"oauth"})


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _words(identifier: str) -> set[str]:
    return {w.lower() for w in re.split(r"_+|(?<=[a-z0-9])(?=[A-Z])", identifier) if w}


def _identifiers(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Attribute):
        yield node.attr
    elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        yield node.name
    elif isinstance(node, ast.arg) or (isinstance(node, ast.keyword) and node.arg):
        yield node.arg
    elif isinstance(node, ast.alias):
        yield from (node.asname or node.name).split(".")


def names_of_apis(path: Path, root: Path, names: set[str], prefixes: set[str]) -> list[str]:
    """Where the module's code names one of the APIs: `file:line: what`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if text in WORLD_VOCABULARY:
                continue
            if text.lower() in names or any(text == p or text.startswith(p + "/") for p in prefixes):
                found.append(f"{where}: the string {text!r}")
        for identifier in _identifiers(node):
            if identifier not in WORLD_VOCABULARY and _words(identifier) & (names - PROTOCOL_WORDS):
                found.append(f"{where}: the identifier {identifier}")
    return found


def test_the_core_names_no_api() -> None:
    apis = [p for p in registry() if p.fault_target]
    assert {p.name for p in apis} >= {"tachoshare", "reveal", "oauth"}  # the check looks for something real
    names = {p.name for p in apis}
    prefixes = {p.base_path for p in apis}
    core = [
        path
        for module, path in find_modules(ROOT, ["mockserver"]).items()
        if not any(under(module, api) for api in API_PACKAGES)
    ]
    found = [line for path in core for line in names_of_apis(path, ROOT, names, prefixes)]
    assert not found, "the core names an API:\n  " + "\n  ".join(found)


def test_the_check_sees_a_planted_name(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""Docstrings may say tachoshare."""\n'
        'X = sim.reveal_state\nY = "/tachoshare/vehicles"\nZ = "TACHOSHARE"\nOAuthClient = "reveal"\n'
    )
    found = names_of_apis(planted, tmp_path, {"tachoshare", "reveal", "oauth"}, {"/tachoshare"})
    assert found == [
        "planted.py:2: the identifier reveal_state",
        "planted.py:3: the string '/tachoshare/vehicles'",
        "planted.py:5: the string 'reveal'",
    ]
