"""Summaries of downloaded files for `fleetmock ddd inspect`: what a partner wants to see at a glance."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mockserver.tachograph.card.file import read_card_file
from mockserver.tachograph.card_model import DriverCardDownload
from mockserver.tachograph.codec.primitives import TachoFormatError
from mockserver.tachograph.inspect_records import card_records, day_records, fault_records, file_records
from mockserver.tachograph.types import Activity, ActivityChange, Generation, Slot
from mockserver.tachograph.vu.file import read_vu_file
from mockserver.tachograph.vu_model import VuActivityDay

ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class DaySummary:
    day: str
    changes: int
    minutes: dict[str, int]
    cards: tuple[str, ...] = ()
    records: dict[str, object] = field(default_factory=dict)  # Gen2 v2 VU records (`inspect_records`)


@dataclass(frozen=True)
class FileSummary:
    name: str
    kind: str  # "vehicle-unit" | "driver-card"
    generation: str
    size: int
    identity: dict[str, str]
    days: tuple[DaySummary, ...]
    extra: dict[str, int] = field(default_factory=dict)
    records: dict[str, object] = field(default_factory=dict)  # events, faults, Gen2 v2 VU records (`inspect_records`)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "generation": self.generation,
            "size": self.size,
            **self.identity,
            "dayCount": len(self.days),
            **self.extra,
            **self.records,
            "days": [
                {
                    "date": d.day,
                    "activityChanges": d.changes,
                    "minutes": d.minutes,
                    "cards": list(d.cards),
                    **d.records,
                }
                for d in self.days
            ],
        }

    def to_text(self) -> str:
        lines = [f"{self.name}: {self.kind} file, {self.generation}, {self.size} bytes"]
        lines += [f"  {key}: {value}" for key, value in {**self.identity, **self.extra}.items()]
        lines.append(f"  days: {len(self.days)}")
        for d in self.days:
            minutes = " ".join(f"{k}={v}" for k, v in d.minutes.items() if v)
            cards = f" cards={','.join(d.cards)}" if d.cards else ""
            lines.append(f"    {d.day}: {d.changes} changes {minutes}{cards}".rstrip())
        return "\n".join(lines)


def minutes_per_activity(changes: Sequence[ActivityChange], slot: Slot | None = Slot.DRIVER) -> dict[str, int]:
    """Minutes of the day per activity for `slot` (card inserted only); `None`: whatever the slot (a card's day: a
    crew's card changes slots at every turn at the wheel, its own activity goes on)."""
    totals = {a.name.lower(): 0 for a in Activity}
    own = [c for c in changes if slot is None or c.slot is slot]
    if not own:  # a day the card spent only in the other slot
        return totals
    for current, following in zip(own, [*own[1:], None], strict=True):
        end = following.minute if following is not None else 1440
        if current.card_present:
            totals[current.activity.name.lower()] += max(end - current.minute, 0)
    return totals


def card_minutes(day: VuActivityDay) -> dict[str, dict[str, int]]:
    """Minutes per activity of each card the VU saw on `day`: its slot's activities while it was in that slot
    (a crew's cards swap slots at every turn at the wheel), so each card's totals are its holder's day."""
    result: dict[str, dict[str, int]] = {}
    midnight = datetime(day.day.year, day.day.month, day.day.day, tzinfo=UTC)
    for insertion in day.card_insertions:
        totals = result.setdefault(insertion.card.number, {a.name.lower(): 0 for a in Activity})
        begin = max(0, int((insertion.inserted_at - midnight).total_seconds() // 60))
        withdrawn = insertion.withdrawn_at
        end = 1440 if withdrawn is None else min(1440, int((withdrawn - midnight).total_seconds() // 60))
        own = [c for c in day.activity_changes if c.slot is insertion.slot]
        for current, following in zip(own, [*own[1:], None], strict=True):
            low, high = max(current.minute, begin), min(following.minute if following else 1440, end)
            if current.card_present and high > low:
                totals[current.activity.name.lower()] += high - low
    return result


def summarize(data: bytes, name: str) -> list[FileSummary]:
    """Summaries of a VU file, a card file, or a ZIP of card files. Raises TachoFormatError."""
    if data.startswith(ZIP_MAGIC):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise TachoFormatError(0, f"bad ZIP: {exc}") from exc
        result: list[FileSummary] = []
        for member in archive.infolist():
            try:
                result.extend(summarize(archive.read(member), f"{name}!{member.filename}"))
            except TachoFormatError as exc:
                raise TachoFormatError(exc.offset, f"in {member.filename}: {exc.message}") from exc
        return result
    if data[:1] == b"\x76":
        return [_vu_summary(data, name)]
    return [_card_summary(data, name)]


def _vu_summary(data: bytes, name: str) -> FileSummary:
    parsed = read_vu_file(data)
    download = parsed.download
    overview = download.overview
    v2 = download.generation is Generation.GEN2V2
    days = tuple(
        DaySummary(
            day.day.isoformat(),
            len(day.activity_changes),
            minutes_per_activity(day.activity_changes),
            tuple(sorted({i.card.number for i in day.card_insertions})),
            _v2_day(day) if v2 else {},
        )
        for day in download.days
    )
    return FileSummary(
        name,
        "vehicle-unit",
        download.generation.value,
        parsed.size,
        {
            "vin": overview.vin,
            "registrationNation": f"0x{overview.registration.nation:02X}",
            "plate": overview.registration.plate,
            "downloadableFrom": overview.downloadable_from.isoformat(),
            "downloadableTo": overview.downloadable_to.isoformat(),
        },
        days,
        {
            "companyLocks": len(overview.company_locks),
            "events": len(download.events.events),
            "faults": len(download.events.faults),
            "speedBlocks": len(download.speed_blocks or ()),
            "calibrations": len(download.technical.calibrations),
        },
        file_records(download) if v2 else fault_records(download),
    )


def _v2_day(day: VuActivityDay) -> dict[str, object]:
    return day_records(day, minutes_per_activity(day.activity_changes, Slot.CO_DRIVER), card_minutes(day))


def _card_summary(data: bytes, name: str) -> FileSummary:
    parsed = read_card_file(data)
    card = parsed.download
    days = tuple(
        DaySummary(day.day.isoformat(), len(day.changes), minutes_per_activity(day.changes, None))
        for day in card.activity_days
    )
    return FileSummary(
        name,
        "driver-card",
        card.generation.value,
        parsed.size,
        {
            "cardNumber": card.card_number,
            "issuingNation": f"0x{card.issuing_nation:02X}",
            "holder": f"{card.holder.first_names} {card.holder.surname}".strip(),
            "expiry": card.expiry.date().isoformat(),
        },
        days,
        {
            "vehiclesUsed": len(card.vehicles_used),
            "places": len(card.places),
            "events": len(card.events),
            "faults": len(card.faults),
            **_v2(card),
        },
        card_records(card),
    )


def _v2(card: DriverCardDownload) -> dict[str, int]:
    """What only a Gen2v2 card records (the Mobility Package EFs) and its last control, counted."""
    if card.generation is not Generation.GEN2V2:
        return {}
    return {
        "borderCrossings": len(card.border_crossings),
        "loadUnloadOperations": len(card.load_unload_operations),
        "loadTypeEntries": len(card.load_type_entries),
        "gnssAccumulatedDriving": len(card.gnss_accumulated_driving),
        "controls": int(card.control_activity is not None),
    }
