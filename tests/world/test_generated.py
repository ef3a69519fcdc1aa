"""A generated driver's spec is drawn without validation (issue 13): its fields are the ones validation would give,
and the driver made from it is the driver made from the validated `DriverSpec`."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.resources import default_world_path
from mockserver.world import parse_world
from mockserver.world.build import _Context, _driver, derive_rng
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
    drawn = generated_driver(derive_rng(seed, "a", str(index)), index, account)
    fields = generated_driver_fields(derive_rng(seed, "a", str(index)), index, account)
    validated = DriverSpec.model_validate({ALIASES[name]: value for name, value in fields.items()})
    assert {name: getattr(drawn, name) for name in DriverSpec.model_fields} == {
        **validated.model_dump(),
        "generations": tuple(validated.generations),
    }
    ctx = _Context(seed, datetime(2026, 3, 2, 9, tzinfo=UTC), account)
    assert _driver(ctx, drawn, index + 7) == _driver(ctx, validated, index + 7)


def test_every_field_of_the_spec_is_drawn_or_the_models_default() -> None:
    """A field added to `DriverSpec` must be drawn (or defaulted) here too, or generated drivers would lack it."""
    assert set(generated_driver_fields(derive_rng(1, "a"), 0, ACCOUNT)) | {"generations"} == set(
        DriverSpec.model_fields
    )
