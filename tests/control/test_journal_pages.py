"""`GET /_sim/journal?before=&limit=&bodies=false` (issue 14: the console's journal opens on its newest page without
bodies and pages back): `before` with `limit` is the page of entries just older than a sequence number, and
`bodies=false` is each entry without its bodies and headers, every other field the same."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import HealthCheck
from starlette.testclient import TestClient

from tests.conftest import bearer

BODIES = ("requestBody", "responseBody", "requestHeaders", "requestHeadersCut")


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.integers(1, 60), limit=st.integers(1, 30))
def test_before_and_limit_page_back_and_bodies_false_leaves_out_only_the_bodies(
    client: TestClient, before: int, limit: int
) -> None:
    client.delete("/_sim/journal")
    auth = bearer(client)
    for n in range(40):
        client.get(f"/tachoshare/vehicles/V{n}", headers=auth)
    whole = client.get("/_sim/journal").json()["entries"]
    cut = max(1, whole[0]["seq"] - 10 + before)  # before the first entry, among them, or just past the last
    page = client.get("/_sim/journal", params={"before": cut, "limit": limit}).json()["entries"]
    assert page == [e for e in whole if e["seq"] < cut][-limit:]
    brief = client.get("/_sim/journal", params={"before": cut, "limit": limit, "bodies": "false"}).json()["entries"]
    assert brief == [{k: v for k, v in e.items() if k not in BODIES} for e in page]
    assert all("responseBody" in e for e in page if e["path"].startswith("/tachoshare/vehicles/"))


def test_one_whole_entry_by_its_sequence_number(client: TestClient) -> None:
    client.get("/tachoshare/vehicles", headers=bearer(client))
    entries = client.get("/_sim/journal").json()["entries"]
    middle = entries[len(entries) // 2]
    assert client.get("/_sim/journal", params={"before": middle["seq"] + 1, "limit": 1}).json()["entries"] == [middle]
    assert client.get("/_sim/journal", params={"before": 0}).status_code == 400
