"""`http.dumps` (issue 13): orjson's bytes are exactly what the standard library's compact encoder writes."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from mockserver.http import dumps, iso_instant
from tests.conftest import bearer
from tests.reveal.reveal_support import demo_headers


def _stdlib(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


# Floats below 1e-4 are the documented difference of form (orjson writes 0.00001 where json writes 1e-05).
floats = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f == 0 or abs(f) >= 1e-4)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | floats | st.text()
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30
)


@given(values)
def test_dumps_writes_the_bytes_of_the_standard_library(value: Any) -> None:
    assert dumps(value) == _stdlib(value)


def test_what_orjson_refuses_falls_back_to_the_standard_library() -> None:
    for value in ({1: "a", None: 2}, 2**70, [-(2**65)]):
        assert dumps(value) == _stdlib(value)


def test_every_list_the_demo_world_answers_is_the_standard_encoding(client: TestClient) -> None:
    headers = bearer(client)
    reveal = demo_headers(client)
    for path, auth in (
        ("/tachoshare/vehicles", headers),
        ("/tachoshare/drivers", headers),
        ("/tachoshare/companyCards", headers),
        ("/tachoshare/companyCardGroups", headers),
        ("/reveal/logbook/v1/driver/99/statuscurrent", reveal),
        ("/_sim/clock", {}),
        ("/_sim/world", {}),
    ):
        response = client.get(path, headers={**auth, "Accept": "application/json"})
        assert response.status_code == 200, (path, response.text)
        assert response.content == _stdlib(json.loads(response.content)), path


def test_an_encoding_holds_no_more_memory_than_its_length() -> None:
    """Kept encodings (a view each) must not keep orjson's whole write buffer (4 kB each before; issue 13)."""
    body = {"vin": "WDB12345678901234", "licensePlate": "AB-123-C", "manualAttemptsRemaining": 3}
    tracemalloc.start()
    try:
        kept = [dumps(body) for _ in range(1000)]
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 1000 * (len(kept[0]) + 200)  # the bytes, their header and the list's slot, not 4 kB each


@given(
    st.datetimes(
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=7))])
    )
)
def test_iso_instant_writes_what_strftime_wrote(moment: datetime) -> None:
    """`iso_instant` is made from `isoformat` (issue 13: one per vehicle of a list); the bytes are strftime's."""
    assert iso_instant(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
