from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.resources import default_world_path
from mockserver.world import WorldError, load_world, parse_world
from mockserver.world.build import MAX_DRIVER_AGE, MIN_DRIVER_AGE, _years_before, birth_date, build_world
from mockserver.world.schema import parse_offset

SPEC = parse_world(default_world_path().read_text())


@settings(max_examples=5, deadline=None)
@given(st.integers(min_value=0, max_value=2**31))
def test_same_seed_same_world_other_seed_other_world(seed: int) -> None:
    assert build_world(SPEC, seed=seed) == build_world(SPEC, seed=seed)
    other = build_world(SPEC, seed=seed + 1)
    assert other.accounts[0].vehicles[0].vin != build_world(SPEC, seed=seed).accounts[0].vehicles[0].vin


def test_start_moves_every_date_with_it() -> None:
    shifted = build_world(SPEC, start=SPEC.start + timedelta(days=14))  # whole weeks keep weekdays
    base = build_world(SPEC)
    v0, v1 = base.accounts[0].vehicles[0], shifted.accounts[0].vehicles[0]
    assert v1.vin == v0.vin
    assert v0.downloads.first is not None and v1.downloads.first is not None
    assert v1.downloads.first - v0.downloads.first == timedelta(days=14)
    for d0, d1 in zip(base.accounts[0].drivers, shifted.accounts[0].drivers, strict=True):
        assert d1.birth_date - d0.birth_date == timedelta(days=14), d0.card_key  # from the start, not today


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.randoms(use_true_random=False))
def test_a_driver_is_21_to_64_years_old_at_the_world_start(today: date, rng: random.Random) -> None:
    born = birth_date(rng, today)
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert 21 <= age <= 64


def test_scaling_keeps_the_hand_written_cases_first() -> None:
    base = build_world(SPEC)
    scaled = build_world(SPEC, vehicles=200, drivers=150)
    assert len(scaled.accounts[0].vehicles) == 200 and len(scaled.accounts[0].drivers) == 150
    explicit = len(SPEC.accounts[0].vehicles)
    assert scaled.accounts[0].vehicles[:explicit] == base.accounts[0].vehicles[:explicit]
    assert len({v.vin for v in scaled.accounts[0].vehicles}) == 200


def test_relative_offsets() -> None:
    assert parse_offset("-40d") == timedelta(days=-40)
    assert parse_offset("+2d6h") == timedelta(days=2, hours=6)
    with pytest.raises(ValueError):
        parse_offset("yesterday")


def test_a_bad_world_file_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "start: '2026-01-01T00:00:00Z'\nclients: []\naccounts:\n"
        "  - name: x\n    users: [{username: u, password: p, displayName: U}]\n"
        "    vehicles: [{key: v, firstDownload: sometime}]\n"
    )
    with pytest.raises(WorldError, match=r"accounts\.0\.vehicles\.0\.firstDownload|first_download"):
        load_world(bad)
    with pytest.raises(WorldError, match="cannot read"):
        load_world(tmp_path / "missing.yaml")
    (tmp_path / "notyaml.yaml").write_text("a: [")
    with pytest.raises(WorldError, match="not valid YAML"):
        load_world(tmp_path / "notyaml.yaml")


def test_start_needs_a_time_zone(tmp_path: Path) -> None:
    naive = tmp_path / "naive.yaml"
    naive.write_text(
        "start: '2026-01-01T00:00:00'\nclients: []\naccounts:\n"
        "  - name: x\n    users: [{username: u, password: p, displayName: U}]\n"
    )
    with pytest.raises(WorldError, match="time zone"):
        load_world(naive)
    assert load_world(start=datetime(2030, 1, 1, tzinfo=UTC)).start.year == 2030


def test_birth_dates_and_periods_kept_per_day_are_the_ones_made_each_time() -> None:
    """Issue 13: a driver's birth range and generation periods are kept by what they are made of; the same draws
    give the same dates as the range counted afresh (29 February starts included), and periods are frozen."""
    for today in (date(2024, 2, 29), date(2025, 3, 1), date(2026, 12, 6)):
        youngest = _years_before(today, MIN_DRIVER_AGE)
        oldest = _years_before(today, MAX_DRIVER_AGE + 1) + timedelta(days=1)
        for seed in range(50):
            expected = oldest + timedelta(days=random.Random(seed).randrange((youngest - oldest).days + 1))
            assert birth_date(random.Random(seed), today) == expected
