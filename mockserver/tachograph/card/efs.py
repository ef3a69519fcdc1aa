"""Driver-card elementary files that identify the card and its holder, its events and faults, and its
certificates (Appendix 2 TCS_150..155), each a registered codec; the activity and usage EFs are in
`mockserver.tachograph.card.usage_efs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mockserver.tachograph.card.cyclic import by_writer, cyclic_value, read_cyclic
from mockserver.tachograph.card.ef_codec import (
    FAULT_GROUPS,
    GEN1_EVENT_GROUPS,
    GEN2_EVENT_GROUPS,
    CardCapacity,
    CardFacts,
    EfCodec,
    EfContext,
    register_ef,
)
from mockserver.tachograph.card_model import CardChip, CardEventOrFault, DrivingLicence
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter, TachoFormatError
from mockserver.tachograph.security.gen2_certificate import parse_gen2_certificate
from mockserver.tachograph.security.signer import Holder


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
            w.raw(cyclic_value(bucket, per_group, 24, None, _EVENT_BYTES, "card-event"))

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
):
    register_ef(_codec)
