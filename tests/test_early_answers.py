"""Reads the read cache holds, answered as soon as their headers are parsed (issue 13, `mockserver.chain.early` and
`TransportExposingProtocol._answer_early`): the same bytes, and every concern of the chain still applies to them
(the journal line, the trace ids, fault rules, rate limits, the clock).

Each test runs a real server (uvicorn, the project's protocol) and counts the requests that reach the chain: an
early answer never does. The comparison server has the same links plus one that does nothing, which turns early
answers off (they are made only for the default chain), so it answers every hit by the chain's replay.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from starlette.types import Receive, Scope, Send

from mockserver.app import create_app
from mockserver.chain import DEFAULT_CHAIN, Answer, Call, Setup
from mockserver.chain.readcache import ReadCache
from mockserver.faults import parse_rule
from mockserver.guard import Guard
from mockserver.ratelimit import RateLimitRule
from mockserver.serving import ThreadedServer, serve_in_thread
from mockserver.simulator import Simulator
from mockserver.world import World
from tests.conftest import make_sim

pytestmark = pytest.mark.live

LIST = "/tachoshare/vehicles"


class Counting:
    """The chain, counting the requests that reach it."""

    def __init__(self, app: Any) -> None:
        self.app, self.calls = app, 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.calls += 1
        await self.app(scope, receive, send)


class Passing:
    """A link that does nothing: a chain that is not the default one, so no answer is made early."""

    def __init__(self, setup: Setup) -> None:
        pass

    def enter(self, call: Call) -> Answer | None:
        return None


class Served:
    def __init__(self, world: World, *, early: bool = True) -> None:
        self.sim: Simulator = make_sim(world)
        chain = list(DEFAULT_CHAIN) if early else [Passing, *DEFAULT_CHAIN]
        app = create_app(self.sim, chain=chain)
        assert isinstance(app, Guard)
        self.chain = Counting(app.app)
        app.app = self.chain
        self.running: ThreadedServer = serve_in_thread(app)
        self.port = self.running.port

    def token(self) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("POST", "/_sim/tokens", body=b"{}", headers={"Content-Type": "application/json"})
            return str(json.loads(conn.getresponse().read())["access_token"])
        finally:
            conn.close()


@pytest.fixture
def served(world: World) -> Iterator[Served]:
    server = Served(world)
    yield server
    server.running.stop()


@pytest.fixture
def plain(world: World) -> Iterator[Served]:
    server = Served(world, early=False)
    yield server
    server.running.stop()


def _get(path: str, token: str, extra: str = "", version: str = "1.1") -> bytes:
    return (
        f"GET {path} HTTP/{version}\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Accept: application/json\r\n{extra}\r\n"
    ).encode()


class Connection:
    """A raw keep-alive connection: requests as bytes, answers as the bytes that came back (Date line blanked)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.reader = self.sock.makefile("rb")

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def answer(self) -> bytes:
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.reader.readline()
            assert line, "the connection closed before the answer's head ended"
            head += line
        match = re.search(rb"\r\ncontent-length: (\d+)\r\n", head)
        assert match is not None, head
        body = self.reader.read(int(match.group(1)))
        return re.sub(rb"\r\ndate: [^\r]*\r\n", b"\r\ndate: -\r\n", head) + body

    def ask(self, data: bytes) -> bytes:
        self.send(data)
        return self.answer()

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _reveal_token(server: Served) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        basic = "Basic " + base64.b64encode(b"demo:demo").decode()
        conn.request("GET", "/reveal/token", headers={"Authorization": basic})
        return conn.getresponse().read().decode()
    finally:
        conn.close()


def _atmosphere(token: str) -> str:
    return f"Atmosphere atmosphere_app_id=fleetmatics-p-us-DEMOAPPID, Bearer {token}"


def _raw(path: str, authorization: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {authorization}\r\n\r\n".encode()


def test_reads_are_answered_before_the_chain_in_the_bytes_the_chain_gives(served: Served, plain: Served) -> None:
    """Every read the fast lane serves, made early the first time and then held by the read cache, byte for byte the
    chain's answers; an error (an unknown VIN) is the chain's to answer, as before."""
    token = served.token()
    assert token == plain.token()  # tokens come from the seed and the request sequence
    reveal = _reveal_token(served)
    assert reveal == _reveal_token(plain)
    vin = served.sim.world.accounts[0].vehicles[0].vin
    logbook = "/reveal/logbook/v1/driver/99"
    reads = [
        (LIST, f"Bearer {token}"),
        (f"{LIST}/{vin}", f"Bearer {token}"),
        ("/tachoshare/drivers", f"Bearer {token}"),
        (f"{logbook}/statuscurrent", _atmosphere(reveal)),
        (f"{logbook}/remainingtime", _atmosphere(reveal)),
    ]
    answers = {}
    for server in (served, plain):
        conn = Connection(server.port)
        try:
            answers[server] = [conn.ask(_raw(path, auth)) for _ in range(2) for path, auth in reads]
            assert server.chain.calls == (2 if server is served else 2 + 2 * len(reads))  # served: the tokens
            answers[server].append(conn.ask(_raw(f"{LIST}/NOSUCHVIN0000000", f"Bearer {token}")))
        finally:
            conn.close()
    assert served.chain.calls == 3  # the unknown VIN went through the chain
    assert plain.chain.calls == 3 + 2 * len(reads)
    assert [_status(a) for a in answers[served]] == [200] * 2 * len(reads) + [404]
    assert answers[served] == answers[plain]
    assert answers[served][: len(reads)] == answers[served][len(reads) : 2 * len(reads)]
    assert len(_cache(served).answers) == len(reads)  # each made once, then held


def _cache(server: Served) -> ReadCache:
    return next(link for link in server.chain.app.links if isinstance(link, ReadCache))


def _comparable(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry without what differs between two servers anyway: times, and the Host header (its port)."""
    headers = {k: v for k, v in entry["requestHeaders"].items() if k != "host"}
    return {**{k: v for k, v in entry.items() if k not in ("wallTime", "durationMs")}, "requestHeaders": headers}


def test_an_early_answer_is_journaled_and_counted_as_the_chain_would(served: Served, plain: Served) -> None:
    """Every field of each entry but the wall time and the duration; the trace ids show each hit drew its own."""
    entries = {}
    for server in (served, plain):
        token = server.token()
        conn = Connection(server.port)
        try:
            for path, credential in ((LIST, token), (LIST, token), (LIST, "nope"), (LIST, token)):
                conn.ask(_get(path, credential, extra="X-Custom: kept\r\n"))
        finally:
            conn.close()
        entries[server] = [_comparable(entry.to_json()) for entry in server.sim.journal.entries()]
    assert served.chain.calls == 2  # the token and the refused read: the three others were answered early
    assert entries[served] == entries[plain]
    reads = [e for e in entries[served] if e["path"] == LIST]
    assert [e["status"] for e in reads] == [200, 200, 401, 200]
    assert len({e["traceId"] for e in reads}) == 4
    assert reads[1]["responseBody"] == reads[0]["responseBody"]
    assert reads[1]["requestHeaders"]["x-custom"] == "kept"


def test_a_fault_rule_that_matches_a_held_read_sends_it_to_the_chain(served: Served) -> None:
    """A rule that fires from its second match: the first read counts a match and is kept by the read cache, the
    second has a held answer but a matching rule, so the chain counts it and the rule answers 503."""
    with served.sim.store.write():
        served.sim.faults.add(parse_rule({"match": {"path": "/vehicles"}, "after": 1, "respond": {"status": 503}}))
    token = served.token()
    conn = Connection(served.port)
    try:
        first, second = conn.ask(_get(LIST, token)), conn.ask(_get(LIST, token))
    finally:
        conn.close()
    assert (_status(first), _status(second)) == (200, 503)
    assert served.sim.faults.matches == {"fault-1": 2}
    assert served.sim.journal.entries()[-1].fault == "fault-1"


def test_early_answers_take_from_the_callers_bucket_and_a_refusal_is_the_chains_429(served: Served) -> None:
    with served.sim.store.write():
        served.sim.rate_limits.rules.append(RateLimitRule(api="tachoshare", per="token", rate=0.001, burst=2))
    token = served.token()
    conn = Connection(served.port)
    try:
        answers = [conn.ask(_get(LIST, token)) for _ in range(3)]
    finally:
        conn.close()
    assert [_status(a) for a in answers] == [200, 200, 429]
    assert served.chain.calls == 2  # the token and the refused third: the first two were answered early
    assert b"retry-after: " in answers[2]


def test_a_clock_move_is_never_answered_from_before_it(served: Served) -> None:
    token = served.token()
    vin = served.sim.world.accounts[0].vehicles[0].vin
    start = served.sim.clock.now()
    conn = Connection(served.port)
    try:
        conn.ask(_get(f"{LIST}/{vin}", token))
        conn.ask(_get(f"{LIST}/{vin}", token))
        served.sim.clock.set(start + timedelta(seconds=1))
        moved = conn.ask(_get(f"{LIST}/{vin}", token))
    finally:
        conn.close()
    assert _status(moved) == 200
    instants = [key[-2] for key in _cache(served).answers.held_keys()]
    assert instants == [start, start + timedelta(seconds=1)]  # made again at the new instant, not remembered
    journaled = [e.simulated for e in served.sim.journal.entries() if e.path != "/_sim/tokens"]
    assert journaled == [start, start, instants[1]]


def test_pipelined_reads_keep_their_order_and_closing_connections_get_whole_answers(served: Served) -> None:
    token = served.token()
    vin = served.sim.world.accounts[0].vehicles[0].vin
    conn = Connection(served.port)
    try:
        held = conn.ask(_get(LIST, token))
        conn.send(_get(LIST, token) + _get(f"{LIST}/{vin}", token) + _get(LIST, token))
        pipelined = [conn.answer() for _ in range(3)]
    finally:
        conn.close()
    assert pipelined[0] == held and pipelined[2] == held
    assert _status(pipelined[1]) == 200 and json.loads(pipelined[1].split(b"\r\n\r\n", 1)[1])["items"][0]["vin"] == vin
    for request in (_get(LIST, token, version="1.0"), _get(LIST, token, extra="Connection: close\r\n")):
        conn = Connection(served.port)
        try:
            answer = conn.ask(request)
            assert conn.reader.read() == b""  # then closed
        finally:
            conn.close()
        assert answer.split(b"\r\n\r\n", 1)[1] == held.split(b"\r\n\r\n", 1)[1]
