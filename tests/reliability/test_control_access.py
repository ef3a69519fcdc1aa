"""The control plane can be closed (issue 15, item 7), and slow headers are cut off (item 8)."""

from __future__ import annotations

import argparse
import socket
import time
from pathlib import Path

import jwt
import pytest
from starlette.testclient import TestClient

from mockserver import serving
from mockserver.app import create_app
from mockserver.cli import security
from mockserver.guard import Access
from mockserver.simulator import Simulator, state_sections
from mockserver.store import SqliteStore
from mockserver.world import World
from tests.conftest import make_sim

EVIL = {"Origin": "https://evil.example"}


@pytest.fixture
def sim(world: World) -> Simulator:
    return make_sim(world)


def test_a_control_token_closes_the_control_plane_but_not_health_or_the_apis(sim: Simulator) -> None:
    client = TestClient(create_app(sim, access=Access(token="s3cret")))
    assert client.get("/_sim/world").status_code == 401
    assert client.get("/_sim/world", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/_sim/reset", headers={"Authorization": "Basic s3cret"}).status_code == 401
    assert client.get("/_sim/world", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/_sim/health").status_code == 200
    assert client.get("/tachoshare/vehicles").status_code == 401  # the API's own answer, not the guard's
    assert client.get("/reveal/token", auth=("demo", "demo")).status_code == 200


def test_cross_origin_calls_to_the_control_plane_are_refused_and_change_nothing(sim: Simulator) -> None:
    client = TestClient(create_app(sim, access=Access(origins=frozenset({"https://qa.example"}))))
    before = client.get("/_sim/clock").json()
    refused = client.post("/_sim/clock/advance", json={"seconds": 3600}, headers=EVIL)
    assert refused.status_code == 403 and "evil.example" in refused.json()["description"]
    assert client.get("/_sim/clock").json() == before
    assert client.post("/_sim/reset", headers={"Origin": "http://testserver"}).status_code == 200  # its own origin
    assert client.post("/_sim/reset", headers={"Origin": "https://qa.example"}).status_code == 200  # allowed
    assert client.get("/tachoshare/vehicles", headers=EVIL).status_code == 401  # the APIs are not the guard's


def test_beyond_loopback_without_a_token_only_local_callers_reach_the_control_plane(sim: Simulator) -> None:
    app = create_app(sim, access=Access(loopback_only=True))
    assert TestClient(app, client=("203.0.113.7", 40000)).get("/_sim/world").status_code == 403
    assert TestClient(app, client=("203.0.113.7", 40000)).get("/_sim/health").status_code == 200
    assert TestClient(app, client=("127.0.0.1", 40000)).get("/_sim/world").status_code == 200
    assert TestClient(app, client=("::1", 40000)).get("/_sim/world").status_code == 200


def _args(**given: object) -> argparse.Namespace:
    defaults: dict[str, object] = {"host": "127.0.0.1", "control_token": None, "secret": None}
    defaults.update({"secret_from_seed": False, "state": None, "cors_origin": None})
    return argparse.Namespace(**{**defaults, **given})


def test_serve_closes_the_control_plane_when_bound_beyond_loopback() -> None:
    assert security.access_for(_args(host="0.0.0.0")).loopback_only
    assert not security.access_for(_args(host="0.0.0.0", control_token="t")).loopback_only
    assert not security.access_for(_args(host="127.0.0.1")).loopback_only
    assert not security.access_for(_args(host="localhost")).loopback_only
    assert "local callers only" in (security.access_note(Access(loopback_only=True), "0.0.0.0") or "")


def test_tokens_are_signed_with_a_secret_not_with_the_printed_seed(world: World) -> None:
    sim = make_sim(world)
    secret, _ = security.choose_secret(_args(), sim.store)
    other, _ = security.choose_secret(_args(), sim.store)
    assert secret and other and secret != other  # random by default
    sim.sign_with(secret)
    token = sim.oauth.issue_token().access_token
    seed_key = make_sim(world).oauth.tokens._key
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, seed_key, algorithms=["HS256"], options={"verify_aud": False, "verify_exp": False})
    forged = make_sim(world).oauth.issue_token().access_token  # what anyone with the seed can mint
    assert sim.principal(forged) is None
    assert sim.principal(token) is not None
    assert security.choose_secret(_args(secret_from_seed=True), sim.store)[0] is None
    assert security.choose_secret(_args(secret="given"), sim.store)[0] == "given"


def test_a_state_file_keeps_its_secret_across_restarts(tmp_path: Path) -> None:
    first = SqliteStore(tmp_path / "s.db", state_sections())
    secret, _ = security.choose_secret(_args(state=str(tmp_path / "s.db")), first)
    first.close()
    again = SqliteStore(tmp_path / "s.db", state_sections())
    assert security.choose_secret(_args(state=str(tmp_path / "s.db")), again)[0] == secret


def test_partial_headers_are_cut_off(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving, "HEADER_SECONDS", 0.5)
    server = serving.serve_in_thread(create_app(make_sim(world)))
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(b"GET /_sim/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            began = time.monotonic()
            assert sock.recv(1024) == b""  # closed by the server, not left open
            assert time.monotonic() - began < 25
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:  # a whole request still works
            sock.sendall(b"GET /_sim/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(1024).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()


def test_the_control_handle_sends_the_control_token(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    from mockserver.control.handle import Control

    monkeypatch.setenv("FLEETMOCK_CONTROL_TOKEN", "s3cret")
    server = serving.serve_in_thread(create_app(sim, access=Access(token="s3cret")))
    try:
        assert Control(server.base_url)._call("GET", "/clock")["rate"] == 0
    finally:
        server.stop()


def _tenant_secret(sim: Simulator, name: str) -> str:
    """The secret `sim` checks for the tenant's OAuth client (what `/token` compares against)."""
    (client,) = [c for c in sim.world.clients if c.client_id == f"{name}-client"]
    return client.secret


def test_tenant_client_secrets_derive_from_the_secret_not_from_the_printed_seed(world: World) -> None:
    from mockserver.tenants import client_secret

    signed = make_sim(world)
    signed.sign_with("one")
    _, handed, _ = signed.create_tenant("qa-team")
    seeded = client_secret(world.seed, "qa-team")  # what anyone who knows the printed seed can compute
    assert handed.secret != seeded and _tenant_secret(signed, "qa-team") == handed.secret
    again = make_sim(world)
    again.sign_with("one")  # instances given the same --secret agree
    assert again.create_tenant("qa-team")[1].secret == handed.secret
    other = make_sim(world)
    other.sign_with("two")
    assert other.create_tenant("qa-team")[1].secret != handed.secret
    before = make_sim(world)  # a tenant that exists before the secret is chosen (a state file's) follows it
    before.create_tenant("qa-team")
    before.sign_with("one")
    assert _tenant_secret(before, "qa-team") == handed.secret
    assert make_sim(world).create_tenant("qa-team")[1].secret == seeded  # --secret-from-seed: seed-stable, documented
