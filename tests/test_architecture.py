"""Imports run one way, without circles, and modules and functions stay small (issue 16, item 5).

The layers, lowest first (a layer may import those below it, never one above or beside it):

    fleetmock_resources   where specs/ and fixtures/ are; imports neither side
    contracts             common <- tachoshare | reveal (side by side) <- verify; nothing of mockserver
    mockserver core       clock, store, errors, world, tachograph (a file-format library), faults, scenarios,
                          the app, middleware and simulator, cli: everything that is not an API package
    mockserver APIs       tachoshare | oauth | reveal | control, side by side; each plugs into the core's registry

The walk and the measuring live in `tests/architecture.py`; the rules are the table below.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from tests.architecture import (
    Rule,
    circles,
    find_modules,
    forbidden_imports,
    import_graph,
    is_data_table,
    size_violations,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("fleetmock_resources", "contracts", "mockserver")
API_PACKAGES = ("mockserver.tachoshare", "mockserver.reveal", "mockserver.oauth", "mockserver.control")
CLIENTS = ("contracts.tachoshare", "contracts.reveal")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

NOTHING: tuple[str, ...] = ()
RULES = (
    #    modules under          except under   must not import under           because
    Rule(("mockserver",),       API_PACKAGES,  API_PACKAGES,                   "the core sits below every API"),
    Rule(API_PACKAGES,          NOTHING,       API_PACKAGES,                   "APIs sit side by side"),
    Rule(("contracts",),        NOTHING,       ("mockserver",),                "the reference clients stand alone"),
    Rule(CLIENTS,               NOTHING,       CLIENTS,                        "the two clients sit side by side"),
    Rule(("fleetmock_resources",), NOTHING,    ("mockserver", "contracts"),    "the neutral resources sit below both"),
)  # fmt: skip
"""Where each rule leads: the core reaches an API only through the registry the API registers with; what two APIs
(or the two clients) share belongs one layer down (the core, `contracts.common`); specs reach `contracts` through
`fleetmock_resources`. Each API package may import itself (a rule never forbids a module its own prefix)."""


KNOWN_DEBTS: frozenset[str] = frozenset()
"""What the code owed when these rules were written (issue 16 pays it off). A ratchet, not an exemption: a finding
outside this set fails, and so does an entry that no longer occurs (strike it off when it is paid). Import circles
would be matched by their first words (their "all of" lists move with every module); none is owed any more."""

KNOWN_CIRCLES: tuple[str, ...] = ()


def _report(title: str, lines: list[str]) -> str:
    return f"{len(lines)} {title}:\n  " + "\n  ".join(lines)


def _owed(found: list[str], debts: frozenset[str], title: str) -> None:
    """Fail on a finding that is not a known debt, and on a known debt of this kind that is paid."""
    new = [line for line in found if line not in debts]
    assert not new, _report(title, new)


def _paid(found: list[str], debts: frozenset[str], kind: str) -> list[str]:
    return sorted(debt for debt in debts if kind in debt and debt not in found)


def test_no_import_circles() -> None:
    found = circles(import_graph(ROOT, PACKAGES))
    new = [line for line in found if not line.startswith(KNOWN_CIRCLES)]
    assert not new, _report("import circles", new)
    paid = [known for known in KNOWN_CIRCLES if not any(line.startswith(known) for line in found)]
    assert not paid, _report("known circles gone: strike them off KNOWN_CIRCLES", paid)


def test_imports_run_one_way() -> None:
    found = forbidden_imports(import_graph(ROOT, PACKAGES), RULES)
    _owed(found, KNOWN_DEBTS, "imports against the layers")
    paid = _paid(found, KNOWN_DEBTS, " imports ")
    assert not paid, _report("debts paid: strike them off KNOWN_DEBTS", paid)


def test_modules_and_functions_stay_small() -> None:
    found = size_violations(ROOT, PACKAGES, MAX_MODULE_LINES, MAX_FUNCTION_LINES)
    _owed(found, KNOWN_DEBTS, "modules or functions over the limits")
    paid = _paid(found, KNOWN_DEBTS, "(limit ")
    assert not paid, _report("debts paid: strike them off KNOWN_DEBTS", paid)


def test_the_rules_name_packages_that_exist() -> None:
    """A renamed package must not leave a rule silently checking nothing."""
    modules = find_modules(ROOT, PACKAGES)
    for rule in RULES:
        for prefix in (*rule.who, *rule.unless, *rule.must_not_import):
            assert prefix in modules, f"{prefix} (in the rule {rule.why!r}) is not a module"


# -- the checker catches what it should (planted in a throwaway tree) -----------------------------------------------


def _plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_a_planted_module_circle_is_caught(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "mockserver/__init__.py": "",
            "mockserver/a.py": "from mockserver.b import B\n",
            "mockserver/b.py": "def f() -> None:\n    from mockserver import c  # lazy imports count too\n",
            "mockserver/c.py": "from . import a\n",
        },
    )
    assert circles(import_graph(root, ["mockserver"])) == [
        "module circle: mockserver.a -> mockserver.b -> mockserver.c -> mockserver.a"
        "  (all of: mockserver.a, mockserver.b, mockserver.c)",
    ]


def test_a_planted_package_circle_is_caught_though_no_module_circle_exists(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "mockserver/__init__.py": "",
            "mockserver/world/__init__.py": "",
            "mockserver/world/build.py": "from mockserver.reveal.world import extension\n",
            "mockserver/reveal/__init__.py": "",
            "mockserver/reveal/world.py": "extension = 1\n",
            "mockserver/reveal/service.py": "from mockserver.world import build\n",
        },
    )
    graph = import_graph(root, ["mockserver"])
    assert circles(graph) == [
        "package circle in mockserver: mockserver.reveal -> mockserver.world (mockserver.reveal.service imports "
        "mockserver.world.build); mockserver.world -> mockserver.reveal (mockserver.world.build imports "
        "mockserver.reveal.world)  (all of: mockserver.reveal, mockserver.world)"
    ]


def test_planted_forbidden_imports_are_caught(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "fleetmock_resources/__init__.py": "",
            "mockserver/__init__.py": "",
            "mockserver/clock.py": "",
            "mockserver/tachograph/__init__.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from mockserver.tachoshare.service import Service\n",
            "mockserver/tachoshare/__init__.py": "",
            "mockserver/tachoshare/service.py": "from mockserver import clock\nfrom mockserver.tachoshare import x\n",
            "mockserver/tachoshare/x.py": "",
            "mockserver/oauth/__init__.py": "",
            "mockserver/oauth/scopes.py": "from mockserver.tachoshare.service import SCOPE\n",
            "mockserver/reveal/__init__.py": "",
            "mockserver/control/__init__.py": "",
            "contracts/__init__.py": "",
            "contracts/verify.py": "import mockserver.clock\nimport fleetmock_resources\n",
            "contracts/tachoshare/__init__.py": "",
            "contracts/reveal/__init__.py": "from contracts.tachoshare import clock\n",
        },
    )
    found = forbidden_imports(import_graph(root, PACKAGES), RULES)
    assert found == [
        f"mockserver.tachograph imports mockserver.tachoshare.service: {RULES[0].why}",
        f"mockserver.oauth.scopes imports mockserver.tachoshare.service: {RULES[1].why}",
        f"contracts.verify imports mockserver.clock: {RULES[2].why}",
        f"contracts.reveal imports contracts.tachoshare: {RULES[3].why}",
    ]


def test_planted_oversized_code_is_caught_and_data_tables_are_not(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = f(x{i - 1})\n" for i in range(1, 61))
    table = ",\n".join(f"    ({i}, 'row', -{i}, Kind.A, Row(a={i}, kind=Kind.B))" for i in range(500))
    rows = "".join(f"        ({i}, {i + 1}),\n" for i in range(70))
    root = _plant(
        tmp_path,
        {
            "mockserver/__init__.py": "",
            "mockserver/long.py": f"def long() -> int:\n    x0 = 1\n{body}    return x60\n",
            "mockserver/table.py": f'"""A table."""\n\nfrom x import Kind, Row\n\nROWS = (\n{table},\n)\n',
            "mockserver/big.py": "def f() -> None:\n    pass\n" + "\n" * 400,
            "mockserver/rows.py": f'def rows() -> tuple:\n    """Rows."""\n    return (\n{rows})\n',
        },
    )
    found = size_violations(root, ["mockserver"], MAX_MODULE_LINES, MAX_FUNCTION_LINES)
    assert found == [
        "mockserver/big.py: module of 402 lines (limit 400)",
        "mockserver/long.py:1: long() of 63 lines (limit 60)",
    ]


@pytest.mark.parametrize(
    ("source", "is_data"),
    [
        ("X = {'a': (1, -2.5), Kind.B: [None, True]}", True),
        ("ROWS = (Row(1, name='a'), Row(2, name='b'))\nY: int = 3", True),
        ("X = [i for i in range(3)]", False),
        ("X = 1 + 2", False),
        ("X = Row(compute())", False),
        ("Y = Row(X)", False),
        ("def f() -> int:\n    return 1", False),
        ("X = 1\nif X:\n    Y = 2", False),
    ],
)
def test_what_counts_as_a_data_table(source: str, is_data: bool) -> None:

    assert is_data_table(ast.parse(source).body) is is_data


def test_a_function_is_a_data_table_only_when_it_returns_literal_data() -> None:

    returns_data = ast.parse('def f():\n    """Doc."""\n    return {"a": (1, 2)}').body[0]
    computes = ast.parse("def f():\n    x = 1\n    return x").body[0]
    assert isinstance(returns_data, ast.FunctionDef) and isinstance(computes, ast.FunctionDef)
    assert is_data_table(returns_data.body, in_function=True)
    assert not is_data_table(computes.body, in_function=True)
