"""Sub-statuses as the reference lists them (issue 17, items 12 and 14).

Off duty and sleeper berth include "No Sub Status" (null); "Yard Moves (ELD Only)" and "Personal Use (ELD Only)"
appear only for drivers on an ELD, a driver property of the world (`eld: false` in fixtures/default.yaml for the
short-haul driver 103).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from mockserver.reveal.dutylog.generator import DutyLogGenerator
from mockserver.reveal.hos import DutyStatus, SubStatus
from mockserver.reveal.models import reveal_of
from mockserver.simulator import Simulator

START = datetime(2026, 5, 4, tzinfo=UTC)
WEEKS = timedelta(days=56)
ELD_ONLY = {SubStatus.ON_DUTY_NOT_DRIVING_YARD_MOVE, SubStatus.OFF_DUTY_PERSONAL_USE}


def _labels(profile: str, *, eld: bool, seed: int = 7) -> Counter[tuple[DutyStatus, SubStatus | None]]:
    generator = DutyLogGenerator(seed, profile, 8, START, vehicles=("85",), eld=eld)
    return Counter((e.event.status, e.event.sub_status) for e in generator.entries_until(START + WEEKS))


def test_rests_are_sometimes_logged_without_a_sub_status() -> None:
    labels = _labels("long-haul", eld=True) + _labels("regional", eld=True)
    assert labels[(DutyStatus.OFF_DUTY, None)] > 0
    assert labels[(DutyStatus.SLEEPER_BERTH, None)] > 0
    labelled = sum(n for (status, sub), n in labels.items() if status is DutyStatus.OFF_DUTY and sub is not None)
    assert labelled > labels[(DutyStatus.OFF_DUTY, None)]  # most rests still carry their sub-status


def test_eld_only_sub_statuses_need_an_eld_and_nothing_else_changes() -> None:
    for profile in ("long-haul", "regional", "short-haul"):
        with_eld = DutyLogGenerator(3, profile, 8, START, vehicles=("85",), eld=True).entries_until(START + WEEKS)
        without = DutyLogGenerator(3, profile, 8, START, vehicles=("85",), eld=False).entries_until(START + WEEKS)
        assert [(e.event.at, e.event.status) for e in with_eld] == [(e.event.at, e.event.status) for e in without]
        assert not {e.event.sub_status for e in without} & ELD_ONLY
    assert {sub for (_, sub) in _labels("regional", eld=True) + _labels("long-haul", eld=True)} >= ELD_ONLY


def test_the_world_s_drivers_carry_the_eld_property(sim: Simulator) -> None:
    account = sim.world.account("demo")
    assert account is not None
    reveal = reveal_of(account)
    assert reveal is not None
    eld = {driver.driver_number: driver.eld for driver in reveal.drivers}
    assert eld["103"] is False and eld["99"] is True
