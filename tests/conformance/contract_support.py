"""The contract every mounted API is held to, and the Schemathesis configuration that runs it.

The contract is the same for every API of `mockserver.apis.registry()`: Schemathesis's built-in checks
`CONTRACT_CHECKS`, a fixed seed and derandomized generation so CI is reproducible, and a budget per operation
so the suites stay fast. What is specific to one API is derived from its document, never from its name:
operations that declare 501 (the simulator's "not implemented yet" answer) may answer 501 and no other 5xx, and
the tolerance disappears with the declaration; credentials come from `contract_credentials`.

Known server bugs are registered in `KNOWN_SERVER_BUGS`: while one stands, the fuzzers drop exactly the failures
it explains (so the rest of each operation's contract is still checked), and a targeted test marked strict
xfail (`test_request_hygiene.py`) keeps it visible. Fixing the bug flips that test; then the entry goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contract_credentials import register_credentials
from contract_documents import HTTP_METHODS, JsonObject
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.hooks import HookContext
from schemathesis.schemas import BaseSchema

CONTRACT_SEED = 20261102

CONTRACT_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
"""Issue 2's contract: no 5xx, and status, content type, headers and body as declared."""


@dataclass(frozen=True)
class Budget:
    """How much Schemathesis generates per operation (Hypothesis `max_examples` of the fuzzing phase)."""

    max_examples: int
    mode: str  # "positive", "negative" or "all"


# ----------------------------------------------------------------------------------------------------------
# Known server bugs


@dataclass(frozen=True)
class KnownServerBug:
    """A server bug reported to the lead: which responses it explains, and why."""

    name: str
    reason: str
    explains: Callable[[Response], bool]


def _json_body_not_utf8(response: Response) -> bool:
    request = response.request
    body = request.body
    content_type = str(request.headers.get("Content-Type", ""))
    if response.status_code != 500 or not isinstance(body, bytes) or "json" not in content_type.lower():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


NON_UTF8_JSON_BODY = KnownServerBug(
    "non-utf8-json-body",
    "A JSON request body that is not UTF-8 is answered 500: Connexion's JSON validator raises "
    "UnicodeDecodeError, which mockserver.app maps to 500 instead of 400.",
    _json_body_not_utf8,
)

KNOWN_SERVER_BUGS: tuple[KnownServerBug, ...] = ()


def ignore_known_server_bugs(schema: BaseSchema) -> None:
    """Drop the failures a registered known bug explains (see the module docstring)."""

    def filter_failure(context: HookContext, failure: Failure, case: Case, response: Response) -> bool:
        return not any(bug.explains(response) for bug in KNOWN_SERVER_BUGS)

    schema.hook(filter_failure)


# ----------------------------------------------------------------------------------------------------------
# Schemathesis configuration


def not_implemented_operations(document: JsonObject) -> list[str]:
    """operationIds that declare 501, the simulator's temporary "not implemented yet" answer."""
    return [
        str(operation["operationId"])
        for item in document.get("paths", {}).values()
        for method, operation in item.items()
        if method in HTTP_METHODS and "501" in operation.get("responses", {})
    ]


def contract_config(document: JsonObject, budget: Budget) -> SchemathesisConfig:
    """The Schemathesis configuration of one API's contract run (see the module docstring)."""
    raw: JsonObject = {
        "seed": CONTRACT_SEED,
        "continue-on-failure": True,
        # Negative form bodies and long generated strings trip these; they say nothing about the server.
        "suppress-health-check": ["filter_too_much", "too_slow", "data_too_large"],
        "generation": {
            "mode": budget.mode,
            "max-examples": budget.max_examples,
            "deterministic": True,
            "database": "none",
        },
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CONTRACT_CHECKS}},
    }
    # 503 is declared everywhere: the store's watchdog (a store busy past 5 s) answers it with Retry-After.
    raw["checks"]["not_a_server_error"] = {"enabled": True, "expected-statuses": ["2xx", "3xx", "4xx", "503"]}
    not_implemented = not_implemented_operations(document)
    if not_implemented:
        raw["operations"] = [
            {
                "include-operation-id": not_implemented,
                "checks": {"not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", "501", "503"]}},
            }
        ]
    return SchemathesisConfig.from_dict(raw)


def prepare_schema(schema: BaseSchema, document: JsonObject) -> BaseSchema:
    """Credentials for the secured operations, and the known bugs' failures dropped."""
    register_credentials(schema, document)
    ignore_known_server_bugs(schema)
    return schema
