"""Request recipes: for each (API, operationId, declared status), a concrete request that produces that status.

A recipe module registers its recipes with `@recipe(api, operation_id, status)`; the function receives a
`RecipeContext` (the in-process app and its simulator, reset for the test), may prepare state through the
control plane, and returns the `Exchange` to send. `gap` marks a recipe whose status the server does not
produce yet (a reported finding): the test runs it as a strict xfail, so the fix is noticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from contract_documents import JsonObject
from starlette.testclient import TestClient

from mockserver.simulator import Simulator


class _NoJson:
    """Marks an exchange without a JSON body (None is a valid JSON body: `null`)."""

    def __repr__(self) -> str:
        return "NO_JSON"


NO_JSON: Any = _NoJson()


@dataclass(frozen=True)
class Exchange:
    """One HTTP request, path including the API's prefix."""

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = NO_JSON
    content: bytes | None = None
    form: dict[str, str] | None = None
    auth: tuple[str, str] | None = None
    sender: Callable[[RecipeContext, Exchange], Any] | None = None  # sends it another way than the test client


@dataclass
class RecipeContext:
    client: TestClient
    sim: Simulator
    monkeypatch: pytest.MonkeyPatch
    tmp_path: Path

    def send(self, exchange: Exchange) -> Any:
        """The response (an httpx response) to `exchange`; redirects are not followed."""
        if exchange.sender is not None:
            return exchange.sender(self, exchange)
        kwargs: dict[str, Any] = {"params": exchange.params, "headers": exchange.headers, "auth": exchange.auth}
        if exchange.json is not NO_JSON:
            kwargs["json"] = exchange.json
        if exchange.content is not None:
            kwargs["content"] = exchange.content
        if exchange.form is not None:
            kwargs["data"] = exchange.form
        return self.client.request(exchange.method, exchange.path, follow_redirects=False, **kwargs)

    def control(self, method: str, path: str, body: Any = NO_JSON, expect: int = 200) -> Any:
        """A control-plane call that must succeed; its JSON answer (None when empty)."""
        response = self.send(Exchange(method, f"/_sim{path}", json=body))
        assert response.status_code == expect, f"{method} /_sim{path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def token(self, **body: Any) -> str:
        return str(self.control("POST", "/tokens", body)["access_token"])

    def bearer(self, **body: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**body)}"}

    def world(self) -> JsonObject:
        world = self.control("GET", "/world")
        assert isinstance(world, dict)
        return world

    def account(self, name: str = "demo") -> JsonObject:
        return next(account for account in self.world()["accounts"] if account["name"] == name)


RecipeBuilder = Callable[[RecipeContext], Exchange]


@dataclass(frozen=True)
class Recipe:
    api: str
    operation_id: str
    status: int
    build: RecipeBuilder
    gap: str | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return self.api, self.operation_id, self.status


RECIPES: dict[tuple[str, str, int], Recipe] = {}


def register(api: str, operation_id: str, status: int, build: RecipeBuilder, gap: str | None = None) -> None:
    key = (api, operation_id, status)
    assert key not in RECIPES, f"two recipes for {key}"
    RECIPES[key] = Recipe(api, operation_id, status, build, gap)


def recipe(
    api: str, operation_id: str, status: int, gap: str | None = None
) -> Callable[[RecipeBuilder], RecipeBuilder]:
    def decorate(build: RecipeBuilder) -> RecipeBuilder:
        register(api, operation_id, status, build, gap)
        return build

    return decorate
