"""Covering a range with file requests: 2-year chunks and generation splits cover it exactly, in order."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.tachoshare.errors import GenerationChanged, api_error
from contracts.tachoshare.models import ErrorBody
from contracts.tachoshare.ranges import MAX_SPAN, DateRange
from contracts.tachoshare.splitting import fetch_covering


def generation_error(day: date) -> GenerationChanged:
    description = (
        f"A different tachograph generation was detected on {day.isoformat()}. Please make two requests: the first "
        "one using this date in the activityDate-to and the second one using this date in activityDate-from."
    )
    error = api_error(400, ErrorBody(description=description))
    assert isinstance(error, GenerationChanged)
    return error


class FakeFiles:
    """Answers like the API: 400 naming a change inside the range (the first or the last), 204 for empty pieces."""

    def __init__(self, changes: list[date], empty: set[date], name_last: bool) -> None:
        self.changes = sorted(changes)
        self.empty = empty
        self.name_last = name_last
        self.requests: list[DateRange] = []

    def __call__(self, piece: DateRange) -> DateRange | None:
        assert piece.end - piece.start <= MAX_SPAN, "a range over 2 years was sent"
        self.requests.append(piece)
        inside = [c for c in self.changes if piece.start < c < piece.end]
        if inside:
            raise generation_error(inside[-1] if self.name_last else inside[0])
        if all(day in self.empty for day in piece.each_day()):
            return None
        return piece


start_days = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 1, 1))


@given(
    start=start_days,
    length=st.integers(1, 2000),
    change_offsets=st.lists(st.integers(0, 2100), max_size=5),
    name_last=st.booleans(),
)
@settings(max_examples=150)
def test_pieces_cover_the_request_exactly_with_no_overlap(
    start: date, length: int, change_offsets: list[int], name_last: bool
) -> None:
    requested = DateRange(start, start + timedelta(days=length))
    changes = [start + timedelta(days=o) for o in change_offsets]
    fake = FakeFiles(changes, set(), name_last)

    files = fetch_covering(requested, fake)

    assert files[0].start == requested.start and files[-1].end == requested.end
    assert all(a.end == b.start for a, b in itertools.pairwise(files))
    for piece in files:
        assert not any(piece.start < c < piece.end for c in changes), "a piece crosses a generation change"
        assert piece.days <= MAX_SPAN.days
    # every successful piece was asked once; only refused ones were asked besides
    assert len(set(fake.requests)) == len(fake.requests)


@given(
    start=start_days,
    length=st.integers(1, 1600),
    change_offsets=st.lists(st.integers(1, 1600), max_size=3),
    empty_offsets=st.sets(st.integers(0, 1600), max_size=1600),
)
@settings(max_examples=100)
def test_pieces_without_data_are_left_out_and_the_rest_stays_in_order(
    start: date, length: int, change_offsets: list[int], empty_offsets: set[int]
) -> None:
    requested = DateRange(start, start + timedelta(days=length))
    fake = FakeFiles(
        [start + timedelta(days=o) for o in change_offsets], {start + timedelta(days=o) for o in empty_offsets}, False
    )

    files = fetch_covering(requested, fake)

    answered = [r for r in fake.requests if not any(r.start < c < r.end for c in fake.changes)]
    assert files == [r for r in answered if any(d not in fake.empty for d in r.each_day())]
    assert files == sorted(files)


def test_a_generation_change_is_split_into_two_files_in_order() -> None:
    requested = DateRange(date(2026, 1, 1), date(2026, 5, 1))
    fake = FakeFiles([date(2026, 3, 2)], set(), False)
    assert fetch_covering(requested, fake) == [
        DateRange(date(2026, 1, 1), date(2026, 3, 2)),
        DateRange(date(2026, 3, 2), date(2026, 5, 1)),
    ]
    assert fake.requests[0] == requested


def test_a_change_named_outside_the_range_is_raised_not_looped() -> None:
    def answer(piece: DateRange) -> DateRange:
        raise generation_error(piece.end + timedelta(days=3))

    with pytest.raises(GenerationChanged):
        fetch_covering(DateRange(date(2026, 1, 1), date(2026, 2, 1)), answer)
