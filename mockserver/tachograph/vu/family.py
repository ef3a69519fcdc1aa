"""The registry of VU generation families: each maps its transfer types (TREP) to block codecs.

A family is added by `register_vu_family(codec)`; the file writer and reader look families up here instead of
branching on the generation.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import Enum

from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter
from mockserver.tachograph.security.signer import Signer
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu_model import (
    SpeedBlock,
    VuActivityDay,
    VuEventsAndFaults,
    VuOverview,
    VuTechnicalData,
)


class BlockKind(Enum):
    INTERFACE_VERSION = "interface-version"
    OVERVIEW = "overview"
    ACTIVITIES = "activities"
    EVENTS_FAULTS = "events-faults"
    DETAILED_SPEED = "detailed-speed"
    TECHNICAL = "technical"


@dataclass(frozen=True)
class SignedRegion:
    """Bytes a signature covers, where the block starts in the file, and the signature itself."""

    kind: BlockKind
    block_offset: int
    data: bytes
    signature: bytes


@dataclass
class VuSecurity:
    """Certificates and signatures met while reading (for verification and the inspect summary)."""

    member_state_certificate: bytes = b""
    vu_certificate: bytes = b""
    signed: list[SignedRegion] = field(default_factory=list)


class VuFamilyCodec(ABC):
    generation: Generation
    treps: dict[BlockKind, int]

    @abstractmethod
    def write_overview(self, w: ByteWriter, overview: VuOverview, signer: Signer) -> None: ...

    @abstractmethod
    def write_day(self, w: ByteWriter, day: VuActivityDay, signer: Signer) -> None: ...

    @abstractmethod
    def write_events(self, w: ByteWriter, events: VuEventsAndFaults, signer: Signer) -> None: ...

    @abstractmethod
    def write_speed(self, w: ByteWriter, blocks: tuple[SpeedBlock, ...], signer: Signer) -> None: ...

    @abstractmethod
    def write_technical(self, w: ByteWriter, technical: VuTechnicalData, signer: Signer) -> None: ...

    @abstractmethod
    def read_overview(self, r: ByteReader, security: VuSecurity) -> VuOverview: ...

    @abstractmethod
    def read_day(self, r: ByteReader, security: VuSecurity) -> VuActivityDay: ...

    @abstractmethod
    def read_events(self, r: ByteReader, security: VuSecurity) -> VuEventsAndFaults: ...

    @abstractmethod
    def read_speed(self, r: ByteReader, security: VuSecurity) -> tuple[SpeedBlock, ...]: ...

    @abstractmethod
    def read_technical(self, r: ByteReader, security: VuSecurity) -> VuTechnicalData: ...


VU_FAMILIES: dict[Generation, VuFamilyCodec] = {}


def register_vu_family(codec: VuFamilyCodec) -> VuFamilyCodec:
    VU_FAMILIES[codec.generation] = codec
    return codec


def family_for_overview_trep(trep: int) -> VuFamilyCodec | None:
    for codec in VU_FAMILIES.values():
        if codec.treps[BlockKind.OVERVIEW] == trep:
            return codec
    return None
