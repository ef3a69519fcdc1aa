"""Cover a date range with as many file requests as the API needs: 2-year chunks, then generation splits.

The API refuses ranges over 2 years (the client never sends one) and answers 400 when a range crosses a change of
tachograph generation, naming the date: the caller must ask for `[start, date)` and `[date, end)` separately.
`fetch_covering` does both, recursively (a range may cross several changes), and returns the files oldest first,
leaving out the parts that had no data (204).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from contracts.tachoshare.errors import GenerationChanged
from contracts.tachoshare.ranges import MAX_SPAN, DateRange

T = TypeVar("T")


def fetch_covering(
    date_range: DateRange, fetch: Callable[[DateRange], T | None], max_span: timedelta = MAX_SPAN
) -> list[T]:
    """`fetch` for every piece of `date_range`, oldest first, without gaps or overlaps between the pieces."""
    results: list[T] = []
    for chunk in date_range.chunks(max_span):
        results.extend(_fetch_splitting_generations(chunk, fetch))
    return results


def _fetch_splitting_generations(date_range: DateRange, fetch: Callable[[DateRange], T | None]) -> list[T]:
    pending = [date_range]  # a stack, newest piece at the bottom, so pieces come out oldest first
    results: list[T] = []
    while pending:
        piece = pending.pop()
        try:
            result = fetch(piece)
        except GenerationChanged as change:
            if change.changed_on not in piece or change.changed_on == piece.start:
                raise  # the server named a date it cannot split this range at: do not loop
            older, newer = piece.split_at(change.changed_on)
            pending.extend((newer, older))
            continue
        if result is not None:
            results.append(result)
    return results
