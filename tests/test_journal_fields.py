"""Request verification on header values and body fields (issue 18): `headers` and `body` in a journal match, the
bounds the journal keeps them within, and what a match says of what it cannot see."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.journal import HEADER_VALUE_LIMIT, HEADERS_LIMIT, JournalEntry, kept_headers
from mockserver.journal_match import JournalMatch
from tests.conftest import bearer

OAUTH = "/webfleet-auth/uaa/oauth"
FAULT = {"match": {"api": "tachoshare", "path": "/drivers"}, "times": 2, "respond": {"status": 503}}


def _traffic(client: TestClient) -> None:
    client.delete("/_sim/journal")
    demo = bearer(client)
    client.post("/_sim/faults", json=FAULT, headers={"X-Client": "qa-suite"})
    client.get("/tachoshare/vehicles", headers={**demo, "X-Client": "fleet-sync", "Accept": "application/json"})
    client.get("/tachoshare/vehicles", headers={**demo, "x-client": "other"})
    client.post(f"{OAUTH}/revoke", data={"token": "abc", "token_type_hint": "refresh_token"},
                auth=("demo-partner", "nope"))


def _count(client: TestClient, match: dict[str, Any]) -> int:
    response = client.post("/_sim/journal/count", json={"match": match})
    assert response.status_code == 200, response.text
    found = client.post("/_sim/journal/find", json={"match": match}).json()["entries"]
    assert len(found) == response.json()["count"]
    return int(response.json()["count"])


@pytest.mark.parametrize(
    ("match", "count"),
    [
        ({"headers": {"X-CLIENT": "fleet-sync"}}, 1),  # names in any case, values exact
        ({"headers": {"x-client": "fleet"}}, 0),
        ({"headers": {"x-client": {"glob": "*"}}}, 3),
        ({"api": "tachoshare", "headers": {"x-client": {"glob": "fleet-*"}, "accept": "application/json"}}, 1),
        ({"api": "tachoshare", "headers": {"accept": "*/*"}}, 1),
        ({"headers": {"x-client": {"absent": True}}}, 2),  # the token and the revocation
        ({"headers": {"authorization": {"glob": "Basic *"}}}, 1),
        ({"body": {"match.path": "/drivers", "/times": 2}}, 1),  # a dotted path and a JSON pointer
        ({"body": {"/match/api": "tachoshare", "respond.status": 503.0}}, 1),  # 503 is 503.0 in JSON
        ({"body": {"times": True}}, 0),  # but true is not 1
        ({"body": {"match": {"api": "tachoshare", "path": "/drivers"}}}, 1),  # a whole object
        ({"body": {"token_type_hint": "refresh_token", "/token": "abc"}}, 1),  # form fields
        ({"body": {"token": "abd"}}, 0),
    ],
)
def test_headers_and_body_fields_match_as_declared(client: TestClient, match: dict[str, Any], count: int) -> None:
    _traffic(client)
    assert _count(client, match) == count


def test_the_journal_shows_the_headers_it_keeps(client: TestClient) -> None:
    _traffic(client)
    entry = client.post("/_sim/journal/find", json={"match": {"headers": {"x-client": "fleet-sync"}}}).json()
    headers = entry["entries"][0]["requestHeaders"]
    assert headers["x-client"] == "fleet-sync" and headers["authorization"].startswith("Bearer ")
    assert "requestHeadersCut" not in entry["entries"][0]


def test_near_misses_show_the_header_and_body_differences(client: TestClient) -> None:
    _traffic(client)
    match = {"method": "POST", "path": "/_sim/faults", "headers": {"X-Client": "ci"}, "body": {"match.path": "/x"}}
    found = client.post("/_sim/journal/find", json={"match": match, "nearMisses": 1}).json()
    assert found["entries"] == []
    assert found["nearMisses"][0]["mismatches"] == [
        "header x-client: 'qa-suite', wanted 'ci'",
        'body match.path: "/drivers", wanted "/x"',
    ]


def _entry(body: str | None = None, headers: tuple[tuple[str, str], ...] = (), **fields: Any) -> JournalEntry:
    return JournalEntry(1, datetime(2026, 1, 1, tzinfo=UTC), 0.0, "control", "POST", "/_sim/x", "", 200, None,
                        None, None, "t", 1.0, request_body=body, headers=headers, **fields)


def test_what_a_match_cannot_see_it_says_and_never_matches() -> None:
    cut = _entry('{"a": 1, "b": "' + "x" * 3000, (("content-type", "application/json"),), request_cut=True)
    assert JournalMatch(body={"a": 1}).mismatches(cut) == [
        "body a: not kept (the body is longer than the 2 KiB the journal keeps), wanted 1"
    ]
    assert JournalMatch(body={"a": 1}).mismatches(_entry(None)) == ["body a: no body, wanted 1"]
    assert JournalMatch(body={"a": 1}).mismatches(_entry("<xml/>", (("content-type", "text/xml"),))) == [
        "body a: not JSON or a form (text/xml), wanted 1"
    ]
    lost = _entry(headers=(("host", "x"),), headers_cut=True)
    assert JournalMatch(headers={"x-late": {"absent": True}}).mismatches(lost) == [
        "header x-late: not kept (the journal keeps 2 KiB of headers), wanted absent"
    ]


def test_the_journal_keeps_headers_within_their_bounds() -> None:
    raw = [(b"Host", b"h"), (b"Cookie", b"c" * 5000)] + [(f"X-{n}".encode(), b"v" * 400) for n in range(20)]
    kept, cut = kept_headers(raw)
    assert cut and kept[0] == ("host", "h")
    assert kept[1] == ("cookie", "c" * (HEADER_VALUE_LIMIT - 3) + "...")
    assert sum(len(n) + len(v) for n, v in kept) <= HEADERS_LIMIT
    assert kept_headers([(b"A", b"1"), (b"a", b"2")]) == ((("a", "1"), ("a", "2")), False)


@pytest.mark.parametrize(
    ("match", "says"),
    [
        ({"headers": {"x": 5}}, "match.headers"),
        ({"headers": {"x": {"regex": ".*"}}}, "match.headers"),
        ({"headers": {"x": {"absent": False}}}, "match.headers"),
        ({"headers": {" ": "v"}}, "header name"),
        ({"body": {"": 1}}, "not empty"),
        ({"body": {"/a~2": 1}}, "JSON pointer"),
        ({"body": {f"f{n}": n for n in range(33)}}, "match.body"),
        ({"body": []}, "match.body"),
    ],
)
def test_a_bad_header_or_body_match_is_a_400(client: TestClient, match: dict[str, Any], says: str) -> None:
    for route in ("/_sim/journal/count", "/_sim/journal/find"):
        response = client.post(route, json={"match": match})
        assert response.status_code == 400 and says in response.json()["description"], response.text


# -- the matcher's invariants -----------------------------------------------------------------------------------

KEYS = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=6)
SCALARS = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=8)
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                         max_leaves=12)


def _leaves(document: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(document, dict) and document:
        return [leaf for key, value in document.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(document, list) and document:
        return [leaf for i, value in enumerate(document) for leaf in _leaves(value, (*path, str(i)))]
    return [(path, document)]


def _json_entry(document: Any) -> JournalEntry:
    return _entry(json.dumps(document), (("content-type", "application/json"),))


@given(st.dictionaries(KEYS, DOCUMENTS, min_size=1, max_size=4), st.data())
def test_every_field_of_a_body_matches_itself_and_nothing_else(document: dict[str, Any], data: Any) -> None:
    entry = _json_entry(document)
    path, value = data.draw(st.sampled_from(_leaves(document)))
    pointer, dotted = "/" + "/".join(path), ".".join(path)
    assert JournalMatch(body={pointer: value, dotted: value}).mismatches(entry) == []
    other = data.draw(SCALARS.filter(lambda v: json.dumps(v) != json.dumps(value)))
    assert len(JournalMatch(body={pointer: other}).mismatches(entry)) == 1
    assert len(JournalMatch(body={pointer + "/missing": value}).mismatches(entry)) == 1


@given(st.lists(st.tuples(KEYS, st.text(st.characters(codec="ascii"), max_size=10)), max_size=6), st.data())
def test_header_names_match_in_any_case_and_values_exactly(pairs: list[tuple[str, str]], data: Any) -> None:
    headers, cut = kept_headers([(n.encode(), v.encode()) for n, v in pairs])
    entry = _entry(headers=headers)
    assert not cut
    for name, value in pairs:
        spelled = data.draw(st.sampled_from([name, name.upper(), name.lower()]))
        assert JournalMatch(headers={spelled: value}).mismatches(entry) == []
        assert JournalMatch(headers={spelled: {"glob": "*"}}).mismatches(entry) == []
        assert len(JournalMatch(headers={spelled: {"absent": True}}).mismatches(entry)) == 1
        assert len(JournalMatch(headers={spelled: value + "\x7f"}).mismatches(entry)) == 1


def test_a_shared_journal_keeps_the_headers_and_the_cut() -> None:
    from mockserver.stores.shared import _entry as from_text
    from mockserver.stores.shared import _entry_text as as_text

    entry = _entry('{"a": 1}', (("content-type", "application/json"), ("x-a", "1")), request_cut=True,
                   headers_cut=True)
    assert from_text(1, as_text(entry)) == entry
