"""Whole VU download files: `76 TREP payload` blocks back to back, one generation family per file.

Writing is one pass into one bytearray. Reading consumes every byte and fails with the offset of the first
byte it cannot account for.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import TypeVar

import mockserver.tachograph.vu.gen1
import mockserver.tachograph.vu.gen2  # noqa: F401  (registers the families)
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter, TachoFormatError
from mockserver.tachograph.security.signer import Signer, ZeroSigner
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu.family import (
    VU_FAMILIES,
    BlockKind,
    VuFamilyCodec,
    VuSecurity,
    family_for_overview_trep,
)
from mockserver.tachograph.vu_model import (
    SpeedBlock,
    VehicleUnitDownload,
    VuActivityDay,
    VuEventsAndFaults,
    VuOverview,
    VuTechnicalData,
)

T = TypeVar("T")
SID = 0x76
INTERFACE_VERSION_TREP = 0x00


def write_vu_file(download: VehicleUnitDownload, signer: Signer | None = None) -> bytes:
    """Encode `download` as a .DDD file of its family: overview, days, events, speed, technical data."""
    signer = signer or ZeroSigner()
    codec = VU_FAMILIES[download.generation]
    _check_days(download.days)
    w = ByteWriter()
    w.u8(SID)
    w.u8(codec.treps[BlockKind.OVERVIEW])
    codec.write_overview(w, download.overview, signer)
    day_trep = codec.treps[BlockKind.ACTIVITIES]
    for day in download.days:
        w.u8(SID)
        w.u8(day_trep)
        codec.write_day(w, day, signer)
    w.u8(SID)
    w.u8(codec.treps[BlockKind.EVENTS_FAULTS])
    codec.write_events(w, download.events, signer)
    if download.speed_blocks is not None:  # downloaded only where mandatory or activated
        w.u8(SID)
        w.u8(codec.treps[BlockKind.DETAILED_SPEED])
        codec.write_speed(w, download.speed_blocks, signer)
    w.u8(SID)
    w.u8(codec.treps[BlockKind.TECHNICAL])
    codec.write_technical(w, download.technical, signer)
    return bytes(w.buf)


def _check_days(days: tuple[VuActivityDay, ...]) -> None:
    for previous, current in itertools.pairwise(days):
        if current.day <= previous.day:
            raise ValueError(f"activity days must be strictly increasing: {previous.day} then {current.day}")


@dataclass(frozen=True)
class ParsedVuFile:
    download: VehicleUnitDownload
    security: VuSecurity
    interface_version: bytes | None
    size: int


def read_vu_file(data: bytes) -> ParsedVuFile:
    """Parse a VU file of one family; every byte must belong to a known block."""
    r = ByteReader(data)
    security = VuSecurity()
    codec: VuFamilyCodec | None = None
    overview: VuOverview | None = None
    days: list[VuActivityDay] = []
    events: VuEventsAndFaults | None = None
    speed: tuple[SpeedBlock, ...] | None = None
    technical: VuTechnicalData | None = None
    interface_version: bytes | None = None
    while r.remaining:
        at = r.offset
        sid = r.u8("SID")
        if sid != SID:
            raise TachoFormatError(at, f"expected SID 76, found {sid:02x}")
        trep = r.u8("TREP")
        if trep == INTERFACE_VERSION_TREP:
            interface_version = r.take(2, "DownloadInterfaceVersion")
            continue
        if codec is None:
            codec = family_for_overview_trep(trep)
            if codec is None:
                raise TachoFormatError(at, f"file must start with an overview block, found TREP {trep:02x}")
        kind = _kind_of(codec, trep)
        if kind is None:
            raise TachoFormatError(at, f"TREP {trep:02x} does not belong to the {codec.generation.value} family")
        if kind is BlockKind.OVERVIEW:
            if overview is not None:
                raise TachoFormatError(at, "second overview block")
            overview = codec.read_overview(r, security)
        elif kind is BlockKind.ACTIVITIES:
            day = codec.read_day(r, security)
            if days and day.day <= days[-1].day:
                raise TachoFormatError(at, f"activity day {day.day} is not after {days[-1].day}")
            days.append(day)
        elif kind is BlockKind.EVENTS_FAULTS:
            events = _once(events, codec.read_events(r, security), at, "events and faults")
        elif kind is BlockKind.DETAILED_SPEED:
            speed = _once(speed, codec.read_speed(r, security), at, "detailed speed")
        else:
            technical = _once(technical, codec.read_technical(r, security), at, "technical data")
    if codec is None or overview is None:
        raise TachoFormatError(r.offset, "no overview block")
    missing = [
        name
        for name, value in (
            ("events and faults", events),
            ("technical data", technical),
        )
        if value is None
    ]
    if missing:
        raise TachoFormatError(r.offset, f"missing blocks: {', '.join(missing)}")
    assert events is not None and technical is not None
    if codec.generation is Generation.GEN2V1 and overview.registration.nation == 0:
        overview = _recover_nation(overview, technical)
    download = VehicleUnitDownload(codec.generation, overview, tuple(days), events, speed, technical)
    return ParsedVuFile(download, security, interface_version, len(data))


def _once(current: T | None, new: T, at: int, what: str) -> T:
    if current is not None:
        raise TachoFormatError(at, f"second {what} block")
    return new


def _kind_of(codec: VuFamilyCodec, trep: int) -> BlockKind | None:
    for kind, value in codec.treps.items():
        if value == trep:
            return kind
    return None


def _recover_nation(overview: VuOverview, technical: VuTechnicalData) -> VuOverview:
    """Gen2v1 overviews carry the plate without its nation; the newest calibration of that plate has it."""
    for calibration in reversed(technical.calibrations):
        if calibration.registration.plate == overview.registration.plate:
            return replace(overview, registration=calibration.registration)
    return overview
