from __future__ import annotations

import random
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.world import identifiers as ids


def test_known_vins() -> None:
    assert ids.is_valid_vin("1M8GDM9AXKP042788")  # the textbook example, check digit X
    assert ids.is_valid_vin("11111111111111111")  # all ones: the check digit is 1
    assert not ids.is_valid_vin("1M8GDM9A1KP042788")
    assert not ids.is_valid_vin("IM8GDM9AXKP042788")  # I is not allowed


@given(
    st.integers(min_value=0, max_value=2**32),
    st.sampled_from(sorted(ids.TRUCK_MAKERS)),
    st.integers(min_value=2010, max_value=2039),
)
def test_made_vins_are_valid_and_keep_the_maker(seed: int, wmi: str, year: int) -> None:
    vin = ids.make_vin(random.Random(seed), wmi, year)
    assert len(vin) == 17 and vin.startswith(wmi)
    assert ids.is_valid_vin(vin)


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=0, max_value=16))
def test_a_changed_character_breaks_the_check_digit_mostly(seed: int, position: int) -> None:
    vin = ids.make_vin(random.Random(seed), "WDB", 2020)
    if position == 8:
        return
    replacement = next(
        c
        for c in "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
        if c != vin[position] and ids._VIN_VALUES[c] != ids._VIN_VALUES[vin[position]]
    )
    changed = vin[:position] + replacement + vin[position + 1 :]
    if ids._VIN_WEIGHTS[position] % 11:  # every weight but position 9's detects a single change
        assert not ids.is_valid_vin(changed)


@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(sorted(ids.NATION_CODES)))
def test_card_numbers_have_the_documented_lengths(seed: int, country: str) -> None:
    rng = random.Random(seed)
    driver = ids.make_driver_card_number(rng, country, renewal=1)
    company = ids.make_company_card_group(rng, country) + "001"
    assert len(driver) == 16 and driver.isalnum() and driver[14:] == "01"
    assert len(company) == 16 and company.isalnum()
    assert ids.nation_hex(country).startswith("0x") and len(ids.nation_hex(country)) == 4


@settings(max_examples=200)
@given(
    seed=st.integers(min_value=0, max_value=2**64),
    country=st.sampled_from(["NL", "UK", "DE"]),
    renewal=st.integers(0, 3),
)
def test_a_driver_card_number_draws_its_digits_as_choice_does(seed: int, country: str, renewal: int) -> None:
    """Issue 13: the digits are drawn without `choice`'s calls, the same digits from the same source, which is left
    where `choice` leaves it."""
    ours, theirs = random.Random(seed), random.Random(seed)
    prefix = country[0] if country != "UK" else "D"
    expected = prefix + "".join(theirs.choice(string.digits) for _ in range(13)) + f"0{renewal}"
    assert ids.make_driver_card_number(ours, country, renewal) == expected
    assert ours.random() == theirs.random()
