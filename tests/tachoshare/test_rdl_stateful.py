"""The world lives: clock advances, RDL requests and reads interleaved by Hypothesis, with invariants."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from starlette.testclient import TestClient

from mockserver.app import create_app
from mockserver.principal import Principal
from mockserver.tachograph.vu.file import read_vu_file
from mockserver.tachoshare import rules
from mockserver.world import load_world
from tests.conftest import bearer, make_sim

WORLD = load_world()
ACCOUNT = WORLD.accounts[0]
FULL = Principal("demo", "fleetmanager", "demo-partner", frozenset({"tachoshare"}))
DAY = 86400


class LivingWorld(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sim = make_sim(WORLD)
        self.client = TestClient(create_app(self.sim))
        self.seen: dict[str, dict[str, Any]] = {}
        self.reads = 0

    def _headers(self) -> dict[str, str]:
        return bearer(self.client)  # a fresh token: advances may outlive any access token

    @rule(seconds=st.one_of(st.integers(1, 6 * 3600), st.integers(1, 40 * DAY)))
    def advance(self, seconds: int) -> None:
        assert self.client.post("/_sim/clock/advance", json={"seconds": seconds}).status_code == 200

    @rule(index=st.integers(0, len(ACCOUNT.vehicles) - 1))
    def request_rdl(self, index: int) -> None:
        vehicle = ACCOUNT.vehicles[index]
        now = self.sim.clock.now()
        downloads = self.sim.tachoshare.vehicle_downloads(ACCOUNT, vehicle, now)
        remaining = self.sim.tachoshare.vehicle(FULL, vehicle.vin).manual_attempts_remaining
        expected = rules.rdl_refusal(vehicle, downloads, remaining, now)
        response = self.client.post(f"/tachoshare/vehicles/{vehicle.vin}/rdl", headers=self._headers())
        if expected is None:
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["manualAttemptsRemaining"] == remaining - 1
            assert body["lastRdlAttempt"] == now.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            assert response.status_code == 409
            assert response.json()["description"] == expected.value

    @rule()
    def read(self) -> None:
        response = self.client.get("/tachoshare/vehicles", headers=self._headers())
        assert response.status_code == 200
        today = self.sim.clock.now().date()
        for vehicle in response.json()["items"]:
            previous = self.seen.get(vehicle["vin"])
            for key in ("lastActivityDate", "lastRdlAttempt", "firstAvailableActivityDate"):
                if previous and key in previous:  # dates never go backwards, nor disappear
                    assert key in vehicle and vehicle[key] >= previous[key], (key, previous, vehicle)
            if "lastActivityDate" in vehicle:
                assert date.fromisoformat(vehicle["lastActivityDate"]) < today
            self.seen[vehicle["vin"]] = vehicle
        self.reads += 1

    @rule(index=st.integers(0, len(ACCOUNT.vehicles) - 1))
    def files_agree_with_the_json(self, index: int) -> None:
        """The vehicle file ends on the JSON's lastActivityDate, starting no earlier than firstAvailableActivityDate."""
        headers = self._headers()
        vin = ACCOUNT.vehicles[index].vin
        vehicle = self.client.get(f"/tachoshare/vehicles/{vin}", headers=headers).json()["items"][0]
        if "lastActivityDate" not in vehicle:
            return
        last = date.fromisoformat(vehicle["lastActivityDate"])
        first = date.fromisoformat(vehicle["firstAvailableActivityDate"])
        start = max(first, last - timedelta(days=5))
        params = {
            "activityDate-from": (start - timedelta(days=3)).isoformat(),
            "activityDate-to": (last + timedelta(days=3)).isoformat(),
        }
        response = self.client.get(f"/tachoshare/vehicles/{vin}/files", headers=headers, params=params)
        if response.status_code == 400:  # a generation change inside the range: the split is tested elsewhere
            assert "generation" in response.json()["description"]
            return
        assert response.status_code == 200, response.text
        days = [d.day for d in read_vu_file(response.content).download.days]
        assert days[-1] == last and days[0] >= first

    @invariant()
    def derived_fields_agree(self) -> None:
        now = self.sim.clock.now()
        for vehicle, view in zip(ACCOUNT.vehicles, self.sim.tachoshare.vehicles(FULL), strict=True):
            assert 0 <= view.manual_attempts_remaining <= vehicle.manual_quota
            if view.last_activity_date is not None and view.next_scheduled_date is not None:
                period = vehicle.variant.vehicle_period_days
                assert view.next_scheduled_date == view.last_activity_date + timedelta(days=1 + period)
            if view.rdl_status in (rules.RdlStatus.DISCONNECTED, rules.RdlStatus.EXPIRED):
                assert view.next_scheduled_date is None
            if view.last_rdl_attempt is not None:
                assert view.last_rdl_attempt <= now
            lateness = None if view.last_activity_date is None else (now.date() - view.last_activity_date).days - 1
            if lateness is not None and view.rdl_status is rules.RdlStatus.OUTSIDE_LEGAL_COMPLIANCE:
                assert lateness > rules.VEHICLE_LEGAL_MAX_DAYS

    @precondition(lambda self: self.reads > 0)
    @rule()
    def snapshot_is_json(self) -> None:
        assert "tachoshare" in self.sim.store.snapshot()["sections"]


TestLivingWorld = LivingWorld.TestCase
TestLivingWorld.settings = settings(max_examples=12, stateful_step_count=15, deadline=None)
