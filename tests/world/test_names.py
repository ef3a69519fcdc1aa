"""Drivers' names drawn without Faker's per-call machinery (issue 13) are the names Faker draws.

`mockserver.world.names.person_name` makes Faker's own `Random` call (`choice`, or `choices` with the weights
accumulated once) for every locale whose person provider keeps its names in the stock shapes, and asks Faker for the
others; each locale a world can use is compared over many seeds, and the draws after the names too (the source is
left where Faker leaves it).
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
from faker import Faker

from mockserver.world import identifiers as ids
from mockserver.world.names import person_name, picker

LOCALES = sorted({*ids.FAKER_LOCALES.values(), "en_GB"})


@pytest.mark.parametrize("locale", LOCALES)
def test_person_name_is_fakers_first_name_then_last_name(locale: str) -> None:
    ours, theirs = Faker(locale), Faker(locale)
    for seed in range(0, 2**64, 2**64 // 400 + 12345):
        ours.seed_instance(seed)
        theirs.seed_instance(seed)
        assert person_name(ours.factories[0]) == (theirs.first_name(), theirs.last_name()), (locale, seed)
        assert ours.random.random() == theirs.random.random()


def test_the_weighted_and_the_plain_shapes_are_both_taken_without_faker() -> None:
    """The locales the generated fleet uses most take the fast draw: weighted (nl_BE) and plain (nl_NL) lists."""
    for locale, kind in (("nl_BE", OrderedDict), ("nl_NL", tuple)):
        fake = Faker(locale)
        first, last = picker(fake.factories[0])
        assert first is not None and last is not None
        person = next(p for p in fake.providers if hasattr(p, "first_names"))
        assert isinstance(person.first_names, kind)


def test_an_overridden_surname_is_left_to_faker() -> None:
    """pl_PL draws surnames from its own list in its own method: Faker is asked for it."""
    assert picker(Faker("pl_PL").factories[0])[1] is None
