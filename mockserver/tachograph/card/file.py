"""Whole driver-card download files: `FID (2) | appendix (1) | length (2) | value` elements (DDP_040..046).

Appendix 00/01 hold Gen1-application EF data and its RSA signature, 02/03 the Gen2 application and its ECDSA
signature. Which applications a card generation carries is a registry, not a branch.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from mockserver.tachograph.card import efs, usage_efs, v2_efs  # noqa: F401  (they register every EF codec)
from mockserver.tachograph.card.ef_codec import (
    EF_CODECS,
    GEN1_CAPACITY,
    GEN2_CAPACITIES,
    GEN2_CAPACITY,
    GEN2V2_CAPACITY,
    CardCapacity,
    CardFacts,
    EfCodec,
    EfContext,
)
from mockserver.tachograph.card.template import DYNAMIC_FIELDS, Template, Templates, input_key
from mockserver.tachograph.card_model import DriverCardDownload
from mockserver.tachograph.codec.primitives import ByteReader, TachoFormatError
from mockserver.tachograph.security.signer import (
    GEN1_SIGNATURE_SIZE,
    GEN2_SIGNATURE_SIZE,
    Holder,
    Signer,
    ZeroSigner,
)
from mockserver.tachograph.types import Generation


@dataclass(frozen=True)
class CardApplication:
    """One application (or the MF common EFs) as written to a file, in order."""

    data_appendix: int
    gen2: bool
    capacity: CardCapacity
    fids: tuple[int, ...]


MF_COMMON = CardApplication(0, False, GEN1_CAPACITY, (0x0002, 0x0005))
GEN1_APPLICATION = CardApplication(
    0,
    False,
    GEN1_CAPACITY,
    (
        0x0501,
        0xC100,
        0xC108,
        0x0520,
        0x050E,
        0x0521,
        0x0502,
        0x0503,
        0x0504,
        0x0505,
        0x0506,
        0x0507,
        0x0508,
        0x0522,
    ),
)
GEN2_APPLICATION = CardApplication(
    2,
    True,
    GEN2_CAPACITY,
    (
        0x0501,
        0xC100,
        0xC101,
        0xC108,
        0xC109,
        0x0520,
        0x050E,
        0x0521,
        0x0502,
        0x0503,
        0x0504,
        0x0505,
        0x0506,
        0x0507,
        0x0508,
        0x0522,
        0x0523,
        0x0524,
    ),
)

# A Gen2v2 card's Gen2 application: the Gen2v1 EFs, then those of version 2 (TCS_152), with its own capacities.
GEN2V2_APPLICATION = CardApplication(
    2, True, GEN2V2_CAPACITY, (*GEN2_APPLICATION.fids, 0x0525, 0x0526, 0x0527, 0x0528, 0x0529, 0x0530, 0x0540)
)

# Card generation -> applications its download file carries.
CARD_LAYOUTS: dict[Generation, tuple[CardApplication, ...]] = {
    Generation.GEN1: (MF_COMMON, GEN1_APPLICATION),
    Generation.GEN2V1: (MF_COMMON, GEN1_APPLICATION, GEN2_APPLICATION),
    Generation.GEN2V2: (MF_COMMON, GEN1_APPLICATION, GEN2V2_APPLICATION),
}
STRUCTURE_VERSIONS: dict[bytes, Generation] = {b"\x01\x00": Generation.GEN2V1, b"\x01\x01": Generation.GEN2V2}


STATIC_CACHE_SIZE = 256
ZERO_SIGNER = ZeroSigner()
ZERO_SIGNATURES = {False: bytes(GEN1_SIGNATURE_SIZE), True: bytes(GEN2_SIGNATURE_SIZE)}


def write_card_file(card: DriverCardDownload, signer: Signer | None = None) -> bytes:
    """The download file of `card`, signed by `signer` (zero signatures and certificates without one).

    The elements of EFs that read no dynamic field (`EfCodec.fields`) are the same in every download of a card,
    so each run of them is written and joined once per card and signer and kept in a bounded cache of templates
    (`mockserver.tachograph.card.template`); a dynamic EF's element is written again only when its inputs differ
    from the card's previous download.
    """
    signer = signer or ZERO_SIGNER
    layout = CARD_LAYOUTS.get(card.generation)
    if layout is None:
        raise ValueError(f"driver-card files of generation {card.generation.value} are not supported")
    contexts: list[EfContext] = []  # made on the first element to write: most downloads write few
    template = _TEMPLATES.get(card, signer, lambda: _template(card, _contexts(card, layout, signer, contexts)))
    dynamic = iter(template.dynamic)
    last = template.last
    parts: list[bytes] = []
    for run in template.runs:
        if run is None:
            ef = next(dynamic)
            codec = EF_CODECS[ef[1]]
            inputs = tuple([input_key(getattr(card, name)) for name in codec.input_fields])
            found = last.get(ef)
            if found is not None and found[0] == inputs:
                run = found[1]
            else:
                index = ef[0]
                run = _element(codec, layout[index], _contexts(card, layout, signer, contexts)[index])
                last[ef] = (inputs, run)
        parts.append(run)
    return b"".join(parts)


def _contexts(
    card: DriverCardDownload, layout: tuple[CardApplication, ...], signer: Signer, made: list[EfContext]
) -> list[EfContext]:
    """The encoding context of each application of `layout`, made into `made` once."""
    if not made:
        made.extend(EfContext(card, application.capacity, application.gen2, signer) for application in layout)
    return made


def _element(codec: EfCodec, application: CardApplication, ctx: EfContext) -> bytes:
    """`FID | appendix | length | value`, then the value's signature element when the EF is signed."""
    value = codec.value(ctx)
    expected = codec.size(application.capacity, application.gen2)
    if expected is not None and len(value) != expected:
        raise AssertionError(f"EF {codec.fid:04X} encoded {len(value)} bytes, not {expected}")
    head = struct.pack(">HBH", codec.fid, application.data_appendix, len(value))
    if not codec.signed:
        return b"".join((head, value))
    if isinstance(ctx.signer, ZeroSigner):  # the default: nothing to sign, zeros of the signature size
        signature = ZERO_SIGNATURES[application.gen2]
    elif application.gen2:
        signature = ctx.signer.gen2_sign(Holder.DRIVER_CARD, bytes(value))
    else:
        signature = ctx.signer.gen1_sign(Holder.DRIVER_CARD, bytes(value))
    tail = struct.pack(">HBH", codec.fid, application.data_appendix + 1, len(signature))
    return b"".join((head, value, tail, signature))


def _template(card: DriverCardDownload, contexts: list[EfContext]) -> Template:
    runs: list[bytes | None] = []
    dynamic: list[tuple[int, int]] = []
    static: list[bytes] = []
    for index, (application, ctx) in enumerate(zip(CARD_LAYOUTS[card.generation], contexts, strict=True)):
        for fid in application.fids:
            codec = EF_CODECS[fid]
            if codec.fields & DYNAMIC_FIELDS:
                if static:
                    runs.append(b"".join(static))
                    static = []
                runs.append(None)
                dynamic.append((index, fid))
            else:
                static.append(_element(codec, application, ctx))
    if static:
        runs.append(b"".join(static))
    return Template(tuple(runs), tuple(dynamic))


_TEMPLATES = Templates(STATIC_CACHE_SIZE)


def clear_static_elements() -> None:
    """Forget every cached template (the next file of each card writes its static elements again)."""
    _TEMPLATES.clear()


@dataclass(frozen=True)
class CardSignature:
    fid: int
    appendix: int
    data: bytes
    signature: bytes


@dataclass
class ParsedCardFile:
    download: DriverCardDownload
    signatures: list[CardSignature] = field(default_factory=list)
    certificates: dict[tuple[int, int], bytes] = field(default_factory=dict)
    elements: list[tuple[int, int, int]] = field(default_factory=list)  # (fid, appendix, length)
    size: int = 0


def read_card_file(data: bytes) -> ParsedCardFile:
    facts = {False: CardFacts(), True: CardFacts()}
    seen, signatures, elements = _read_elements(data, facts)
    has_gen2 = any(appendix >= 2 for _, appendix in seen)
    generation = Generation.GEN1
    if has_gen2:
        version = facts[True].structure_version
        found = STRUCTURE_VERSIONS.get(version)
        if found is None:
            raise TachoFormatError(0, f"unsupported Gen2 card structure version {version.hex()}")
        generation = found
    expected = _expected_elements(generation)
    for wrong, what in ((expected - seen, "missing"), (seen - expected, f"not of a {generation.value} card")):
        if wrong:
            names = ", ".join(f"{fid:04X}/{appendix:02X}" for fid, appendix in sorted(wrong))
            raise TachoFormatError(len(data), f"EFs {what}: {names}")
    if generation is Generation.GEN2V2:
        v2_efs.merge_authentication(facts[True], len(data))
    primary = facts[has_gen2]
    if has_gen2 and facts[False].card_number != primary.card_number:
        raise TachoFormatError(0, "Gen1 and Gen2 applications name different cards")
    download = _to_download(generation, primary, facts[False])
    certificates = {(fid, 2 if gen2 else 0): cert for gen2, f in facts.items() for fid, cert in f.certificates.items()}
    return ParsedCardFile(download, signatures, certificates, elements, len(data))


def _read_elements(
    data: bytes, facts: dict[bool, CardFacts]
) -> tuple[set[tuple[int, int]], list[CardSignature], list[tuple[int, int, int]]]:
    """Decode every element of the file into `facts` (by application: Gen2 or not), checking that each appears
    once and that each signed EF is followed by its signature. Answers the (FID, appendix) pairs seen, the
    signatures and every element's (FID, appendix, length) in file order."""
    seen: set[tuple[int, int]] = set()
    signatures: list[CardSignature] = []
    elements: list[tuple[int, int, int]] = []
    r = ByteReader(data)
    pending: tuple[int, int, bytes] | None = None  # a signed EF whose signature must come next
    while r.remaining:
        at = r.offset
        fid = r.u16("FID")
        appendix = r.u8("appendix")
        length = r.u16("length")
        if length == 0xFFFF:
            raise TachoFormatError(at, "reserved length FFFF")
        value_start = r.pos
        value = r.sub(length, f"EF {fid:04X}")
        elements.append((fid, appendix, length))
        if (fid, appendix) in seen:
            raise TachoFormatError(at, f"EF {fid:04X}/{appendix:02X} appears twice")
        seen.add((fid, appendix))
        if appendix in (1, 3):
            if pending is None or pending[:2] != (fid, appendix - 1):
                raise TachoFormatError(at, f"signature {fid:04X}/{appendix:02X} without its EF just before it")
            expected = GEN2_SIGNATURE_SIZE if appendix == 3 else GEN1_SIGNATURE_SIZE
            if length != expected:
                raise TachoFormatError(at, f"signature of {length} bytes, expected {expected}")
            signatures.append(CardSignature(fid, appendix, pending[2], value.take(length)))
            pending = None
            continue
        if pending is not None:
            raise TachoFormatError(at, f"EF {pending[0]:04X}/{pending[1]:02X} is not followed by its signature")
        if _decode_ef(value, at, fid, appendix, length, facts):
            pending = (fid, appendix, bytes(data[value_start : value_start + length]))
    if pending is not None:
        raise TachoFormatError(r.offset, f"EF {pending[0]:04X}/{pending[1]:02X} is not followed by its signature")
    return seen, signatures, elements


def _decode_ef(value: ByteReader, at: int, fid: int, appendix: int, length: int, facts: dict[bool, CardFacts]) -> bool:
    """Decode one data EF (appendix 0: Gen1, 2: Gen2) into its application's facts; answer whether it is signed."""
    if appendix not in (0, 2):
        raise TachoFormatError(at, f"unknown appendix {appendix:02X}")
    codec = EF_CODECS.get(fid)
    gen2 = appendix == 2
    # the Gen2 application's capacities follow its cardStructureVersion (EF 0501, its first EF)
    capacity = GEN2_CAPACITIES.get(facts[True].structure_version, GEN2_CAPACITY) if gen2 else GEN1_CAPACITY
    if codec is None or (codec.gen2_only and not gen2) or (codec.gen2v2_only and not capacity.v2):
        raise TachoFormatError(at, f"unknown EF {fid:04X}/{appendix:02X}")
    expected_size = codec.size(capacity, gen2)
    if expected_size is not None and length != expected_size:
        raise TachoFormatError(at, f"EF {codec.name} has {length} bytes, expected {expected_size}")
    codec.decode(value, capacity, gen2, facts[gen2])
    value.expect_end(f"EF {codec.name}")
    return codec.signed


def _expected_elements(generation: Generation) -> set[tuple[int, int]]:
    expected: set[tuple[int, int]] = set()
    for application in CARD_LAYOUTS[generation]:
        for fid in application.fids:
            expected.add((fid, application.data_appendix))
            if EF_CODECS[fid].signed:
                expected.add((fid, application.data_appendix + 1))
    return expected


def _to_download(generation: Generation, facts: CardFacts, mf: CardFacts) -> DriverCardDownload:
    assert facts.birth_date and facts.issue_date and facts.validity_begin and facts.expiry
    assert facts.licence is not None and mf.chip is not None and facts.downloaded_at is not None
    return DriverCardDownload(
        generation=generation,
        card_number=facts.card_number,
        issuing_nation=facts.issuing_nation,
        holder=facts.holder,
        birth_date=facts.birth_date,
        preferred_language=facts.preferred_language,
        issuing_authority=facts.issuing_authority,
        issue_date=facts.issue_date,
        validity_begin=facts.validity_begin,
        expiry=facts.expiry,
        licence=facts.licence,
        chip=mf.chip,
        downloaded_at=facts.downloaded_at,
        activity_days=facts.activity_days,
        activity_ring_offset=facts.activity_ring_offset,
        vehicles_used=facts.vehicles_used,
        places=facts.places,
        events=facts.events,
        faults=facts.faults,
        current_usage=facts.current_usage,
        specific_conditions=facts.specific_conditions,
        vehicle_units_used=facts.vehicle_units_used,
        gnss_accumulated_driving=facts.gnss_accumulated_driving,
        border_crossings=facts.border_crossings,
        load_unload_operations=facts.load_unload_operations,
        load_type_entries=facts.load_type_entries,
        control_activity=facts.control_activity,
    )
