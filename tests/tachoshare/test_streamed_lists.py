"""Streamed lists (issue 13): a fleet of `STREAM_FROM` or more answers its lists in parts, each view made as it is
written, with the very bytes the whole answer had; a streamed answer is never held whole by the read cache."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.chain.base import Call
from mockserver.errors import Forbidden
from mockserver.principal import Principal
from mockserver.tachoshare import service as service_module
from mockserver.tachoshare import views
from mockserver.world import World
from tests.conftest import bearer, make_sim, vehicle_by_key

LISTS = ("/tachoshare/vehicles", "/tachoshare/drivers", "/tachoshare/vehicles")  # the last one: a read-cache miss


def _answers(client: TestClient, vin: str) -> list[tuple[int, bytes, str | None]]:
    out = []
    for step in range(3):
        headers = bearer(client)
        for path in LISTS:
            answer = client.get(path, headers=headers)
            out.append((answer.status_code, answer.content, answer.headers.get("content-length")))
        if step == 0:
            client.post(f"/tachoshare/vehicles/{vin}/rdl", headers=headers)
        client.post("/_sim/clock/advance", json={"seconds": 86400 * (step + 1)})
    return out


@pytest.mark.parametrize("strict", [False, True])
def test_streamed_lists_are_the_bytes_of_whole_ones(
    world: World, monkeypatch: pytest.MonkeyPatch, strict: bool
) -> None:
    whole_sim, streamed_sim = make_sim(world), make_sim(world)
    vin = vehicle_by_key(whole_sim, "ok-basic").vin
    whole = _answers(TestClient(create_app(whole_sim, strict=strict)), vin)
    monkeypatch.setattr(service_module, "STREAM_FROM", 1)
    monkeypatch.setattr(views, "STREAM_CHUNK", 4)  # several parts for the demo world's lists
    streamed = _answers(TestClient(create_app(streamed_sim, strict=strict)), vin)
    assert [(s, b) for s, b, _ in streamed] == [(s, b) for s, b, _ in whole]
    assert all(status == 200 for status, _, _ in whole)
    assert all(length is not None for _, _, length in whole)  # whole: one body with its length
    assert all(length is None for _, _, length in streamed)  # streamed: chunked, no length known up front


def test_a_large_list_is_lazy_but_its_access_check_is_not(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_module, "STREAM_FROM", 1)
    sim = make_sim(world)
    account = sim.default_account
    user = account.users[0].username
    service = sim.tachoshare
    with pytest.raises(Forbidden):
        service.vehicle_listing(Principal(account.name, user, "c", frozenset()))
    listing = service.vehicle_listing(Principal(account.name, user, "c", frozenset({"tachoshare"})))
    assert listing.kept is None and listing.lazy is not None
    views_made = list(listing.lazy)
    assert views_made == list(service.vehicles(Principal(account.name, user, "c", frozenset({"tachoshare"}))))


def test_parts_join_to_encoded_items(world: World) -> None:
    sim = make_sim(world)
    account = sim.default_account
    models = sim.tachoshare.vehicles(Principal(account.name, account.users[0].username, "c", frozenset({"tachoshare"})))

    async def parts(chunk: int) -> list[bytes]:
        return [part async for part in views.streamed_items(iter(models), views.vehicle_json, chunk)]

    for chunk in (1, 3, len(models), len(models) + 1):
        assert b"".join(asyncio.run(parts(chunk))) == views.encoded_items(models, views.vehicle_json)
    assert b"".join(asyncio.run(parts_of_nothing())) == b'{"items":[]}'


async def parts_of_nothing() -> list[bytes]:
    return [part async for part in views.streamed_items(iter(()), views.vehicle_json, 5)]


def test_the_read_cache_lets_go_of_a_streamed_answer(world: World) -> None:
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    sim = make_sim(world)
    call = Call(sim, {"type": "http"}, None, send, None)  # type: ignore[arg-type]
    call.kept = []
    messages = [
        {"type": "http.response.start", "status": 200, "headers": []},
        {"type": "http.response.body", "body": b"{", "more_body": True},
        {"type": "http.response.body", "body": b"}"},
    ]
    for message in messages:
        asyncio.run(call.forward(message))
    assert call.kept is None and sent == messages
    whole = Call(sim, {"type": "http"}, None, send, None)  # type: ignore[arg-type]
    whole.kept = []
    for message in (messages[0], {"type": "http.response.body", "body": b"{}"}):
        asyncio.run(whole.forward(message))
    assert whole.kept is not None and len(whole.kept) == 2
