"""What one card's download files share: the static elements written once, and the last dynamic elements.

Successive downloads of one card differ only in the EFs that read a dynamic field (`DYNAMIC_FIELDS`). A card's
`Template` holds its static elements as joined runs, keyed by the static fields and the signer, and for each
dynamic EF the element it wrote last with the inputs it was written from: a download whose inputs for that EF are
the same (a daily download after a day off shows the same ring, vehicles and places) takes the element as it is.
Inputs are compared cheaply: a run of a record log by (log, start, stop), anything else by value.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from mockserver.memo import Memo
from mockserver.tachograph.card.runs import RecordRun
from mockserver.tachograph.card_model import DriverCardDownload
from mockserver.tachograph.security.signer import Signer

# What changes from one download of a card to the next; every other field is the same in all of them.
DYNAMIC_FIELDS = frozenset(
    {
        "downloaded_at",
        "activity_days",
        "activity_ring_offset",
        "vehicles_used",
        "places",
        "current_usage",
        "vehicle_units_used",
        "gnss_accumulated_driving",
        "control_activity",
        "border_crossings",
        "load_unload_operations",
        "load_type_entries",
    }
)
STATIC_FIELDS = tuple(f.name for f in dataclasses.fields(DriverCardDownload) if f.name not in DYNAMIC_FIELDS)
DynamicEf = tuple[int, int]  # (application index, FID)
_static_values = operator.attrgetter(*STATIC_FIELDS)


@dataclass
class Template:
    """A card's file with its static EFs written: `runs` holds each run of consecutive static elements joined,
    and None where a dynamic EF goes; `dynamic` names those EFs in order. `last` maps a dynamic EF to the inputs
    and the element of its latest writing, which the writer takes when a download's inputs are equal (an entry
    is replaced whole, so threads sharing a template never see half of one).
    """

    runs: tuple[bytes | None, ...]
    dynamic: tuple[DynamicEf, ...]
    last: dict[DynamicEf, tuple[tuple[object, ...], bytes]] = field(default_factory=dict)


def input_key(value: object) -> object:
    """`value` as a cheap key: a run of a log by its place in the log (equal places, equal records), else itself."""
    if isinstance(value, RecordRun):
        return (value.log, value.start, len(value))
    return value


class Templates:
    """The templates of card files on the shared bounded memo, least recently used dropped beyond `limit`.

    Key: (signer, every static field of the download). A template is written from exactly these (the dynamic EFs
    are left out of it), so a hit is the template a fresh writing gives. The last card asked for is found by
    identity of its field values before any hashing (the downloads of one card share the very same objects)."""

    def __init__(self, limit: int) -> None:
        self._memo: Memo[tuple[object, ...], Template] = Memo(limit, "card templates")
        self._last: tuple[tuple[object, ...], Template] | None = None

    def get(self, card: DriverCardDownload, signer: Signer, write: Callable[[], Template]) -> Template:
        key: tuple[object, ...] = (signer, *_static_values(card))
        last = self._last
        if last is not None and all(a is b for a, b in zip(last[0], key, strict=True)):
            return last[1]
        try:
            found = self._memo.get(key)
        except TypeError:  # a field holds a list or another unhashable value: write without the cache
            return write()
        if found is None:
            found = self._memo.put(key, write())
        self._last = (key, found)  # replaced whole: a thread reads either the old pair or the new one
        return found

    def clear(self) -> None:
        self._memo.clear()
        self._last = None
