"""The `reveal:` world section: validation, deterministic expansion, and the demo world's cases."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mockserver.reveal.dutylog import profile_named
from mockserver.reveal.models import normalise_app_id, reveal_of
from mockserver.reveal.world import RevealSpec, build_reveal_account, tenant_reveal_spec
from mockserver.world import World
from mockserver.world.build import derive_rng

BASE: dict[str, Any] = {
    "appIds": ["APP"],
    "users": [{"username": "u", "password": "p"}],
    "vehicles": [{"number": "1"}],
    "drivers": [{"driverNumber": "7", "profile": "regional", "vehicle": "1"}],
}


def _rng(seed: int) -> Any:
    return lambda *parts: derive_rng(seed, "acct", *parts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"drivers": [{"profile": "astronaut"}]}, "unknown driver profile"),
        ({"drivers": [{"profile": "regional", "vehicle": "9"}]}, "unknown vehicle"),
        ({"drivers": [{"driverNumber": "1", "profile": "regional"}] * 2}, "duplicate driverNumber"),
        ({"vehicles": [{"number": "1"}, {"number": "1"}]}, "duplicate vehicle number"),
        ({"users": [{"username": "u", "password": "p"}] * 2}, "duplicate username"),
        ({"appIds": ["fleetmatics-p-us-APP"]}, "without the fleetmatics-p-us- prefix"),
        ({"appIds": []}, "at least 1"),
        ({"drivers": [{"profile": "regional", "ruleCycle": 6}]}, "ruleCycle"),
        ({"drivers": [{"profile": "regional", "driverNumber": "a/b"}]}, "driverNumber"),
        ({"drivers": [{"profile": "regional", "colour": "red"}]}, "colour"),
    ],
)
def test_a_bad_section_is_refused_with_the_field_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RevealSpec.model_validate({**BASE, **change})


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**40), extra=st.integers(0, 5))
def test_expansion_is_deterministic_and_independent_per_driver(seed: int, extra: int) -> None:
    spec = RevealSpec.model_validate({**BASE, "generate": {"drivers": extra}})
    account = build_reveal_account(spec, _rng(seed))
    assert account == build_reveal_account(spec, _rng(seed))
    assert len(account.drivers) == 1 + extra
    assert len({d.driver_number for d in account.drivers}) == 1 + extra
    # Adding drivers does not change the ones before.
    more = build_reveal_account(RevealSpec.model_validate({**BASE, "generate": {"drivers": extra + 2}}), _rng(seed))
    assert more.drivers[: 1 + extra] == account.drivers
    for driver in account.drivers:
        assert account.driver(driver.driver_number) is driver
        assert driver.vehicle_number is None or account.vehicle(driver.vehicle_number) is not None


def test_given_names_win_over_faker() -> None:
    spec = RevealSpec.model_validate(
        {**BASE, "drivers": [{"driverNumber": "7", "profile": "passenger", "firstName": "Ada", "lastName": "Byron"}]}
    )
    driver = build_reveal_account(spec, _rng(1)).drivers[0]
    assert (driver.first_name, driver.last_name, driver.name) == ("Ada", "Byron", "Ada Byron")


def test_the_app_id_prefix_is_optional_when_checking() -> None:
    account = build_reveal_account(RevealSpec.model_validate(BASE), _rng(1))
    assert account.allows_app("APP") and account.allows_app("fleetmatics-p-us-APP")
    assert not account.allows_app("OTHER") and not account.allows_app("fleetmatics-p-us-OTHER")
    assert normalise_app_id(" fleetmatics-p-us-X ") == "X"


def test_the_demo_world_covers_every_case(world: World) -> None:
    demo = world.account("demo")
    assert demo is not None and reveal_of(demo) is not None
    reveal = reveal_of(demo)
    assert reveal.app_ids == ("DEMOAPPID",)
    user = reveal.user("demo")
    assert user is not None and user.password == "demo"
    drivers = reveal.drivers
    assert 6 <= len(drivers) <= 10
    assert {d.rule_cycle for d in drivers} == {7, 8}
    profiles = {d.profile for d in drivers}
    assert {"long-haul", "regional", "passenger", "short-haul", "near-limits"} <= profiles
    assert any(profile_named(d.profile).carrier.value == "passenger" for d in drivers)
    assert any(d.vehicle_number is None for d in drivers)
    assert [d.in_data_plan for d in drivers].count(False) == 1
    acme = world.account("acme")
    assert acme is not None and reveal_of(acme) is not None
    assert reveal_of(acme).app_ids != reveal.app_ids
    assert {u.username for u in reveal_of(acme).users}.isdisjoint({u.username for u in reveal.users})


def test_the_tenant_section_is_valid_and_small() -> None:
    spec = tenant_reveal_spec("t-user", "secret", "TENANTAPP")
    account = build_reveal_account(spec, lambda *parts: random.Random(str(parts)))
    assert account.allows_app("TENANTAPP")
    assert [d.driver_number for d in account.drivers] == ["1", "2", "3"]
