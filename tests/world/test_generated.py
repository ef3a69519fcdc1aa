"""A generated driver's spec is built without validation (issue 13): the spec validation would give, every time."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.resources import default_world_path
from mockserver.world import parse_world
from mockserver.world.build import derive_rng
from mockserver.world.generated import generated_driver, generated_driver_fields
from mockserver.world.identifiers import NATION_CODES
from mockserver.world.schema import DriverSpec

ACCOUNT = parse_world(default_world_path().read_text()).accounts[0]
ALIASES = {name: field.alias or name for name, field in DriverSpec.model_fields.items()}


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63),
    index=st.integers(min_value=0, max_value=200_000),
    country=st.sampled_from(sorted(NATION_CODES)),
)
def test_the_unvalidated_spec_is_the_validated_one(seed: int, index: int, country: str) -> None:
    account = ACCOUNT.model_copy(update={"country": country})
    built = generated_driver(derive_rng(seed, "a", str(index)), index, account)
    fields = generated_driver_fields(derive_rng(seed, "a", str(index)), index, account)
    validated = DriverSpec.model_validate({ALIASES[name]: value for name, value in fields.items()})
    assert built == validated
    assert list(vars(built).items()) == list(vars(validated).items())
    assert built.model_fields_set == validated.model_fields_set
    assert built.generations is not validated.generations


def test_each_spec_has_its_own_generations_list() -> None:
    one, two = (generated_driver(random.Random(n), n, ACCOUNT) for n in (1, 2))
    assert one.generations == two.generations and one.generations is not two.generations
