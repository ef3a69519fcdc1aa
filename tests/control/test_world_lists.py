"""`GET /_sim/world/accounts` and `GET /_sim/world/accounts/{account}/{name}` (issue 14: the console's pickers search
a 10,000-driver account on the server): the brief names every list with its length, and a list searched and paged
is exactly `GET /_sim/world`'s list filtered (any case, any text field) and sliced, in the same order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import HealthCheck
from starlette.testclient import TestClient

LISTS = ("users", "vehicles", "drivers", "companyCards", "revealDrivers", "revealUsers")
SUPPRESS = [HealthCheck.function_scoped_fixture]


def _world(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/_sim/world").json())


def test_the_brief_names_each_account_and_the_length_of_each_list(client: TestClient) -> None:
    world = _world(client)
    brief = client.get("/_sim/world/accounts").json()
    assert brief["now"] == world["now"]
    assert [a["name"] for a in brief["accounts"]] == [a["name"] for a in world["accounts"]]
    for shown, whole in zip(brief["accounts"], world["accounts"], strict=True):
        lists = {k: len(v) for k, v in whole.items() if isinstance(v, list)}
        assert shown["sizes"] == lists and set(lists) == set(LISTS)
        assert shown["companyName"] == whole["companyName"]


def _needles(client: TestClient) -> list[str]:
    """Parts of real values (names, VINs, card numbers) in mixed case, and a few that match nothing."""
    found = []
    for account in _world(client)["accounts"][:2]:
        for name in LISTS:
            for item in account[name][:3]:
                text = str(next(iter(item.values())))
                found += [text[1:5].lower(), text[-4:].upper()]
    return [*found, "van", "BERG", "zzz-none", ""]


@settings(max_examples=60, suppress_health_check=SUPPRESS)
@given(data=st.data(), index=st.integers(0, 1), name=st.sampled_from(LISTS),
       offset=st.integers(0, 30), limit=st.integers(1, 40))  # fmt: skip
def test_a_list_searched_and_paged_is_the_world_s_list_filtered_and_sliced(
    client: TestClient, data: st.DataObject, index: int, name: str, offset: int, limit: int
) -> None:
    account = _world(client)["accounts"][index]
    needle = data.draw(st.sampled_from(_needles(client)))
    params = {"search": needle, "offset": offset, "limit": limit}
    answer = client.get(f"/_sim/world/accounts/{account['name']}/{name}", params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    texts = (str, int, float)
    matching = [i for i in account[name] if any(needle.lower() in str(v).lower() for v in i.values()
                                                 if isinstance(v, texts) and not isinstance(v, bool))]  # fmt: skip
    assert body == {"account": account["name"], "list": name, "total": len(matching), "offset": offset,
                    "limit": limit, "items": matching[offset : offset + limit]}  # fmt: skip


def test_keys_pick_items_by_their_identifier(client: TestClient) -> None:
    vehicles = _world(client)["accounts"][0]["vehicles"]
    keys = [vehicles[5]["vin"], vehicles[2]["vin"], "NOSUCHVIN"]
    body = client.get("/_sim/world/accounts/demo/vehicles", params={"keys": ",".join(keys)}).json()
    assert body["items"] == [vehicles[2], vehicles[5]] and body["total"] == 2  # the world's order


def test_the_lists_move_with_the_clock_as_the_world_does(client: TestClient) -> None:
    client.post("/_sim/clock/advance", json={"seconds": 366 * 86400})
    whole = _world(client)["accounts"][0]["vehicles"]
    assert client.get("/_sim/world/accounts/demo/vehicles", params={"limit": 500}).json()["items"] == whole


def test_bad_asks_are_clear_4xx_and_change_nothing(client: TestClient) -> None:
    before = _world(client)
    cases = {
        "/_sim/world/accounts/nobody/drivers": 404,
        "/_sim/world/accounts/demo/trucks": 404,
        "/_sim/world/accounts/demo/companyName": 404,  # a field, not a list
        "/_sim/world/accounts/demo/drivers?limit=0": 400,
        "/_sim/world/accounts/demo/drivers?limit=501": 400,
        "/_sim/world/accounts/demo/drivers?offset=-1": 400,
        "/_sim/world/accounts/demo/drivers?search=" + "x" * 101: 400,
    }
    for path, status in cases.items():
        answer = client.get(path)
        assert answer.status_code == status, (path, answer.text)
        assert answer.json()["description"]
    assert _world(client) == before
