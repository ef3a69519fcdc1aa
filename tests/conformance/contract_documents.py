"""The mounted specs as plain data: their files, their operations with `$ref`s resolved, their security."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from mockserver.apis import ApiPlugin as ApiMount
from mockserver.apis import registry
from mockserver.resources import specs_dir

MOUNTS = registry().plugins

JsonObject = dict[str, Any]
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class DeclaredOperation:
    """One operation of a document, with its `$ref`s resolved."""

    api: str
    path: str
    method: str
    operation_id: str
    definition: JsonObject

    @property
    def label(self) -> str:
        """`METHOD /path`, the way Schemathesis names the operation."""
        return f"{self.method.upper()} {self.path}"

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(str(status) for status in self.definition.get("responses", {}))

    def response(self, status: int) -> JsonObject:
        return dict(self.definition["responses"][str(status)])


def mount(name: str) -> ApiMount:
    return next(m for m in MOUNTS if m.name == name)


def load_spec_file(api: ApiMount) -> JsonObject:
    """The hand-written document of a mounted API, as stored under `specs/`."""
    with (specs_dir() / api.spec).open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    assert isinstance(document, dict), f"{api.spec} is not a YAML mapping"
    return document


def resolve_pointer(document: JsonObject, ref: str) -> Any:
    assert ref.startswith("#/"), f"only local references are supported, not {ref}"
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def deref(document: JsonObject, node: Any) -> Any:
    """A deep copy of `node` with every local `$ref` replaced by its target (the documents have no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return deref(document, resolve_pointer(document, node["$ref"]))
        return {key: deref(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [deref(document, item) for item in node]
    return copy.deepcopy(node)


def declared_operations(api: str, document: JsonObject) -> Iterator[DeclaredOperation]:
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                definition = deref(document, item[method])
                yield DeclaredOperation(api, path, method, str(definition["operationId"]), definition)


def _negatable(parameter: JsonObject) -> bool:
    """Whether some value that breaks the parameter's schema can be sent at all.

    Query and header values can be repeated or left out; a path segment is one non-empty string, so a string
    path parameter whose only constraint is `minLength` cannot be broken.
    """
    schema = parameter.get("schema", {})
    if parameter.get("in") != "path" or schema.get("type", "string") != "string":
        return True
    return bool({"pattern", "enum", "maxLength", "format"} & set(schema))


def nothing_to_negate(api: str, document: JsonObject) -> list[str]:
    """operationIds of the operations without any input a negative test could break (Schemathesis skips them)."""
    return [
        operation.operation_id
        for operation in declared_operations(api, document)
        if "requestBody" not in operation.definition
        and not any(_negatable(parameter) for parameter in operation.definition.get("parameters", []))
    ]


def security_requirements(document: JsonObject, operation: JsonObject) -> list[JsonObject]:
    """The operation's alternatives (its own `security`, or the document's default); `{}` means anonymous."""
    requirements: list[JsonObject] = operation.get("security", document.get("security")) or []
    return list(requirements)


def security_scheme_names(document: JsonObject) -> set[str]:
    return set(document.get("components", {}).get("securitySchemes", {}))
