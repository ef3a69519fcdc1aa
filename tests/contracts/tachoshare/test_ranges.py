"""Date ranges: the API's defaults, 2-year chunks, splits (properties)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.tachoshare.ranges import DEFAULT_SPAN, MAX_SPAN, DateRange, resolve_range

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def ranges(draw: st.DrawFn, max_days: int = 3000) -> DateRange:
    start = draw(days)
    return DateRange(start, start + timedelta(days=draw(st.integers(1, max_days))))


def test_defaults_follow_the_reference() -> None:
    today = date(2026, 11, 2)
    assert resolve_range(None, None, today) == DateRange(date(2026, 8, 5), date(2026, 11, 3))
    assert resolve_range(date(2026, 1, 1), None, today) == DateRange(date(2026, 1, 1), date(2026, 4, 1))
    assert resolve_range(None, date(2026, 4, 1), today) == DateRange(date(2026, 1, 1), date(2026, 4, 1))
    assert resolve_range(date(2026, 1, 1), date(2026, 1, 2), today).days == 1


@given(days, st.one_of(st.none(), days), st.one_of(st.none(), days))
@settings(max_examples=200)
def test_a_missing_bound_is_90_days_from_the_other(today: date, start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end <= start:
        with pytest.raises(ValueError):
            resolve_range(start, end, today)
        return
    resolved = resolve_range(start, end, today)
    if start is not None:
        assert resolved.start == start
    if end is not None:
        assert resolved.end == end
    if start is None or end is None:
        assert resolved.end - resolved.start == DEFAULT_SPAN
    if start is None and end is None:
        assert today in resolved and resolved.end == today + timedelta(days=1)


@given(ranges(), st.integers(1, 800))
@settings(max_examples=200)
def test_chunks_cover_the_range_exactly_without_overlap(date_range: DateRange, span_days: int) -> None:
    span = timedelta(days=span_days)
    chunks = date_range.chunks(span)
    assert chunks[0].start == date_range.start and chunks[-1].end == date_range.end
    assert all(a.end == b.start for a, b in itertools.pairwise(chunks))
    assert all(c.end - c.start <= span for c in chunks)
    assert sum(c.days for c in chunks) == date_range.days
    # only the last chunk may be shorter than the span
    assert all(c.end - c.start == span for c in chunks[:-1])


@given(ranges())
def test_default_chunks_never_exceed_two_years(date_range: DateRange) -> None:
    for chunk in date_range.chunks():
        assert chunk.days <= MAX_SPAN.days
        assert chunk.end <= two_calendar_years_after(chunk.start), "over 2 years under the calendar reading"


def two_calendar_years_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return date(day.year + 2, 3, 1)


@given(ranges(max_days=400), st.data())
def test_split_at_gives_two_adjacent_halves(date_range: DateRange, data: st.DataObject) -> None:
    if date_range.days < 2:
        with pytest.raises(ValueError):
            date_range.split_at(date_range.start)
        return
    offset = data.draw(st.integers(1, date_range.days - 1))
    day = date_range.start + timedelta(days=offset)
    older, newer = date_range.split_at(day)
    assert (older.start, older.end, newer.start, newer.end) == (date_range.start, day, day, date_range.end)
    assert list(older.each_day()) + list(newer.each_day()) == list(date_range.each_day())


def test_empty_and_reversed_ranges_are_refused() -> None:
    with pytest.raises(ValueError):
        DateRange(date(2026, 1, 2), date(2026, 1, 2))
    with pytest.raises(ValueError):
        DateRange(date(2026, 1, 2), date(2026, 1, 1))
    with pytest.raises(ValueError):
        DateRange(date(2026, 1, 1), date(2026, 1, 5)).split_at(date(2026, 1, 5))
