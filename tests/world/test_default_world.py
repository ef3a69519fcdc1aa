"""The default world shows every case the TachoShare reference describes, seen through the API's read models."""

from __future__ import annotations

from datetime import timedelta

from mockserver.principal import Principal
from mockserver.simulator import Simulator
from mockserver.tachoshare.rules import CardStatus, RdlStatus
from mockserver.world.identifiers import is_valid_vin
from mockserver.world.models import Generation, ServiceVariant

FULL = Principal("demo", "fleetmanager", "demo-partner", frozenset({"tachoshare"}))

HEALTH_RESULTS = {
    "SUCCESS",
    "NO_COMPANY_CARD_LOCKED",
    "CAN_ERROR",
    "TACHOGRAPH_NOT_RESPONDING",
    "LOCKED_COMPANY_CARD_NOT_PRESENT",
    "NO_CARDS_DETECTED",
    "INVALID_VIN_IN_OVERVIEW",
    "SIGNATURE_NOT_VALID",
    "ACTIVITY_NOT_DOWNLOADABLE",
    "SERVICE_NOT_SUPPORTED",
}


def test_every_vehicle_status_and_health_result_appears(sim: Simulator) -> None:
    vehicles = sim.tachoshare.vehicles(FULL)
    assert {v.rdl_status for v in vehicles} == set(RdlStatus)
    assert {v.health[0] for v in vehicles if v.health} == HEALTH_RESULTS
    assert any(v.license_plate is None for v in vehicles) and any(v.license_plate for v in vehicles)
    assert any(v.locked_company_card_number is None for v in vehicles)
    assert any(v.last_activity_exported_date for v in vehicles)
    assert len({v.tachograph_model for v in vehicles if v.tachograph_model}) >= 3


def test_every_driver_status_with_and_without_card_data_from_several_countries(sim: Simulator) -> None:
    drivers = sim.tachoshare.drivers(FULL)
    statuses = {d.rdl_status for d in drivers}
    assert statuses == {
        RdlStatus.OK,
        RdlStatus.DELAYED,
        RdlStatus.OUTSIDE_LEGAL_COMPLIANCE,
        RdlStatus.NEVER_DOWNLOADED,
    }
    assert any(d.name is None and d.last_download_date is None for d in drivers)
    assert any(d.name for d in drivers)
    assert len({d.country_code for d in drivers}) >= 4


def test_company_cards_in_every_status_and_groups_with_and_without_valid_cards(sim: Simulator) -> None:
    cards = sim.tachoshare.company_cards(FULL)
    assert {c.status for c in cards} == set(CardStatus)
    assert any(c.expiration_date is None and c.status is CardStatus.OK for c in cards)  # never used
    groups = sim.tachoshare.company_card_groups(FULL)
    assert any(g.vehicles_locked is None for g in groups)  # a group without a valid card
    assert any(g.occupation_pct is not None for g in groups)


def test_facts_the_files_and_rdl_issues_need(sim: Simulator) -> None:
    account = sim.world.account("demo")
    assert account is not None and sim.world.account("acme") is not None
    today = sim.clock.now().date()
    assert {v.variant for v in account.vehicles} == set(ServiceVariant)
    retrofitted = [
        v for v in account.vehicles if v.generations[0].generation is Generation.GEN1 and len(v.generations) > 1
    ]
    assert retrofitted and retrofitted[0].generation_on(today) is not Generation.GEN1
    renewed = [
        d
        for d in account.drivers
        if len(d.generations) > 1
        and today - timedelta(days=90) <= d.generations[-1].since <= today
        and d.generations[0].generation is Generation.GEN1
    ]
    assert renewed
    assert any(not v.rdl_enabled for v in account.vehicles)
    assert any(not v.telematics_device for v in account.vehicles)
    assert all(is_valid_vin(v.vin) for a in sim.world.accounts for v in a.vehicles)
    assert all(len(d.card_number) == 16 for a in sim.world.accounts for d in a.drivers)
    assert all(len(c.card_number) == 16 for a in sim.world.accounts for c in a.company_cards)


def test_cross_references_agree(sim: Simulator) -> None:
    account = sim.world.account("demo")
    assert account is not None
    numbers = {c.card_number[:13] for c in account.company_cards}
    for vehicle in sim.tachoshare.vehicles(FULL):
        lock = vehicle.locked_company_card_number
        if lock is None:
            assert (
                vehicle.health is None or vehicle.health[0] == "NO_COMPANY_CARD_LOCKED" or vehicle.health[1] == "ALERT"
            )
        elif lock[:13] not in numbers and vehicle.health is not None:
            assert vehicle.health[0] == "LOCKED_COMPANY_CARD_NOT_PRESENT"
    for group in sim.tachoshare.company_card_groups(FULL):
        locked = sum(1 for v in account.vehicles if v.locked_company_card and v.locked_company_card[:13] == group.name)
        assert group.vehicles_locked in (None, locked)
