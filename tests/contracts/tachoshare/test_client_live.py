"""The TachoShare client against the live simulator: every served resource read into its model, every manual-RDL
refusal as its own error, and the error classes of 404 and 401."""

from __future__ import annotations

import pytest

from contracts.tachoshare import errors
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.models import RdlHealthResult, VehicleRdlStatus, is_known
from contracts.tachoshare.oauth import StaticToken
from tests.conftest import LiveServer, vehicle_by_key

pytestmark = pytest.mark.live

REFUSALS: dict[str, type[errors.RdlRefused]] = {
    "no-rdl-service": errors.RdlServiceNotEnabled,
    "expired-service": errors.RdlServiceNotEnabled,
    "no-device": errors.NoTelematicsDevice,
    "disconnected": errors.NoTelematicsDevice,
    "out-of-attempts": errors.NoAttemptsRemaining,
    "rdl-waiting": errors.RdlInProgress,
    "scheduled-today": errors.RdlScheduledToday,
    "up-to-date": errors.RdlUpToDate,
}


def client_for(live: LiveServer, **token: object) -> TachoShareClient:
    return TachoShareClient(f"{live.base_url}/tachoshare", StaticToken(live.token(**token)), clock=live.sim.clock.now)


def test_lists_read_into_typed_models_with_every_value_known(live: LiveServer) -> None:
    client = client_for(live)
    vehicles = client.list_vehicles()
    drivers = client.list_drivers()
    cards = client.list_company_cards()
    groups = client.list_company_card_groups()
    account = live.sim.world.account("demo")
    assert account is not None
    assert {v.vin for v in vehicles} == {v.vin for v in account.vehicles}
    assert {d.card_number for d in drivers} == {d.card_key for d in account.drivers}
    assert cards and groups
    assert all(is_known(v.rdl_status) for v in vehicles)
    health = [v.rdl_health_status for v in vehicles if v.rdl_health_status is not None]
    assert health and all(is_known(h.result) and is_known(h.level) for h in health)
    assert all(is_known(d.rdl_status) for d in drivers) and all(is_known(c.status) for c in cards)
    assert not any(v.model_extra for v in vehicles), "the simulator sends a field the client does not know"


def test_get_vehicle_unwraps_the_single_item(live: LiveServer) -> None:
    client = client_for(live)
    vehicle = vehicle_by_key(live.sim, "disconnected")
    got = client.get_vehicle(vehicle.vin)
    assert got.vin == vehicle.vin
    assert got.rdl_status is VehicleRdlStatus.DISCONNECTED and got.next_scheduled_date is None
    no_lock = client.get_vehicle(vehicle_by_key(live.sim, "no-lock").vin)
    assert no_lock.rdl_health_status is not None
    assert no_lock.rdl_health_status.result is RdlHealthResult.NO_COMPANY_CARD_LOCKED
    assert no_lock.locked_company_card_number is None


def test_an_unknown_vehicle_is_not_found(live: LiveServer) -> None:
    with pytest.raises(errors.NotFound) as raised:
        client_for(live).get_vehicle("WDB9634041L000000")
    assert raised.value.trace_id


def test_another_accounts_vehicle_is_not_found(live: LiveServer) -> None:
    with pytest.raises(errors.NotFound):
        client_for(live, account="acme").get_vehicle(vehicle_by_key(live.sim, "ok-plus").vin)


def test_a_bad_token_is_unauthorized(live: LiveServer) -> None:
    client = TachoShareClient(f"{live.base_url}/tachoshare", StaticToken("not-a-token"))
    with pytest.raises(errors.Unauthorized):
        client.list_vehicles()


@pytest.mark.parametrize("key", sorted(REFUSALS))
def test_each_rdl_refusal_is_its_own_error(live: LiveServer, key: str) -> None:
    with pytest.raises(errors.RdlRefused) as raised:
        client_for(live).request_rdl(vehicle_by_key(live.sim, key).vin)
    assert type(raised.value) is REFUSALS[key]
    assert raised.value.status_code == 409


def test_an_accepted_rdl_returns_the_updated_vehicle_and_a_second_is_in_progress(live: LiveServer) -> None:
    client = client_for(live)
    vin = vehicle_by_key(live.sim, "ok-basic").vin
    before = client.get_vehicle(vin)
    after = client.request_rdl(vin)
    assert after.vin == vin and after.manual_attempts_remaining == before.manual_attempts_remaining - 1
    assert after.last_rdl_attempt == live.sim.clock.now()
    with pytest.raises(errors.RdlInProgress):
        client.request_rdl(vin)
