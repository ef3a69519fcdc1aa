"""A driver's first name and surname as Faker draws them, without Faker's per-call machinery (issue 13).

`Faker.first_name()` / `last_name()` of the stock person provider is `random_element(names)`: through the proxy,
`random_elements`, `choices_distribution`, then `Random.choice(names)` for a tuple, list or string, or, for an
`OrderedDict` of weights, `Random.choices(keys, weights=values)`, which accumulates every weight (hundreds) on each
call. A `Picker` makes the same call on the same `Random` with the weights accumulated once: `choices` with
`cum_weights` is the same code after its own accumulation, so the same draw picks the same name. A locale whose
provider overrides the method or keeps its names otherwise is left to Faker (`pl_PL`'s surnames).
`tests/world/test_names.py` compares both for every locale of `identifiers.FAKER_LOCALES` over many seeds.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from itertools import accumulate

from faker.generator import Generator
from faker.providers.person import Provider as PersonProvider

Pick = Callable[[random.Random], str]


def _stock_pick(provider: PersonProvider, names: object) -> Pick | None:
    """The draw `provider.random_element(names)` makes, or None when its shape is not one this module knows."""
    if isinstance(names, OrderedDict):
        keys = tuple(names.keys())
        if not getattr(provider, "__use_weighting__", True):
            return lambda rng: rng.choice(keys)
        cum_weights = list(accumulate(names.values()))
        return lambda rng: rng.choices(keys, cum_weights=cum_weights)[0]
    if isinstance(names, dict):
        return None  # Faker refuses a plain dict
    if isinstance(names, (tuple, list, str)):
        return lambda rng: rng.choice(names)
    return None


def _person(fake: Generator) -> PersonProvider | None:
    providers = [p for p in fake.providers if isinstance(p, PersonProvider)]
    return providers[0] if len(providers) == 1 else None


@cache
def picker(fake: Generator) -> tuple[Pick | None, Pick | None]:
    """The first-name and surname draws of `fake` (one locale's generator), each None where Faker must be asked."""
    provider = _person(fake)
    if provider is None:
        return None, None
    stock = type(provider).first_name is PersonProvider.first_name, type(provider).last_name is PersonProvider.last_name
    first = _stock_pick(provider, provider.first_names) if stock[0] else None
    last = _stock_pick(provider, provider.last_names) if stock[1] else None
    return first, last


def person_name(fake: Generator) -> tuple[str, str]:
    """`(fake.first_name(), fake.last_name())`, drawn from `fake`'s seeded random source in that order."""
    first, last = picker(fake)
    rng: random.Random = fake.random
    return (
        first(rng) if first is not None else fake.format("first_name"),  # the provider's method, as Faker calls it
        last(rng) if last is not None else fake.format("last_name"),
    )
