"""ActivityChangeInfo (2 bytes, bit string `scpaattttttttttt`)."""

from __future__ import annotations

from mockserver.tachograph.codec.primitives import ByteReader
from mockserver.tachograph.types import Activity, ActivityChange, Slot


def encode_activity(change: ActivityChange) -> int:
    return (
        (int(change.slot) << 15)
        | (int(change.crew) << 14)
        | ((0 if change.card_present else 1) << 13)
        | (int(change.activity) << 11)
        | change.minute
    )


def decode_activity(word: int) -> ActivityChange:
    """Decode one word; raises ValueError for a minute beyond 1439 (the caller names the offset)."""
    return ActivityChange(
        minute=word & 0x7FF,
        activity=Activity((word >> 11) & 0x3),
        slot=Slot((word >> 15) & 0x1),
        crew=bool((word >> 14) & 0x1),
        card_present=not ((word >> 13) & 0x1),
    )


def read_activity(r: ByteReader) -> ActivityChange:
    at = r.offset
    word = r.u16("ActivityChangeInfo")
    try:
        return decode_activity(word)
    except ValueError as exc:
        raise r.fail(f"bad ActivityChangeInfo {word:04x}: {exc}", at) from exc
