"""`GET /_sim/world/accounts/{account}/{list}?state=tachoshare&status=...` (issue 14: the console's fleet, drivers
and company cards tables page a 10,000-vehicle fleet on the server, filtered by status there, since TachoShare's
lists have no paging): each item of a page carries exactly what TachoShare's list answers about it at that instant,
`status` keeps exactly the items TachoShare answers in that status, in the world's order, and the state follows the
clock and the API's writes (a manual RDL). Bad asks are 400s that change nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import HealthCheck
from starlette.testclient import TestClient

from mockserver.apis import registry
from tests.conftest import bearer

# world list -> (TachoShare's list route, the identifier field, the status field)
LISTS = {
    "vehicles": ("/tachoshare/vehicles", "vin", "rdlStatus"),
    "drivers": ("/tachoshare/drivers", "cardNumber", "rdlStatus"),
    "companyCards": ("/tachoshare/companyCards", "cardNumber", "status"),
}
SUPPRESS = [HealthCheck.function_scoped_fixture]


def _answers(client: TestClient, name: str, account: str = "demo") -> dict[str, dict[str, Any]]:
    """TachoShare's own answer for every item of the list (the account's full-view user), by identifier."""
    route, key, _ = LISTS[name]
    answer = client.get(route, headers={**bearer(client, account=account), "Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    return {item[key]: item for item in answer.json()["items"]}


def _page(client: TestClient, name: str, account: str = "demo", **params: Any) -> dict[str, Any]:
    answer = client.get(f"/_sim/world/accounts/{account}/{name}", params={"state": "tachoshare", **params})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _world_list(client: TestClient, name: str, account: str = "demo") -> list[dict[str, Any]]:
    answer = client.get(f"/_sim/world/accounts/{account}/{name}", params={"limit": 500})
    return list(answer.json()["items"])


@settings(max_examples=25, suppress_health_check=SUPPRESS, deadline=None)
@given(name=st.sampled_from(sorted(LISTS)), offset=st.integers(0, 70), limit=st.integers(1, 60),
       index=st.integers(0, 1))  # fmt: skip
def test_each_item_carries_what_tachoshare_answers_about_it(
    client: TestClient, name: str, offset: int, limit: int, index: int
) -> None:
    account = client.get("/_sim/world/accounts").json()["accounts"][index]["name"]
    answers = _answers(client, name, account)
    world = _world_list(client, name, account)
    body = _page(client, name, account, offset=offset, limit=limit)
    _, key, _ = LISTS[name]
    expected = [{**item, "tachoshare": answers[item[key]]} for item in world[offset : offset + limit]]
    assert body["items"] == expected and body["total"] == len(world)


def test_a_status_keeps_exactly_the_items_tachoshare_answers_in_it_in_the_world_s_order(client: TestClient) -> None:
    for name, (_, key, field) in LISTS.items():
        answers = _answers(client, name)
        world = _world_list(client, name)
        offered = registry().world_states(name)["tachoshare"].values
        seen = {a[field] for a in answers.values()}
        assert seen <= set(offered) and len(seen) >= 2, (name, seen)  # the filter has something to tell apart
        for status in offered:
            matching = [{**i, "tachoshare": answers[i[key]]} for i in world if answers[i[key]][field] == status]
            whole = _page(client, name, status=status, limit=500)
            assert whole["items"] == matching and whole["total"] == len(matching), (name, status)
            if len(matching) > 2:  # and a page of them is a slice of them
                assert _page(client, name, status=status, offset=1, limit=2)["items"] == matching[1:3]


def test_a_status_and_a_search_together_keep_the_items_that_pass_both(client: TestClient) -> None:
    answers = _answers(client, "vehicles")
    world = _world_list(client, "vehicles")
    status = answers[world[0]["vin"]]["rdlStatus"]
    needle = world[0]["vin"][-2:].lower()
    body = _page(client, "vehicles", status=status, search=needle, limit=500)
    expected = [i["vin"] for i in world if needle in " ".join(str(v).lower() for v in i.values())
                and answers[i["vin"]]["rdlStatus"] == status]  # fmt: skip
    assert [i["vin"] for i in body["items"]] == expected and world[0]["vin"] in expected


def test_the_state_follows_the_clock_and_a_manual_rdl(client: TestClient) -> None:
    headers = {**bearer(client), "Accept": "application/json"}
    before = _page(client, "vehicles", limit=500)["items"]
    asked = ((v, client.post(f"/tachoshare/vehicles/{v['vin']}/rdl", headers=headers).status_code) for v in before)
    requested = next(v for v, status in asked if status == 200)  # the first vehicle TachoShare takes a request for
    after = {v["vin"]: v["tachoshare"] for v in _page(client, "vehicles", limit=500)["items"]}
    assert after[requested["vin"]] == _answers(client, "vehicles")[requested["vin"]]
    assert after[requested["vin"]]["manualAttemptsRemaining"] == requested["tachoshare"]["manualAttemptsRemaining"] - 1

    statuses = {v["vin"]: v["tachoshare"]["rdlStatus"] for v in before}
    client.post("/_sim/clock/advance", json={"seconds": 40 * 86400})
    moved = _answers(client, "vehicles")
    assert {v: a["rdlStatus"] for v, a in moved.items()} != statuses  # forty days change some statuses
    for status in set(statuses.values()):
        shown = [v["vin"] for v in _page(client, "vehicles", status=status, limit=500)["items"]]
        assert shown == [v for v, a in moved.items() if a["rdlStatus"] == status]


def test_bad_asks_are_clear_400s_and_change_nothing(client: TestClient) -> None:
    before = client.get("/_sim/world").json()
    cases = {
        "/_sim/world/accounts/demo/vehicles?status=OK": "needs a state",
        "/_sim/world/accounts/demo/vehicles?state=reveal": "no API keeps state about the items of 'vehicles'",
        "/_sim/world/accounts/demo/vehicles?state=nosuch&status=OK": "state 'nosuch'",
        "/_sim/world/accounts/demo/revealDrivers?state=tachoshare": "(APIs that do: none)",
        "/_sim/world/accounts/demo/vehicles?state=tachoshare&status=" + "X" * 41: "",
        "/_sim/world/accounts/demo/vehicles?state=" + "t" * 41: "",
    }
    for path, said in cases.items():
        answer = client.get(path)
        assert answer.status_code == 400, (path, answer.text)
        assert said in answer.json()["description"], (path, answer.text)
    assert client.get("/_sim/world/accounts/demo/trucks?state=tachoshare&status=OK").status_code == 404  # no list
    assert client.get("/_sim/world").json() == before
    unknown = _page(client, "vehicles", status="NO_RDL")  # a status no item has: nothing, not an error
    assert unknown["items"] == [] and unknown["total"] == 0
