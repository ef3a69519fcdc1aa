"""The pure rules of the file routes: range defaults and limits, generation changes, names and extensions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.errors import BadRequest
from mockserver.tachoshare import files
from mockserver.world.models import Generation

TODAY = date(2026, 11, 2)
days = st.dates(date(2001, 1, 1), date(2090, 12, 31))


def test_defaults() -> None:
    names = files.VEHICLE_RANGE
    assert files.resolve_range(names, None, None, TODAY) == files.DateRange(date(2026, 8, 5), date(2026, 11, 3))
    assert files.resolve_range(names, "2026-01-01", None, TODAY) == files.DateRange(date(2026, 1, 1), date(2026, 4, 1))
    assert files.resolve_range(names, None, "2026-04-01", TODAY) == files.DateRange(date(2026, 1, 1), date(2026, 4, 1))
    assert files.resolve_range(names, "", "", TODAY).days == 90


@settings(max_examples=60)
@given(start=days, length=st.integers(1, 800))
def test_two_years_is_the_limit(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    two_years_later = (
        start.replace(year=start.year + 2) if (start.month, start.day) != (2, 29) else date(start.year + 2, 3, 1)
    )
    if end <= two_years_later:
        assert files.resolve_range(files.DRIVER_RANGE, start.isoformat(), end.isoformat(), TODAY).days == length
    else:
        with pytest.raises(BadRequest, match="must not be longer than 2 years"):
            files.resolve_range(files.DRIVER_RANGE, start.isoformat(), end.isoformat(), TODAY)


@settings(max_examples=40)
@given(start=days, back=st.integers(0, 400))
def test_an_empty_or_reversed_range_is_400(start: date, back: int) -> None:
    with pytest.raises(BadRequest, match="must be later than"):
        files.resolve_range(files.VEHICLE_RANGE, start.isoformat(), (start - timedelta(days=back)).isoformat(), TODAY)


@pytest.mark.parametrize(
    "raw", ["2026-1-01", "01.04.2026", "2026-13-01", "20260101", "2026-01-01T00:00:00", " 2026-01-01"]
)
def test_malformed_dates_name_the_parameter(raw: str) -> None:
    with pytest.raises(BadRequest) as error:
        files.resolve_range(files.VEHICLE_RANGE, raw, None, TODAY)
    assert (
        error.value.description == "A request parameter is missing or is not properly specified: "
        f"activityDate-from ({raw}) is not a date in the yyyy-MM-dd format."
    )


def test_extreme_dates_are_400_not_500() -> None:
    with pytest.raises(BadRequest):
        files.resolve_range(files.VEHICLE_RANGE, None, "0001-01-05", TODAY)
    with pytest.raises(BadRequest):
        files.resolve_range(files.VEHICLE_RANGE, "9999-12-30", None, TODAY)


def test_first_generation_change() -> None:
    g1, g2 = Generation.GEN1, Generation.GEN2V2
    assert files.first_generation_change([(date(2026, 1, 1), g1)]) is None
    assert files.first_generation_change([(date(2026, 1, 1), g1), (date(2026, 2, 1), g1)]) is None
    assert files.first_generation_change([(date(2026, 1, 1), g1), (date(2026, 2, 1), g2)]) == date(2026, 2, 1)
    with pytest.raises(BadRequest) as error:
        files.check_single_generation([(date(2026, 1, 1), g1), (date(2026, 3, 2), g2)], files.VEHICLE_RANGE)
    assert error.value.description == (
        "A different tachograph generation was detected on 2026-03-02. Please make two requests: the first one "
        "using this date in the activityDate-to and the second one using this date in activityDate-from."
    )


@pytest.mark.parametrize(
    ("formats", "name", "gen1", "gen2"),
    [
        (files.VEHICLE_FORMATS, "DDD", "DDD", "DDD"),
        (files.VEHICLE_FORMATS, "V1B_V1C", "V1B", "V1C"),
        (files.VEHICLE_FORMATS, "TGD", "TGD", "TGD"),
        (files.DRIVER_FORMATS, "C1B_C1C", "C1B", "C1C"),
        (files.DRIVER_FORMATS, None, "DDD", "DDD"),
    ],
)
def test_extensions(formats: dict[str, files.FileFormat], name: str | None, gen1: str, gen2: str) -> None:
    chosen = files.file_format(formats, name)
    assert chosen.extension(Generation.GEN1) == gen1
    assert chosen.extension(Generation.GEN2V1) == chosen.extension(Generation.GEN2V2) == gen2
    with pytest.raises(BadRequest):
        files.file_format(formats, "V1B" if formats is files.DRIVER_FORMATS else "C1B_C1C")


def test_names_follow_the_reference_examples() -> None:
    at = datetime(2018, 5, 28, 7, 15, tzinfo=UTC)
    assert files.vehicle_file_name(at, "9251 QIA", "2GTEK13Z171168244", "DDD") == (
        "M_20180528_0715_9251QIA_2GTEK13Z171168244.DDD"
    )
    messi = files.CardHolder("Lionel Andrés", "Messi", "23196425826415")
    newest, oldest = datetime(2018, 6, 4, 7, 15, tzinfo=UTC), datetime(2018, 5, 29, 17, 42, tzinfo=UTC)
    assert files.card_zip_name(newest, oldest, messi) == "C_20180604_0715_20180529_1742_L_MESSI_23196425826415.ZIP"
    assert files.card_file_name(newest, messi, "C1C") == "C_20180604_0715_L_MESSI_23196425826415.C1C"
    assert files.surname_token("van der Müller-Lüdenscheidt") == "VAN_DER_MULLER_LUDENSCHEIDT"
    assert files.initial_token("Émile") == "E"
    assert files.plate_token("B-FM 4711") == "BFM4711"


@settings(max_examples=50)
@given(surname=st.text(max_size=30), plate=st.text(max_size=14), first=st.text(max_size=20))
def test_names_are_always_safe_ascii(surname: str, plate: str, first: str) -> None:
    holder = files.CardHolder(first, surname, "DF000012345670")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for name in (
        files.card_file_name(at, holder, "DDD"),
        files.card_zip_name(at, at, holder),
        files.vehicle_file_name(at, plate, "WDB9634041L738190", "DDD"),
    ):
        assert name.isascii() and '"' not in name and "/" not in name and " " not in name
