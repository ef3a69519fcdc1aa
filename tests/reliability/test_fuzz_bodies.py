"""Fuzz over the control plane's and OAuth's request bodies: oversized, deeply nested, wrong types, wrong content
types, odd bytes. Schemathesis's negative runs (`tests/conformance/test_schemathesis_asgi.py`) cover what the specs
describe; this adds what they cannot: nesting, size and framing. Never a 5xx (issue 15, item 5)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

ROUTES = [
    ("POST", "/_sim/faults"),
    ("PUT", "/_sim/state"),
    ("POST", "/_sim/tokens"),
    ("POST", "/_sim/tenants"),
    ("PUT", "/_sim/clock"),
    ("POST", "/_sim/clock/advance"),
    ("PUT", "/_sim/ratelimits"),
    ("POST", "/_sim/journal/count"),
    ("PUT", "/_sim/reveal/drivers/99/log"),
    ("POST", "/webfleet-auth/uaa/oauth/token"),
    ("POST", "/webfleet-auth/uaa/oauth/revoke"),
    ("POST", "/webfleet-auth/uaa/oauth/authorize"),
]
CONTENT_TYPES = [None, "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30), st.just("x" * 70_000)
)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
)


def _nested(depth: int, kind: str) -> bytes:
    """A JSON array or object nested `depth` levels deep."""
    if kind == "array":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


BODIES = st.one_of(
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.builds(_nested, st.integers(1, 50_000), st.sampled_from(["array", "object"])),
    st.binary(max_size=2_000),
    st.integers(0, 3_000).map(lambda n: "&".join(f"f{i}=v" for i in range(n)).encode()),
    st.just(b"grant_type=client_credentials&client_id=" + b"x" * 900_000),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(ROUTES), body=BODIES, content_type=st.sampled_from(CONTENT_TYPES))
def test_no_body_is_answered_with_a_server_error(
    client: TestClient, route: tuple[str, str], body: bytes, content_type: Any
) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    answer = client.request(route[0], route[1], content=body, headers=headers)
    sent = f"{route} {content_type} {body[:200]!r}"
    assert answer.status_code < 500, f"{sent} -> {answer.status_code} {answer.text[:300]}"
