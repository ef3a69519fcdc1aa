"""The frame every driver-card EF codec fits: capacities, the reading builder, the context, the registry.

An EF codec writes its value from a `DriverCardDownload` and reads it back into a `CardFacts` builder. Gen1
sizes are the Gen1 maxima (as real Gen1 cards ship); Gen2 sizes are fixed by TCS_154/155. The codecs are
registered by `mockserver.tachograph.card.efs` (identification, events, certificates) and
`mockserver.tachograph.card.usage_efs` (activities and what a card records of its use).
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime

from mockserver.tachograph.card_model import (
    CardActivityDay,
    CardBorderCrossing,
    CardChip,
    CardControlActivity,
    CardEventOrFault,
    CardGnssAccumulatedDriving,
    CardLoadTypeEntry,
    CardLoadUnload,
    CardVehicleUnitUsed,
    CardVehicleUsed,
    CurrentUsage,
    DriverCardDownload,
    DrivingLicence,
)
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter
from mockserver.tachograph.security.signer import Signer
from mockserver.tachograph.types import HolderName, PlaceRecord, SpecificCondition


@dataclass(frozen=True)
class CardCapacity:
    structure_version: bytes
    events_per_type: int
    faults_per_type: int
    activity_length: int
    vehicle_records: int
    place_records: int
    specific_records: int
    gnss_records: int = 0
    vehicle_unit_records: int = 0
    # Gen2v2 only (EF Application_Identification_V2)
    border_crossing_records: int = 0
    load_unload_records: int = 0
    load_type_records: int = 0
    vu_configuration_length: int = 0

    @property
    def v2(self) -> bool:
        """Whether the application is that of a Gen2v2 card (cardStructureVersion 01 01)."""
        return self.structure_version == b"\x01\x01"


GEN1_CAPACITY = CardCapacity(b"\x00\x00", 12, 24, 13776, 200, 112, 56)
GEN2_CAPACITY = CardCapacity(b"\x01\x00", 12, 24, 13776, 200, 112, 112, 336, 200)
GEN2V2_CAPACITY = CardCapacity(b"\x01\x01", 12, 24, 13776, 200, 112, 112, 336, 200, 1120, 1624, 336, 3072)
# cardStructureVersion of the Gen2 application -> its capacities (TCS_155: fixed per version)
GEN2_CAPACITIES = {c.structure_version: c for c in (GEN2_CAPACITY, GEN2V2_CAPACITY)}

# Convention: which event types fill which group of EF Events_Data (the regulation orders the groups, it
# does not say which codes a VU files into which group; these are the card-related events of each group).
GEN1_EVENT_GROUPS: tuple[tuple[int, ...], ...] = (
    (0x03,),  # time overlap
    (0x05,),  # card insertion while driving
    (0x06,),  # last card session not correctly closed
    (0x08,),  # power supply interruption
    (0x09,),  # motion data error
    tuple(range(0x10, 0x20)),  # vehicle-unit related security breach attempts
)
GEN2_EVENT_GROUPS: tuple[tuple[int, ...], ...] = (
    *GEN1_EVENT_GROUPS[:5],
    (0x0A,),  # vehicle motion conflict
    (0x0B,),  # time conflict
    (0x0C,),  # communication error with the remote communication facility
    (0x0D,),  # absence of position information from the GNSS receiver
    (0x0E,),  # communication error with the external GNSS facility
    GEN1_EVENT_GROUPS[5],
)
FAULT_GROUPS: tuple[tuple[int, ...], ...] = (tuple(range(0x30, 0x40)), tuple(range(0x40, 0x50)))


@dataclass
class CardFacts:
    """Mutable builder the EF decoders fill; `to_download` freezes it."""

    structure_version: bytes = b""
    card_number: str = ""
    issuing_nation: int = 0
    holder: HolderName = field(default_factory=lambda: HolderName("", ""))
    birth_date: date | None = None
    preferred_language: str = ""
    issuing_authority: str = ""
    issue_date: datetime | None = None
    validity_begin: datetime | None = None
    expiry: datetime | None = None
    licence: DrivingLicence | None = None
    chip: CardChip | None = None
    downloaded_at: datetime | None = None
    activity_days: tuple[CardActivityDay, ...] = ()
    activity_ring_offset: int = 0
    vehicles_used: tuple[CardVehicleUsed, ...] = ()
    places: tuple[PlaceRecord, ...] = ()
    events: tuple[CardEventOrFault, ...] = ()
    faults: tuple[CardEventOrFault, ...] = ()
    current_usage: CurrentUsage | None = None
    specific_conditions: tuple[SpecificCondition, ...] = ()
    vehicle_units_used: tuple[CardVehicleUnitUsed, ...] = ()
    gnss_accumulated_driving: tuple[CardGnssAccumulatedDriving, ...] = ()
    border_crossings: tuple[CardBorderCrossing, ...] = ()
    load_unload_operations: tuple[CardLoadUnload, ...] = ()
    load_type_entries: tuple[CardLoadTypeEntry, ...] = ()
    control_activity: CardControlActivity | None = None
    # Gen2v2: the authentication status of each place and GNSS place, by entry time (merged by the file reader)
    place_auth: tuple[tuple[datetime, int], ...] = ()
    gnss_auth: tuple[tuple[datetime, int], ...] = ()
    certificates: dict[int, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class EfContext:
    card: DriverCardDownload
    capacity: CardCapacity
    gen2: bool
    signer: Signer


class EfCodec(ABC):
    """`fields` names every `DriverCardDownload` field `encode` reads (besides the context's capacity, application
    and signer): the file writer reuses the element of an EF that reads none of the fields that change between
    downloads of one card, and that of a dynamic EF whose fields are unchanged since the card's last download.
    A field left out of `fields` would let a changed value reuse a stale element."""

    fid: int
    name: str
    fields: frozenset[str] = frozenset()
    signed: bool = True
    gen2_only: bool = False
    gen2v2_only: bool = False  # only in the Gen2 application of a Gen2v2 card

    @functools.cached_property
    def input_fields(self) -> tuple[str, ...]:
        """`fields` in a fixed order."""
        return tuple(sorted(self.fields))

    @abstractmethod
    def size(self, capacity: CardCapacity, gen2: bool) -> int | None:
        """Exact value length, or None when variable (certificates)."""

    @abstractmethod
    def encode(self, ctx: EfContext, w: ByteWriter) -> None: ...

    def value(self, ctx: EfContext) -> bytes | bytearray:
        """The EF's value, as `encode` writes it (a `BytesValueEf` returns its one piece of bytes as it is, which
        the file writer then copies once, into the element)."""
        w = ByteWriter()
        self.encode(ctx, w)
        return w.buf

    @abstractmethod
    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None: ...


class BytesValueEf(EfCodec):
    """An EF whose value is one piece of bytes (a ring, a run of records): subclasses give `value`, and writing
    the EF is writing that piece."""

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        w.raw(self.value(ctx))

    @abstractmethod
    def value(self, ctx: EfContext) -> bytes: ...


EF_CODECS: dict[int, EfCodec] = {}


def register_ef(codec: EfCodec) -> EfCodec:
    EF_CODECS[codec.fid] = codec
    return codec
