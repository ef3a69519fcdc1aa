"""What a Gen2v2 driver card records of the Mobility Package, told from the vehicle days it saw
(`mockserver.tachograph.history.mobility.vehicle_day(...).for_card(driver)`): border crossings, load and unload
operations, the GNSS positions of accumulated driving, the load type entered, and the last roadside control.

Only a Gen2v2 vehicle unit records these, so only days the card spent in one (in either slot: a co-driver's card
holds the same crossings, operations and positions as the driver's) add records. Each kind is an append-only log
(`mockserver.tachograph.card.runs`); a download shows the newest records that fit the card's EFs (TCS_155), so
successive downloads share one encoding of each record.
Not simulated: load types other than goods (the driver enters "goods" at the card's first session in a Gen2v2
unit and never changes it), and VU events on the card (card conflicts, driving without a card and over-speeding
are VU events only: a driver card's Events_Data has no group for them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from mockserver.tachograph.card.ef_codec import GEN2V2_CAPACITY
from mockserver.tachograph.card.runs import RecordLog
from mockserver.tachograph.card_model import (
    CardBorderCrossing,
    CardControlActivity,
    CardGnssAccumulatedDriving,
    CardLoadTypeEntry,
    CardLoadUnload,
)
from mockserver.tachograph.history.mobility import CardDay, RoadsideControl, vehicle_day
from mockserver.tachograph.history.rota import Rota, VehicleUnit
from mockserver.tachograph.types import Generation

GOODS = 2  # LoadType: goods


@dataclass(frozen=True)
class Counts:
    """How many records of each kind a card had written after some worked days, and its last control."""

    crossings: int = 0
    operations: int = 0
    positions: int = 0
    load_types: int = 0
    control: CardControlActivity | None = None


class CardMobility:
    """The Mobility Package records of one card, appended worked day by worked day (`add`, in day order)."""

    def __init__(self, rota: Rota, driver: str) -> None:
        self.rota = rota
        self.driver = driver
        self.crossings: RecordLog[CardBorderCrossing] = RecordLog()
        self.operations: RecordLog[CardLoadUnload] = RecordLog()
        self.positions: RecordLog[CardGnssAccumulatedDriving] = RecordLog()
        self.load_types: RecordLog[CardLoadTypeEntry] = RecordLog()
        self.after: list[Counts] = [Counts()]  # after[i]: the counts once i worked days are written

    def add(self, day: date, unit: VehicleUnit, inserted: datetime) -> None:
        """Append what the card saw on `day` in `unit` (nothing unless the unit is a Gen2v2 one)."""
        last = self.after[-1]
        seen = vehicle_day(self.rota, unit.vin, day).for_card(self.driver) if _records(unit) else None
        if seen is None:
            self.after.append(last)
            return
        self._append(seen)
        if not len(self.load_types):
            self.load_types.append(CardLoadTypeEntry(inserted, GOODS))
        control = _control(seen.controls[-1], unit) if seen.controls else last.control
        self.after.append(
            Counts(len(self.crossings), len(self.operations), len(self.positions), len(self.load_types), control)
        )

    def _append(self, seen: CardDay) -> None:
        for crossing in seen.crossings:
            self.crossings.append(
                CardBorderCrossing(
                    crossing.country_left, crossing.country_entered, crossing.position, crossing.odometer
                )
            )
        for load in seen.loads:
            self.operations.append(CardLoadUnload(load.at, int(load.operation), load.position, load.odometer))
        for position in seen.positions:
            self.positions.append(CardGnssAccumulatedDriving(position.at, position.position, position.odometer))

    def download_fields(self, days: int) -> dict[str, object]:
        """The `DriverCardDownload` fields of a download that shows the first `days` worked days."""
        counts = self.after[days]
        cap = GEN2V2_CAPACITY
        return {
            "border_crossings": self.crossings.run(counts.crossings - cap.border_crossing_records, counts.crossings),
            "load_unload_operations": self.operations.run(
                counts.operations - cap.load_unload_records, counts.operations
            ),
            "gnss_accumulated_driving": self.positions.run(counts.positions - cap.gnss_records, counts.positions),
            "load_type_entries": self.load_types.run(counts.load_types - cap.load_type_records, counts.load_types),
            "control_activity": counts.control,
        }


def _records(unit: VehicleUnit) -> bool:
    """Whether the unit records the Mobility Package data on cards."""
    return unit.generation is Generation.GEN2V2


def _control(control: RoadsideControl, unit: VehicleUnit) -> CardControlActivity:
    """The card's control record: the control card as a FullCardNumber (EF 0508 has no generation byte)."""
    return CardControlActivity(
        control.control_type,
        control.at,
        replace(control.control_card, generation=1),
        unit.registration,
        control.period_begin,
        control.period_end,
    )
