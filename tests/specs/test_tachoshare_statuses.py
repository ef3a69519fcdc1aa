"""The statuses every TachoShare operation declares (issue 17, item 8): "All endpoints can throw an error with code
40x", declared wherever the server can send them, and never narrower than what it does send.

The statuses are not listed here: the test exercises every operation of `specs/tachoshare.yaml` (every vehicle
and a driver in each RDL state of the demo account, without a token, without scopes, with a foreign Accept, with
unknown and foreign identifiers, with every declared query parameter set to values the server must refuse or must
not find data for, repeated manual RDLs, a drained rate-limit bucket), on the lenient server and on the strict one,
and compares what came back with what the spec declares. The guard's statuses (408/413/414/431/503, the same on
every route of every spec) are proved by `tests/conformance/test_declared_statuses.py`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from mockserver.tachoshare import errors
from mockserver.world import World

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "specs" / "tachoshare.yaml").read_text())
GUARD = {"408", "413", "414", "431", "503"}  # answered by the guard before any route, declared alike everywhere
FILE_ACCEPT = "application/octet-stream, application/json"
Observed = dict[str, set[str]]
Texts = dict[int, set[str]]


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield method.upper(), path, operation


def _query_names(operation: dict[str, Any]) -> list[str]:
    params = [p if "$ref" not in p else _ref(p["$ref"]) for p in operation.get("parameters", [])]
    return [p["name"] for p in params if p["in"] == "query"]


def _ref(ref: str) -> dict[str, Any]:
    node: Any = SPEC
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


class Prober:
    """Sends requests to one app and records, per operationId, every status that came back."""

    def __init__(self, client: TestClient, today: date) -> None:
        self.client, self.today = client, today
        self.seen: Observed = defaultdict(set)
        self.texts: Texts = defaultdict(set)  # every error description, by status
        self.accounts = {a["name"]: a for a in client.get("/_sim/world").json()["accounts"]}

    def token(self, **body: Any) -> dict[str, str]:
        answer = self.client.post("/_sim/tokens", json=body)
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def send(self, op: str, method: str, url: str, headers: dict[str, str], params: dict[str, str]) -> None:
        answer = self.client.request(method, url, headers={"Accept": FILE_ACCEPT, **headers}, params=params)
        self.seen[op].add(str(answer.status_code))
        if answer.status_code >= 400:
            self.texts[answer.status_code].add(answer.json()["description"])

    def identifiers(self, path: str) -> list[dict[str, str]]:
        """Path parameters for `path`: every vehicle (or a driver in each state) of the demo account, one of another
        account, and an identifier nobody has."""
        demo, other = self.accounts["demo"], self.accounts["acme"]
        if "{vin}" in path:
            vins = [v["vin"] for v in demo["vehicles"]] + [other["vehicles"][0]["vin"], "ABCDEFGH0123456789"]
            return [{"vin": vin} for vin in vins]
        if "{cardNumber}" in path:  # card files are costly to build: one driver per RDL state the list shows
            listed = self.client.get("/tachoshare/drivers", headers=self.token(account="demo")).json()["items"]
            each_state = list({d["rdlStatus"]: d for d in listed}.values())
            drivers = [*each_state, other["drivers"][0], {"cardNumber": "X0000000000000", "countryCode": "0x0F"}]
            return [{"cardNumber": d["cardNumber"], "countryCode": d["countryCode"]} for d in drivers]
        return [{}]

    def query_variants(self, names: list[str]) -> list[dict[str, str]]:
        """No parameter, an unknown one, and each declared one alone or in pairs at values to refuse or to find
        nothing for: empty, not a date, far in the past, in the future, a range over two years, a reversed range."""
        today, variants = self.today, [{}, {"page": "2"}]
        for name in names:
            variants += [{name: value} for value in ("", "x", "0x00", "DDD", "ddd", "TGD", "1999-01-01")]
            variants.append({name: str(today + timedelta(days=30))})
        froms = [n for n in names if n.endswith("-from")]
        for start in froms:
            end = start.replace("-from", "-to")
            for low, high in ((today - timedelta(days=3 * 365), today), (today, today - timedelta(days=5))):
                variants.append({start: str(low), end: str(high)})
            variants.append({start: "2000-01-01", end: "2000-01-31"})
        return variants

    def last_week(self, names: list[str]) -> dict[str, str]:
        ends = {n: str(self.today - timedelta(days=6)) for n in names if n.endswith("-from")}
        return ends | {n: str(self.today) for n in names if n.endswith("-to")}

    def exercise(self, method: str, path: str, operation: dict[str, Any], *, lenient: bool) -> None:
        op, demo = operation["operationId"], self.token(account="demo")
        first, *others = self.identifiers(path)
        week = self.last_week(_query_names(operation))  # each file request short: its answer is built
        for ids in [first, *others] if lenient else [first]:  # each vehicle or driver as it is
            url, base = self.target(path, ids)
            for _ in range(6 if method == "POST" else 1):  # manual RDLs until the refusals come
                self.send(op, method, url, demo, {**base, **week})
        url, base = self.target(path, first)
        variants = self.query_variants(_query_names(operation)) if lenient else [{"page": "2"}]
        for params in variants:
            self.send(op, method, url, demo, {**base, **params})
        if lenient:
            self.send(op, method, url, {}, base)
            self.send(op, method, url, {"Authorization": "Bearer nonsense"}, base)
            self.send(op, method, url, self.token(account="demo", scopes=[]), base)
            for accept in ("text/html", "application/json", "application/xml;q=0, */*;q=0"):
                self.send(op, method, url, {**demo, "Accept": accept}, base)
            self.drain(op, method, url, demo, base)

    @staticmethod
    def target(path: str, ids: dict[str, str]) -> tuple[str, dict[str, str]]:
        return "/tachoshare" + path.format(**ids), {"countryCode": ids["countryCode"]} if "countryCode" in ids else {}

    def drain(self, op: str, method: str, url: str, headers: dict[str, str], params: dict[str, str]) -> None:
        rule = {"api": "tachoshare", "per": "token", "rate": 0.001, "burst": 1}
        assert self.client.put("/_sim/ratelimits", json={"rules": [rule]}).status_code == 200
        for _ in range(2):
            self.send(op, method, url, headers, params)
        assert self.client.put("/_sim/ratelimits", json={"rules": []}).status_code == 200


def _observe(sim: Simulator, app: Any, strict: bool) -> Prober:
    sim.reset()
    with TestClient(app, raise_server_exceptions=False) as client:
        prober = Prober(client, sim.clock.now().date())
        for method, path, operation in _operations():
            prober.exercise(method, path, operation, lenient=not strict)
    sim.reset()
    return prober


@pytest.fixture(scope="module")
def probed(world: World, _session_app: tuple[Simulator, Any]) -> tuple[Prober, Prober]:
    """The lenient server (the default) and the strict one (`--strict`, the session's app: unknown parameters
    refused, answers validated), exercised."""
    lenient_sim = Simulator(world, SimClock(world.start, rate=0))
    return _observe(lenient_sim, create_app(lenient_sim, strict=False), strict=False), _observe(*_session_app, True)


@pytest.fixture(scope="module")
def observed(probed: tuple[Prober, Prober]) -> Observed:
    """What either server answered, per operationId."""
    lenient, strict = probed[0].seen, probed[1].seen
    return {op: lenient.get(op, set()) | strict.get(op, set()) for op in {*lenient, *strict}}


@pytest.mark.parametrize("method,path", [(m, p) for m, p, _ in _operations()])
def test_every_status_the_server_sends_is_declared_there(method: str, path: str, observed: Observed) -> None:
    operation = SPEC["paths"][path][method.lower()]
    declared, sent = set(operation["responses"]), observed[operation["operationId"]]
    assert sent <= declared, f"{method} {path} sends {sorted(sent - declared)} that its spec does not declare"
    # and no status the server cannot send (but the guard's, which every route can send)
    assert declared - GUARD <= sent, f"{method} {path} declares {sorted(declared - GUARD - sent)} it never sends"


def test_the_probes_reach_every_kind_of_answer(observed: Observed) -> None:
    """Not vacuous: the exercise provokes each status the reference's response-code table names for the API."""
    reached = set().union(*observed.values())
    assert {"200", "204", "400", "401", "403", "404", "406", "409", "429"} <= reached, sorted(reached)


def test_every_refusal_carries_its_status_s_text(probed: tuple[Prober, Prober]) -> None:
    """Issue 17, item 7, whatever the cause: each status's description is the reference's text, and every 400 starts
    with the reference's message (or is its generation-change text)."""
    texts: Texts = defaultdict(set)
    for prober in probed:
        for status, descriptions in prober.texts.items():
            texts[status] |= descriptions
    fixed = {401: errors.UNAUTHORIZED, 403: errors.FORBIDDEN, 404: errors.NOT_FOUND, 406: errors.NOT_ACCEPTABLE}
    for status, text in {**fixed, 429: errors.TOO_MANY_REQUESTS}.items():
        assert texts[status] == {text}, (status, texts[status])
    assert len(texts[400]) > 10  # many causes
    for description in texts[400]:
        assert description.startswith((errors.BAD_REQUEST + ": ", "A different tachograph generation")), description
