"""Credentials for the contract runs: one registered recipe per security scheme of the mounted specs.

Static credentials (HTTP Basic with the demo world's users) are set when Schemathesis builds a case. Tokens are
minted when the case is sent: Schemathesis builds some cases (coverage, examples) at collection, before any
server runs and before the simulated clock is where the test puts it, so the auth provider only sets a
placeholder, and `with_fresh_credentials` swaps it for a token minted through the server under test. Cases in
which Schemathesis negates the security parameters get neither, so they keep testing the 401 path.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from contract_documents import JsonObject, declared_operations, security_requirements
from schemathesis.auths import AuthContext
from schemathesis.generation.case import Case
from schemathesis.schemas import BaseSchema
from starlette.testclient import TestClient

PLACEHOLDER_PREFIX = "minted-at-call-time "


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    json: Callable[[], Any]


class Gateway(Protocol):
    """The server under test, for minting credentials (an in-process client or a live URL)."""

    def request(self, method: str, path: str, *, json: Any = None, auth: tuple[str, str] | None = None) -> Answer: ...


@dataclass(frozen=True)
class BasicCredentials:
    username: str
    password: str

    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()


@dataclass(frozen=True)
class MintedHeader:
    """A header whose value must be obtained from the server (a token) right before the call."""

    header: str
    mint: Callable[[Gateway], str]


def _tachoshare_bearer(gateway: Gateway) -> str:
    answer = gateway.request("POST", "/_sim/tokens", json={})
    assert answer.status == 200, answer.text
    return f"Bearer {answer.json()['access_token']}"


REVEAL_USER = BasicCredentials("demo", "demo")
REVEAL_APP_ID = "DEMOAPPID"


def _reveal_atmosphere(gateway: Gateway) -> str:
    answer = gateway.request("GET", "/reveal/token", auth=(REVEAL_USER.username, REVEAL_USER.password))
    assert answer.status == 200, answer.text
    return f"Atmosphere atmosphere_app_id=fleetmatics-p-us-{REVEAL_APP_ID}, Bearer {answer.text.strip()}"


Credentials = BasicCredentials | MintedHeader

CREDENTIALS: dict[str, Credentials] = {
    "webfleetOAuth": MintedHeader("Authorization", _tachoshare_bearer),
    "clientBasic": BasicCredentials("demo-partner", "demo-secret"),
    "revealBasic": REVEAL_USER,
    "atmosphere": MintedHeader("Authorization", _reveal_atmosphere),
}
"""Security scheme name -> how the demo world satisfies it. A new scheme in a spec needs an entry here
(`test_contract_support.py` fails until it has one)."""


def chosen_scheme(document: JsonObject, operation: JsonObject) -> str | None:
    """The scheme the contract runs authenticate an operation with: the first alternative they can satisfy.

    None for anonymous operations (including those that accept `{}` as their first alternative).
    """
    for requirement in security_requirements(document, operation):
        if not requirement:
            return None
        if len(requirement) == 1 and next(iter(requirement)) in CREDENTIALS:
            return str(next(iter(requirement)))
    return None


def register_credentials(schema: BaseSchema, document: JsonObject) -> None:
    """Authenticate every secured operation of `schema` with the registered credentials of its scheme."""
    schemes = {
        operation.label: scheme
        for operation in declared_operations("", document)
        if (scheme := chosen_scheme(document, operation.definition)) is not None
    }
    if not schemes:
        return

    class RegisteredCredentials:
        def get(self, case: Case, context: AuthContext) -> tuple[str, str] | None:
            scheme = schemes.get(case.operation.label)
            if scheme is None:
                return None
            credentials = CREDENTIALS[scheme]
            if isinstance(credentials, BasicCredentials):
                return "Authorization", credentials.header()
            return credentials.header, PLACEHOLDER_PREFIX + scheme

        def set(self, case: Case, data: tuple[str, str], context: AuthContext) -> None:
            header, value = data
            case.headers[header] = value

    schema.auth(refresh_interval=None)(RegisteredCredentials)


def with_fresh_credentials(case: Case, gateway: Gateway) -> Case:
    """Replace a minted-credential placeholder (if the case carries one) with a value minted now."""
    for header, value in list((case.headers or {}).items()):
        if isinstance(value, str) and value.startswith(PLACEHOLDER_PREFIX):
            minted = CREDENTIALS[value.removeprefix(PLACEHOLDER_PREFIX)]
            assert isinstance(minted, MintedHeader)
            case.headers[header] = minted.mint(gateway)
    return case


@dataclass(frozen=True)
class InProcessGateway:
    """The in-process app, through a Starlette test client."""

    client: TestClient

    def request(self, method: str, path: str, *, json: Any = None, auth: tuple[str, str] | None = None) -> Answer:
        response = self.client.request(method, path, json=json, auth=auth)
        return Answer(response.status_code, response.text, response.json)


@dataclass
class LiveGateway:
    """A live server; `base_url` is set by a fixture once the server runs (None until then)."""

    base_url: str | None = None

    def url(self, path: str) -> str:
        assert self.base_url is not None, "no live server bound yet"
        return f"{self.base_url}{path}"

    def request(self, method: str, path: str, *, json: Any = None, auth: tuple[str, str] | None = None) -> Answer:
        response = requests.request(method, self.url(path), json=json, auth=auth, timeout=10)
        return Answer(response.status_code, response.text, response.json)
