"""A small AST walk over the packages: their import graph, its circles, forbidden directions, and size limits.

Used by `tests/test_architecture.py`, which holds the rules; this module only measures. Every `import` and
`from ... import` counts, wherever it stands (module top, inside a function, under `if TYPE_CHECKING:`): a lazy or
type-only import still means the module knows the other. Imports of anything outside the walked packages are
ignored; `importlib.import_module("...")` strings are not seen.
"""

from __future__ import annotations

import ast
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

Graph = dict[str, set[str]]


@dataclass(frozen=True)
class Rule:
    """Modules under a `who` prefix (but not under one of `unless`) must not import under a `must_not_import`
    prefix other than the one they themselves live under."""

    who: tuple[str, ...]
    unless: tuple[str, ...]
    must_not_import: tuple[str, ...]
    why: str


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _first_under(module: str, prefixes: Iterable[str]) -> str | None:
    return next((p for p in prefixes if under(module, p)), None)


# -- the modules and their imports -------------------------------------------------------------------------------


def find_modules(root: Path, tops: Sequence[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every `.py` under the top-level packages (a package is its `__init__`)."""
    modules: dict[str, Path] = {}
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module `name` loads from the walked tree: itself, or the nearest package above it that exists."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imported_names(node: ast.Import | ast.ImportFrom, package: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        parts = package.split(".")
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    yield base
    yield from (f"{base}.{alias.name}" for alias in node.names)  # `from pkg import submodule`


def imports_of(module: str, modules: dict[str, Path]) -> set[str]:
    """The walked modules `module` imports (not itself)."""
    path = modules[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        names = list(_imported_names(node, package))
        if isinstance(node, ast.ImportFrom):  # `from a import b`: the submodule a.b when there is one, else a
            base, members = names[0], names[1:]
            targets = [m for m in members if m in modules] or [base]
            if len(targets) < len(members):
                targets.append(base)
            names = targets
        found.update(k for k in (_known(n, modules) for n in names) if k is not None)
    found.discard(module)
    return found


def import_graph(root: Path, tops: Sequence[str]) -> Graph:
    modules = find_modules(root, tops)
    return {module: imports_of(module, modules) for module in modules}


# -- circles ------------------------------------------------------------------------------------------------------


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Components of more than one node (iterative Tarjan), each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def shortest_circle(graph: Graph, component: list[str]) -> list[str]:
    """One shortest circle through the component's first node, as a path that ends where it starts."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.get(node, ())):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child in members and child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError(f"{component} is not a circle")


def _packages(graph: Graph) -> list[str]:
    """Every package that has sub-modules, and "" for the root above the top-level packages."""
    return ["", *sorted({m for m in graph if any(other.startswith(m + ".") for other in graph)})]


def _child(package: str, module: str) -> str | None:
    """The direct child of `package` (module or sub-package) that `module` lives in; None outside or itself."""
    if package and not module.startswith(package + "."):
        return None
    rest = module[len(package) + 1 :] if package else module
    return f"{package}.{rest.split('.')[0]}" if package else rest.split(".")[0]


def package_graph(graph: Graph, package: str) -> tuple[Graph, dict[tuple[str, str], tuple[str, str]]]:
    """The children of `package` as nodes, an edge where a module of one imports a module of another, and for
    each edge one module import that makes it (the witness)."""
    collapsed: Graph = {}
    witness: dict[tuple[str, str], tuple[str, str]] = {}
    for module in sorted(graph):
        source = _child(package, module)
        if source is None:
            continue
        for target_module in sorted(graph[module]):
            target = _child(package, target_module)
            if target is None or target == source:
                continue
            collapsed.setdefault(source, set()).add(target)
            witness.setdefault((source, target), (module, target_module))
    return collapsed, witness


def circles(graph: Graph) -> list[str]:
    """Readable lines: each circle between modules, then each between sibling packages at any level (one that
    runs only through plain modules is already listed as a module circle)."""
    lines = []
    for component in strongly_connected(graph):
        path = shortest_circle(graph, component)
        lines.append(f"module circle: {' -> '.join(path)}  (all of: {', '.join(component)})")
    for package in _packages(graph):
        collapsed, witness = package_graph(graph, package)
        subpackages = {_child(package, m) for m in graph if _child(package, m) != m}
        for component in strongly_connected(collapsed):
            if not subpackages & set(component):
                continue
            path = shortest_circle(collapsed, component)
            steps = [f"{a} -> {b} ({' imports '.join(witness[(a, b)])})" for a, b in itertools.pairwise(path)]
            where = package or "the top level"
            lines.append(f"package circle in {where}: " + "; ".join(steps) + f"  (all of: {', '.join(component)})")
    return lines


# -- directions ---------------------------------------------------------------------------------------------------


def forbidden_imports(graph: Graph, rules: Sequence[Rule]) -> list[str]:
    lines = []
    for rule in rules:
        for module in sorted(graph):
            own = _first_under(module, rule.who)
            if own is None or _first_under(module, rule.unless) is not None:
                continue
            for target in sorted(graph[module]):
                banned = _first_under(target, rule.must_not_import)
                if banned is not None and not under(module, banned):
                    lines.append(f"{module} imports {target}: {rule.why}")
    return lines


# -- sizes --------------------------------------------------------------------------------------------------------


def is_literal_data(node: ast.expr | None, records: bool = True) -> bool:
    """Constants; tuples, lists, sets and dicts of literal data; a negative number; a name or attribute (a named
    constant, an enum member); a call of a name or attribute whose arguments are literal data without calls or bare
    names (a record of a table). Not: nested calls, operators, comprehensions, lambdas, f-strings, subscripts."""
    match node:
        case ast.Name():
            return records  # a named constant in a table, but not a variable passed along a chain of calls
        case None | ast.Constant() | ast.Attribute():
            return True
        case ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=ast.Constant()):
            return True
        case ast.Tuple(elts=items) | ast.List(elts=items) | ast.Set(elts=items):
            return all(is_literal_data(item, records) for item in items)
        case ast.Dict(keys=keys, values=values):
            return all(key is not None and is_literal_data(key, records) for key in keys) and all(
                is_literal_data(value, records) for value in values
            )
        case ast.Call(func=ast.Name() | ast.Attribute(), args=args, keywords=keywords) if records:
            values = [*args, *(k.value for k in keywords if k.arg is not None)]
            return len(values) == len(args) + len(keywords) and all(is_literal_data(v, False) for v in values)
    return False


def _is_data_statement(statement: ast.stmt, in_function: bool) -> bool:
    match statement:
        case ast.Expr(value=ast.Constant(value=str())):  # a docstring
            return True
        case ast.Import() | ast.ImportFrom():
            return not in_function
        case ast.Assign(value=value) | ast.AnnAssign(value=value):
            return not in_function and is_literal_data(value)
        case ast.Return(value=value):
            return in_function and is_literal_data(value)
    return False


def is_data_table(body: list[ast.stmt], in_function: bool = False) -> bool:
    """Made only of literal data, and so exempt from the size limits: a module of docstrings, imports and
    assignments of literal data; a function of a docstring and one `return` of literal data. Anything that
    computes is measured."""
    return all(_is_data_statement(statement, in_function) for statement in body)


def size_violations(root: Path, tops: Sequence[str], max_module_lines: int, max_function_lines: int) -> list[str]:
    lines = []
    for full_path in sorted(find_modules(root, tops).values()):
        text = full_path.read_text(encoding="utf-8")
        tree = ast.parse(text, str(full_path))
        length = len(text.splitlines())
        path = full_path.relative_to(root)
        if length > max_module_lines and not is_data_table(tree.body):
            lines.append(f"{path}: module of {length} lines (limit {max_module_lines})")
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            if size > max_function_lines and not is_data_table(node.body, in_function=True):
                lines.append(f"{path}:{node.lineno}: {node.name}() of {size} lines (limit {max_function_lines})")
    return lines
