"""Driver-card elementary files (Appendix 2 TCS_150..155), each a registered codec.

An EF codec writes its value from a `DriverCardDownload` and reads it back into a `CardFacts` builder. Gen1
sizes are the Gen1 maxima (as real Gen1 cards ship); Gen2 sizes are fixed by TCS_154/155.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeVar

from mockserver.tachograph.card.records import (
    PLACE_SIZES,
    UNIT_SIZE,
    VEHICLE_SIZES,
    place_record,
    unit_record,
    vehicle_record,
)
from mockserver.tachograph.card.ring import decode_activity_buffer, encode_activity_buffer
from mockserver.tachograph.card.runs import RecordRun
from mockserver.tachograph.card_model import (
    CardActivityDay,
    CardChip,
    CardEventOrFault,
    CardGnssAccumulatedDriving,
    CardVehicleUnitUsed,
    CardVehicleUsed,
    CurrentUsage,
    DriverCardDownload,
    DrivingLicence,
)
from mockserver.tachograph.codec.memo import MEMO
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter, TachoFormatError
from mockserver.tachograph.security.gen2_certificate import parse_gen2_certificate
from mockserver.tachograph.security.signer import Holder, Signer
from mockserver.tachograph.types import HolderName, PlaceRecord, SpecificCondition

T = TypeVar("T")


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


GEN1_CAPACITY = CardCapacity(b"\x00\x00", 12, 24, 13776, 200, 112, 56)
GEN2_CAPACITY = CardCapacity(b"\x01\x00", 12, 24, 13776, 200, 112, 112, 336, 200)

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

    @functools.cached_property
    def input_fields(self) -> tuple[str, ...]:
        """`fields` in a fixed order."""
        return tuple(sorted(self.fields))

    @abstractmethod
    def size(self, capacity: CardCapacity, gen2: bool) -> int | None:
        """Exact value length, or None when variable (certificates)."""

    @abstractmethod
    def encode(self, ctx: EfContext, w: ByteWriter) -> None: ...

    @abstractmethod
    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None: ...


EF_CODECS: dict[int, EfCodec] = {}


def register_ef(codec: EfCodec) -> EfCodec:
    EF_CODECS[codec.fid] = codec
    return codec


# -- cyclic record EFs ---------------------------------------------------------------------------------------


def write_cyclic(
    w: ByteWriter,
    items: Sequence[T],
    capacity: int,
    record_size: int,
    pointer_width: int | None,
    to_bytes: Callable[[T], bytes],
    kind: str,
) -> None:
    """Pointer to the newest record, then `capacity` records (empty ones zero). Keeps the newest `capacity`.

    Encoded records are memoised by identity under `kind` (which must name the encoding, generation included);
    the records of a run of a card's log (`mockserver.tachograph.card.runs`) are one slice of the log's encodings.
    """
    if isinstance(items, RecordRun):
        kept_count = min(len(items), capacity)
        if pointer_width is not None:
            w.raw((max(kept_count - 1, 0)).to_bytes(pointer_width, "big"))
        w.raw(items.log.fixed_size(kind, record_size, to_bytes, items.stop - kept_count, items.stop))
        w.zeros(record_size * (capacity - kept_count))
        return
    kept = list(items)[-capacity:] if items else []
    if pointer_width is not None:
        w.raw((max(len(kept) - 1, 0)).to_bytes(pointer_width, "big"))
    for item in kept:
        data = MEMO.encoded(item, kind, functools.partial(to_bytes, item))
        if len(data) != record_size:
            raise AssertionError(f"{kind} record encoded {len(data)} bytes, not {record_size}")
        w.raw(data)
    w.zeros(record_size * (capacity - len(kept)))


def by_writer(encode: Callable[[ByteWriter, T], None]) -> Callable[[T], bytes]:
    """A record encoder that writes to a `ByteWriter` as one that returns the record's bytes."""
    return functools.partial(_encode_one, encode)


def _encode_one(encode: Callable[[ByteWriter, T], None], item: T) -> bytes:
    one = ByteWriter()
    encode(one, item)
    return bytes(one.buf)


def read_cyclic(
    r: ByteReader,
    capacity: int,
    record_size: int,
    pointer_width: int | None,
    decode: Callable[[ByteReader], T],
) -> tuple[T, ...]:
    newest = 0
    if pointer_width is not None:
        at = r.offset
        newest = int.from_bytes(r.take(pointer_width, "pointer to newest record"), "big")
        if newest >= capacity:
            raise TachoFormatError(at, f"newest-record pointer {newest} beyond {capacity} records")
    slots: list[T | None] = []
    for _ in range(capacity):
        sub = r.sub(record_size, "record")
        if not any(sub.data[sub.pos : sub.end]):
            slots.append(None)
            continue
        slots.append(decode(sub))
        sub.expect_end("record")
    order = slots[newest + 1 :] + slots[: newest + 1] if pointer_width is not None else slots
    return tuple(item for item in order if item is not None)


# -- the EFs -------------------------------------------------------------------------------------------------


class IccEf(EfCodec):
    fid, name, signed = 0x0002, "EF ICC", False
    fields = frozenset({"chip"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 25

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        chip = ctx.card.chip
        w.u8(0)  # clockStop
        w.extended_serial(chip.serial)
        w.ia5(chip.approval_number, 8)
        w.u8(chip.personaliser_id)
        w.ia5(chip.embedder_country, 2)
        w.raw(bytes.fromhex(f"{chip.embedder_module:04d}"))
        w.u8(chip.embedder_info)
        w.u16(chip.ic_identifier)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        r.u8("clockStop")
        serial = r.extended_serial()
        approval = r.ia5(8, "cardApprovalNumber")
        personaliser = r.u8("cardPersonaliserID")
        country = r.ia5(2, "embedder countryCode")
        module = r.bcd_counter("moduleEmbedder")
        info = r.u8("manufacturerInformation")
        ic_identifier = r.u16("icIdentifier")
        facts.chip = CardChip(serial, approval, personaliser, country, module, info, ic_identifier)


class IcEf(EfCodec):
    fid, name, signed = 0x0005, "EF IC", False
    fields = frozenset({"chip"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 8

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        w.u32(ctx.card.chip.ic_serial)
        w.u32(ctx.card.chip.ic_manufacturing)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        serial, manufacturing = r.u32("icSerialNumber"), r.u32("icManufacturingReferences")
        if facts.chip is not None:
            facts.chip = replace(facts.chip, ic_serial=serial, ic_manufacturing=manufacturing)


class ApplicationIdentificationEf(EfCodec):
    fid, name = 0x0501, "Application_Identification"

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 17 if gen2 else 10

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        cap = ctx.capacity
        w.u8(1)  # typeOfTachographCardId: driver card
        w.raw(cap.structure_version)
        w.u8(cap.events_per_type)
        w.u8(cap.faults_per_type)
        w.u16(cap.activity_length)
        w.u16(cap.vehicle_records)
        if ctx.gen2:
            w.u16(cap.place_records)
            w.u16(cap.gnss_records)
            w.u16(cap.specific_records)
            w.u16(cap.vehicle_unit_records)
        else:
            w.u8(cap.place_records)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        at = r.offset
        if r.u8("typeOfTachographCardId") != 1:
            raise TachoFormatError(at, "not a driver card")
        at = r.offset
        version = r.take(2, "cardStructureVersion")
        if gen2:
            facts.structure_version = version
        expected = [
            capacity.events_per_type,
            capacity.faults_per_type,
            capacity.activity_length,
            capacity.vehicle_records,
            capacity.place_records,
        ]
        found = [r.u8(), r.u8(), r.u16(), r.u16(), r.u16() if gen2 else r.u8()]
        if gen2:
            expected += [capacity.gnss_records, capacity.specific_records, capacity.vehicle_unit_records]
            found += [r.u16(), r.u16(), r.u16()]
        if found != expected:
            raise TachoFormatError(at, f"unsupported card capacities {found}, this reader knows {expected}")


class IdentificationEf(EfCodec):
    fid, name = 0x0520, "Identification"
    fields = frozenset(
        {
            "issuing_nation",
            "card_number",
            "issuing_authority",
            "issue_date",
            "validity_begin",
            "expiry",
            "holder",
            "birth_date",
            "preferred_language",
        }
    )

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 143

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        card = ctx.card
        w.u8(card.issuing_nation)
        w.ia5(card.card_number, 16)
        w.name(card.issuing_authority)
        w.time(card.issue_date)
        w.time(card.validity_begin)
        w.time(card.expiry)
        w.holder_name(card.holder)
        w.datef(card.birth_date)
        w.ia5(card.preferred_language, 2)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.issuing_nation = r.u8("cardIssuingMemberState")
        facts.card_number = r.take(16, "cardNumber").decode("ascii", "replace")
        facts.issuing_authority = r.name(what="cardIssuingAuthorityName")
        facts.issue_date = r.time("cardIssueDate")
        facts.validity_begin = r.time("cardValidityBegin")
        facts.expiry = r.time("cardExpiryDate")
        facts.holder = r.holder_name()
        facts.birth_date = r.datef("cardHolderBirthDate")
        facts.preferred_language = r.ia5(2, "cardHolderPreferredLanguage")


class CardDownloadEf(EfCodec):
    fid, name = 0x050E, "Card_Download"
    fields = frozenset({"downloaded_at"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 4

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        w.time(ctx.card.downloaded_at)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.downloaded_at = r.time("LastCardDownload")


class DrivingLicenceEf(EfCodec):
    fid, name = 0x0521, "Driving_Licence_Info"
    fields = frozenset({"licence"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 53

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        licence = ctx.card.licence
        w.name(licence.issuing_authority)
        w.u8(licence.issuing_nation)
        w.ia5(licence.number, 16)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.licence = DrivingLicence(r.name(what="drivingLicenceIssuingAuthority"), r.u8(), r.ia5(16))


def _grouped(
    items: Sequence[CardEventOrFault], groups: tuple[tuple[int, ...], ...], what: str
) -> list[list[CardEventOrFault]]:
    buckets: list[list[CardEventOrFault]] = [[] for _ in groups]
    for item in items:
        for index, codes in enumerate(groups):
            if item.event_type in codes:
                buckets[index].append(item)
                break
        else:
            raise ValueError(f"{what} type {item.event_type:#04x} has no place on a driver card")
    return buckets


def _write_event(w: ByteWriter, item: CardEventOrFault) -> None:
    w.u8(item.event_type)
    w.time(item.begin)
    w.time(item.end)
    w.registration(item.registration)


_EVENT_BYTES = by_writer(_write_event)


def _read_event(r: ByteReader) -> CardEventOrFault:
    event_type = r.u8("eventType")
    begin = r.time("eventBeginTime")
    end = r.time("eventEndTime")
    at = r.offset
    registration = r.registration()
    if registration is None:
        raise TachoFormatError(at, "event without vehicle registration")
    return CardEventOrFault(event_type, begin, end, registration)


class EventsOrFaultsEf(EfCodec):
    def __init__(self, fid: int, name: str, is_event: bool) -> None:
        self.fid, self.name, self.is_event = fid, name, is_event
        self.fields = frozenset({"generation", "events" if is_event else "faults"})

    def groups(self, gen2: bool) -> tuple[tuple[int, ...], ...]:
        if not self.is_event:
            return FAULT_GROUPS
        return GEN2_EVENT_GROUPS if gen2 else GEN1_EVENT_GROUPS

    def per_group(self, capacity: CardCapacity) -> int:
        return capacity.events_per_type if self.is_event else capacity.faults_per_type

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return len(self.groups(gen2)) * self.per_group(capacity) * 24

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        items = ctx.card.events if self.is_event else ctx.card.faults
        groups = self.groups(ctx.gen2)
        if ctx.card.generation.is_gen2 and not ctx.gen2:
            # the Gen1 application of a Gen2 card cannot hold the Gen2-only event types
            items = tuple(item for item in items if any(item.event_type in codes for codes in groups))
        per_group = self.per_group(ctx.capacity)
        for bucket in _grouped(items, groups, self.name):
            write_cyclic(w, bucket, per_group, 24, None, _EVENT_BYTES, "card-event")

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        found: list[CardEventOrFault] = []
        for codes in self.groups(gen2):
            at = r.offset
            group = read_cyclic(r, self.per_group(capacity), 24, None, _read_event)
            if any(item.event_type not in codes for item in group):
                raise TachoFormatError(at, f"{self.name}: event type in the wrong group")
            found.extend(group)
        if self.is_event:
            facts.events = tuple(found)
        else:
            facts.faults = tuple(found)


class DriverActivityEf(EfCodec):
    fid, name = 0x0504, "Driver_Activity_Data"
    fields = frozenset({"activity_days", "activity_ring_offset"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 4 + capacity.activity_length

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        card = ctx.card
        w.raw(encode_activity_buffer(card.activity_days, card.activity_ring_offset, ctx.capacity.activity_length))

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.activity_days, facts.activity_ring_offset = decode_activity_buffer(r, capacity.activity_length)


_VEHICLE_BYTES = {gen2: functools.partial(vehicle_record, gen2=gen2) for gen2 in (False, True)}
_PLACE_BYTES = {gen2: functools.partial(place_record, gen2=gen2) for gen2 in (False, True)}


def _read_vehicle(r: ByteReader, gen2: bool) -> CardVehicleUsed:
    odo_begin = r.u24("vehicleOdometerBegin")
    odo_end = r.u24("vehicleOdometerEnd")
    first = r.time("vehicleFirstUse")
    last = r.opt_time("vehicleLastUse")
    at = r.offset
    registration = r.registration()
    if registration is None:
        raise TachoFormatError(at, "vehicle record without registration")
    counter = r.bcd_counter("vuDataBlockCounter")
    vin = r.ia5(17, "VIN") if gen2 else ""
    return CardVehicleUsed(odo_begin, odo_end, first, last, registration, counter, vin)


class VehiclesUsedEf(EfCodec):
    fid, name = 0x0505, "Vehicles_Used"
    fields = frozenset({"vehicles_used"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.vehicle_records * (48 if gen2 else 31)

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        gen2 = ctx.gen2
        write_cyclic(
            w,
            ctx.card.vehicles_used,
            ctx.capacity.vehicle_records,
            VEHICLE_SIZES[gen2],
            2,
            _VEHICLE_BYTES[gen2],
            f"card-vehicle-{gen2}",
        )

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        size = 48 if gen2 else 31
        facts.vehicles_used = read_cyclic(r, capacity.vehicle_records, size, 2, lambda s: _read_vehicle(s, gen2))


class PlacesEf(EfCodec):
    fid, name = 0x0506, "Places"
    fields = frozenset({"places"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return (2 if gen2 else 1) + capacity.place_records * (21 if gen2 else 10)

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        gen2 = ctx.gen2
        write_cyclic(
            w,
            ctx.card.places,
            ctx.capacity.place_records,
            PLACE_SIZES[gen2],
            2 if gen2 else 1,
            _PLACE_BYTES[gen2],
            f"card-place-{gen2}",
        )

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.places = read_cyclic(
            r,
            capacity.place_records,
            21 if gen2 else 10,
            2 if gen2 else 1,
            lambda s: s.place_record(gen2, False),
        )


class CurrentUsageEf(EfCodec):
    fid, name = 0x0507, "Current_Usage"
    fields = frozenset({"current_usage"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 19

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        usage = ctx.card.current_usage
        w.time(None if usage is None else usage.session_open)
        w.registration(None if usage is None else usage.registration)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        opened = r.opt_time("sessionOpenTime")
        registration = r.registration()
        if (opened is None) != (registration is None):
            raise r.fail("Current_Usage half filled")
        if opened is not None and registration is not None:
            facts.current_usage = CurrentUsage(opened, registration)


class ControlActivityEf(EfCodec):
    """Not simulated: control activity (always the empty record)."""

    fid, name = 0x0508, "Control_Activity_Data"

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 46

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        w.zeros(46)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        r.expect_zeros(46, "Control_Activity_Data")


_CONDITION_BYTES = by_writer(ByteWriter.specific_condition)


class SpecificConditionsEf(EfCodec):
    fid, name = 0x0522, "Specific_Conditions"
    fields = frozenset({"specific_conditions"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return (2 if gen2 else 0) + capacity.specific_records * 5

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        write_cyclic(
            w,
            ctx.card.specific_conditions,
            ctx.capacity.specific_records,
            5,
            2 if ctx.gen2 else None,
            _CONDITION_BYTES,
            "card-condition",
        )

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.specific_conditions = read_cyclic(
            r, capacity.specific_records, 5, 2 if gen2 else None, lambda s: s.specific_condition()
        )


class VehicleUnitsUsedEf(EfCodec):
    fid, name, gen2_only = 0x0523, "VehicleUnits_Used", True
    fields = frozenset({"vehicle_units_used"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.vehicle_unit_records * 10

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        units = ctx.card.vehicle_units_used
        write_cyclic(w, units, ctx.capacity.vehicle_unit_records, UNIT_SIZE, 2, unit_record, "card-unit")

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.vehicle_units_used = read_cyclic(
            r,
            capacity.vehicle_unit_records,
            10,
            2,
            lambda s: CardVehicleUnitUsed(s.time(), s.u8(), s.u8(), s.ia5(4, "vuSoftwareVersion")),
        )


class GnssPlacesEf(EfCodec):
    fid, name, gen2_only = 0x0524, "GNSS_Places", True
    fields = frozenset({"gnss_accumulated_driving"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.gnss_records * 18

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        def one(out: ByteWriter, record: CardGnssAccumulatedDriving) -> None:
            out.time(record.timestamp)
            out.gnss_place(record.place, False)
            out.u24(record.odometer_km)

        records = ctx.card.gnss_accumulated_driving
        write_cyclic(w, records, ctx.capacity.gnss_records, 18, 2, by_writer(one), "card-gnss")

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        def one(s: ByteReader) -> CardGnssAccumulatedDriving:
            timestamp = s.time("timeStamp")
            at = s.offset
            place = s.gnss_place(False)
            if place is None:
                raise TachoFormatError(at, "GNSS accumulated driving record without a position")
            return CardGnssAccumulatedDriving(timestamp, place, s.u24("vehicleOdometerValue"))

        facts.gnss_accumulated_driving = read_cyclic(r, capacity.gnss_records, 18, 2, one)


class CertificateEf(EfCodec):
    """Certificates: never signed; content from the signer. `role` picks which certificate."""

    signed = False

    def __init__(self, fid: int, name: str, role: str) -> None:
        self.fid, self.name, self.role = fid, name, role

    def size(self, capacity: CardCapacity, gen2: bool) -> int | None:
        return None if gen2 else 194

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        if ctx.gen2:
            certificates = ctx.signer.gen2_certificates(Holder.DRIVER_CARD)
            w.raw(getattr(certificates, self.role))
        else:
            member_state, card = ctx.signer.gen1_certificates(Holder.DRIVER_CARD)
            w.raw(member_state if self.role == "member_state" else card)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        start = r.pos
        if gen2:
            parse_gen2_certificate(ByteReader(r.data, r.base, r.pos, r.end))
        facts.certificates[self.fid] = bytes(r.data[start : r.end])
        r.pos = r.end


for _codec in (
    IccEf(),
    IcEf(),
    ApplicationIdentificationEf(),
    CertificateEf(0xC100, "Card_Certificate", "ma"),
    CertificateEf(0xC101, "CardSignCertificate", "sign"),
    CertificateEf(0xC108, "CA_Certificate", "member_state"),
    CertificateEf(0xC109, "Link_Certificate", "link"),
    IdentificationEf(),
    CardDownloadEf(),
    DrivingLicenceEf(),
    EventsOrFaultsEf(0x0502, "Events_Data", True),
    EventsOrFaultsEf(0x0503, "Faults_Data", False),
    DriverActivityEf(),
    VehiclesUsedEf(),
    PlacesEf(),
    CurrentUsageEf(),
    ControlActivityEf(),
    SpecificConditionsEf(),
    VehicleUnitsUsedEf(),
    GnssPlacesEf(),
):
    register_ef(_codec)
