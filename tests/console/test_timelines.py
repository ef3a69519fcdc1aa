"""The console's download timelines (`GET /_sim/console/timelines/{kind}/{key}`, issue 14): what the route answers
against what TachoShare itself reports for the same vehicle or driver, at any instant, after any requests.

The property: whatever the clock and the manual RDL requests do, the timeline is in time order, and its attempts
are the API's story: the last successful download is the vehicle's `lastActivityDate` + 1 day, the first is its
`firstAvailableActivityDate` + 28 days, the newest attempt or request is `lastRdlAttempt`, the last attempt's
outcome is `rdlHealthStatus`. The drawing has one mark per event, and escapes what it shows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import HealthCheck
from starlette.testclient import TestClient

from mockserver.charts.timeline import render_timeline
from mockserver.simulator import Simulator
from mockserver.timelines import Event, SubjectTimeline
from tests.conftest import bearer

SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
ATTEMPT_KINDS = ("scheduled", "manual")
SVG = "{http://www.w3.org/2000/svg}"


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _whole(client: TestClient, kind: str, key: str) -> dict[str, Any]:
    """The whole timeline: from long before any world's first download to after the next planned one."""
    now = _instant(client.get("/_sim/clock").json()["now"]).date()
    first, last = now - timedelta(days=3000), now + timedelta(days=60)
    params = {"account": "demo", "from": first.isoformat(), "to": last.isoformat()}
    answer = client.get(f"/_sim/console/timelines/{kind}/{key}", params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _check_vehicle(line: dict[str, Any], vehicle: dict[str, Any]) -> None:
    events = line["events"]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    now = line["now"]
    attempts = [e for e in events if e["kind"] in ATTEMPT_KINDS]
    assert all(e["at"] <= now for e in attempts) and all(e["at"] > now for e in events if e["kind"] == "planned")
    ok = [e for e in attempts if e["ok"]]
    last_activity = (_instant(ok[-1]["at"]).date() - timedelta(days=1)).isoformat() if ok else None
    first_available = (_instant(ok[0]["at"]).date() - timedelta(days=28)).isoformat() if ok else None
    assert vehicle.get("lastActivityDate") == last_activity
    assert vehicle.get("firstAvailableActivityDate") == first_available
    touched = [e["at"] for e in events if e["kind"] in (*ATTEMPT_KINDS, "request")]
    assert vehicle.get("lastRdlAttempt") == (max(touched) if touched else None)
    if attempts:
        result = vehicle["rdlHealthStatus"]["result"]
        assert (result in ("SUCCESS", "NO_COMPANY_CARD_LOCKED")) == attempts[-1]["ok"]
        assert attempts[-1]["ok"] or result == attempts[-1]["detail"]


@settings(max_examples=25, suppress_health_check=SUPPRESS)
@given(
    index=st.integers(min_value=0, max_value=40),
    steps=st.lists(st.tuples(st.integers(min_value=1, max_value=24 * 12), st.booleans()), min_size=1, max_size=4),
)
def test_the_vehicle_timeline_is_ordered_and_is_the_api_s_story(
    sim: Simulator, client: TestClient, index: int, steps: list[tuple[int, bool]]
) -> None:
    sim.reset()
    auth = bearer(client)
    vehicles = client.get("/tachoshare/vehicles", headers=auth).json()["items"]
    vin = vehicles[index % len(vehicles)]["vin"]
    for hours, request in steps:
        if request:  # accepted or refused (409): either way the timeline and the API must agree
            assert client.post(f"/tachoshare/vehicles/{vin}/rdl", headers=auth).status_code in (200, 409)
        assert client.post("/_sim/clock/advance", json={"seconds": hours * 3600}).status_code == 200
        auth = bearer(client)  # a token lives an hour of simulated time
        vehicle = client.get(f"/tachoshare/vehicles/{vin}", headers=auth).json()["items"][0]
        _check_vehicle(_whole(client, "vehicle", vin), vehicle)


def test_a_driver_timeline_holds_the_card_downloads_the_api_reports(sim: Simulator, client: TestClient) -> None:
    client.post("/_sim/clock/advance", json={"seconds": 3 * 86_400})
    for driver in client.get("/tachoshare/drivers", headers=bearer(client)).json()["items"][:6]:
        line = _whole(client, "driver", driver["cardNumber"])
        ok = [_instant(e["at"]).date().isoformat() for e in line["events"] if e["kind"] == "scheduled" and e["ok"]]
        assert driver.get("lastDownloadDate") == (ok[-1] if ok else None)
        assert driver.get("firstAvailableDownloadDate") == (ok[0] if ok else None)


def test_a_manual_request_is_on_the_timeline_then_its_attempt(sim: Simulator, client: TestClient) -> None:
    auth = bearer(client)
    for vehicle in client.get("/tachoshare/vehicles", headers=auth).json()["items"]:
        if client.post(f"/tachoshare/vehicles/{vehicle['vin']}/rdl", headers=auth).status_code == 200:
            break
    else:
        raise AssertionError("the demo world accepts a manual RDL for some vehicle")
    vin = vehicle["vin"]
    line = _whole(client, "vehicle", vin)
    assert [e for e in line["events"] if e["kind"] == "request" and e["at"] == line["now"]]
    [pending] = [e for e in line["events"] if e["kind"] == "planned" and e["detail"] == "manual"]
    client.post("/_sim/clock/advance", json={"seconds": 2 * 86_400})
    after = _whole(client, "vehicle", vin)
    assert [e for e in after["events"] if e["at"] == pending["at"] and e["kind"] == "manual"]


def test_bad_asks_are_clear_4xx(client: TestClient) -> None:
    vin = client.get("/tachoshare/vehicles", headers=bearer(client)).json()["items"][0]["vin"]
    cases = {
        (f"/_sim/console/timelines/vehicle/{vin}", "account=nobody"): 404,
        ("/_sim/console/timelines/vehicle/NOSUCHVIN", "account=demo"): 404,
        (f"/_sim/console/timelines/vehicle/{vin}", ""): 400,
        ("/_sim/console/timelines/truck/X", "account=demo"): 400,
        (f"/_sim/console/timelines/vehicle/{vin}", "account=demo&from=2026-12-01&to=2026-01-01"): 400,
        (f"/_sim/console/timelines/vehicle/{vin}", "account=demo&from=2000-01-01&to=2026-01-01"): 400,
        (f"/_sim/console/timelines/vehicle/{vin}", "account=demo&from=yesterday"): 400,
    }
    for (path, query), status in cases.items():
        answer = client.get(f"{path}?{query}")
        assert answer.status_code == status, (path, query, answer.text)
        assert answer.json()["description"]


def test_the_drawing_has_one_mark_per_event_and_escapes_what_it_shows() -> None:
    at = datetime.fromisoformat("2026-11-01T06:00:00+00:00")
    events = (
        Event(at - timedelta(days=9), "generation", detail="GEN2V2"),
        Event(at - timedelta(days=2), "request"),
        Event(at - timedelta(days=1), "manual", True),
        Event(at, "scheduled", False, detail='<script>alert("x")</script>&'),
        Event(at + timedelta(days=7), "planned", detail="scheduled"),
    )
    line = SubjectTimeline("vehicle", "<b>VIN&", "a'c\"c", at, at - timedelta(days=30), at + timedelta(days=10), events)
    drawing = render_timeline(line)
    root = ElementTree.fromstring(drawing)  # well-formed XML: nothing shown broke out of its text or attribute
    marks = [node for node in root.iter() if "event" in (node.get("class") or "").split()]
    assert [m.get("data-kind") for m in marks] == [e.kind for e in events]
    attempts = [m for m in marks if "attempt" in (m.get("class") or "").split()]
    assert [m.get("data-ok") for m in attempts] == ["true", "false"]
    assert attempts[1].get("data-detail") == '<script>alert("x")</script>&'
    assert "<script>" not in drawing and "<b>" not in drawing
    assert root.find(f"{SVG}title") is not None and "<b>VIN&" in (root.find(f"{SVG}title").text or "")  # type: ignore[union-attr]
    assert date(2026, 11, 1).isoformat() in " ".join(root.itertext())


def _status_at(line: dict[str, Any], at: str) -> dict[str, Any] | None:
    statuses = [e for e in line["events"] if e["kind"] == "status" and e["at"] <= at]
    return statuses[-1] if statuses else None


@settings(max_examples=10, suppress_health_check=SUPPRESS)
@given(days=st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=3))
def test_a_company_card_timeline_is_its_status_and_the_attempts_of_the_vehicles_locked_with_it(
    sim: Simulator, client: TestClient, days: list[int]
) -> None:
    """At any instant the status in force on the card's timeline is the one GET /companyCards answers, its first use
    is there exactly when the API shows the expiration date, and its attempts are those of the vehicles whose
    `lockedCompanyCardNumber` is the card, as their own timelines list them."""
    sim.reset()
    for step in days:
        client.post("/_sim/clock/advance", json={"seconds": step * 86_400})
        auth = bearer(client)
        cards = client.get("/tachoshare/companyCards", headers=auth).json()["items"]
        vehicles = client.get("/tachoshare/vehicles", headers=auth).json()["items"]
        for card in cards:
            line = _whole(client, "companyCard", card["cardNumber"])
            assert [e["at"] for e in line["events"]] == sorted(e["at"] for e in line["events"])
            status = _status_at(line, line["now"])
            assert status is not None and status["detail"] == card["status"], card
            assert status.get("ok") == ({"OK": True, "NEAR_EXPIRATION": True, "PENDING_INSERTION": None}
                                        .get(card["status"], False))  # fmt: skip
            used = [e for e in line["events"] if e["kind"] == "note" and e["at"] <= line["now"]]
            assert bool(used) == ("expirationDate" in card)
            locked = [v["vin"] for v in vehicles if v.get("lockedCompanyCardNumber") == card["cardNumber"]]
            expected = sorted(
                (e["at"], e["kind"], e["ok"], vin)
                for vin in locked
                for e in _whole(client, "vehicle", vin)["events"]
                if e["kind"] in ATTEMPT_KINDS
            )
            shown = [(e["at"], e["kind"], e["ok"], e["related"]) for e in line["events"] if e["kind"] in ATTEMPT_KINDS]
            assert sorted(shown) == expected
        assert any(_whole(client, "companyCard", c["cardNumber"])["events"] for c in cards)


def test_a_company_card_timeline_keeps_the_status_in_force_when_its_range_starts(client: TestClient) -> None:
    card = client.get("/tachoshare/companyCards", headers=bearer(client)).json()["items"][0]
    whole = _whole(client, "companyCard", card["cardNumber"])
    now = _instant(whole["now"]).date()
    params = {"account": "demo", "from": now.isoformat(), "to": (now + timedelta(days=1)).isoformat()}
    short = client.get(f"/_sim/console/timelines/companyCard/{card['cardNumber']}", params=params).json()
    statuses = [e for e in short["events"] if e["kind"] == "status"]
    assert statuses[0] == _status_at(whole, f"{now.isoformat()}T00:00:00Z")  # from before the range, kept
    assert statuses[0]["detail"] == card["status"]
    unknown = client.get("/_sim/console/timelines/companyCard/NOSUCHCARD000001", params={"account": "demo"})
    assert unknown.status_code == 404 and unknown.json()["description"]


def test_a_company_card_drawing_has_a_band_per_status_and_escapes_what_it_shows() -> None:
    at = datetime.fromisoformat("2026-11-01T06:00:00+00:00")
    events = (
        Event(at - timedelta(days=40), "status", True, "OK"),
        Event(at - timedelta(days=20), "note", detail="first <use>"),
        Event(at - timedelta(days=2), "scheduled", True, related='<img src=x onerror="alert(1)">'),
        Event(at - timedelta(days=1), "status", False, "<EXPIRED&>"),
    )
    line = SubjectTimeline("companyCard", "N942C", "demo", at, at - timedelta(days=30), at + timedelta(days=10),
                           events, lanes=("status", "note", *ATTEMPT_KINDS))  # fmt: skip
    drawing = render_timeline(line)
    root = ElementTree.fromstring(drawing)
    bands = [n for n in root.iter() if "status" in (n.get("class") or "").split()]
    assert [b.get("data-detail") for b in bands] == ["OK", "<EXPIRED&>"] and [b.get("data-ok") for b in bands] == [
        "true", "false"]  # fmt: skip
    first, second = (float(b.find(f"{SVG}rect").get("x") or 0) for b in bands)  # type: ignore[union-attr]
    assert first == 130.0 < second  # the status in force before the range is drawn from the chart's left edge
    attempt = next(n for n in root.iter() if "attempt" in (n.get("class") or "").split())
    assert attempt.get("data-related") == '<img src=x onerror="alert(1)">'
    assert "<img" not in drawing and "<EXPIRED" not in drawing and "<use>" not in drawing
    lanes = [t.text for t in root.iter(f"{SVG}text") if t.get("x") == "8.0"]
    assert lanes == ["Status", "Notes", "Scheduled RDL", "Manual RDL"]


def test_a_card_locked_in_many_vehicles_shows_the_attempts_of_the_first_fifty_and_says_so() -> None:
    from mockserver.tachoshare.timelines import MAX_LOCKED_VEHICLES, company_card_events
    from mockserver.world import load_world
    from tests.conftest import make_sim

    sim = make_sim(load_world(vehicles=200, drivers=20))
    account = sim.world.accounts[0]
    card, count = max(((c.card_number, sum(v.locked_company_card == c.card_number for v in account.vehicles))
                       for c in account.company_cards), key=lambda pair: pair[1])  # fmt: skip
    assert count > MAX_LOCKED_VEHICLES
    now = sim.clock.now()
    events = company_card_events(sim, account.name, card, now)
    assert events is not None
    locked = [v.vin for v in account.vehicles if v.locked_company_card == card]
    shown = {e.related for e in events if e.kind in ATTEMPT_KINDS}
    assert shown and shown <= set(locked[:MAX_LOCKED_VEHICLES])
    notes = [e for e in events if e.kind == "note" and e.at == now]
    assert [e.detail for e in notes] == [f"RDL attempts of the first 50 of the {count} vehicles locked with it"]
