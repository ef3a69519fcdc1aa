"""Gen1 VU transfer blocks, TREP 01-05 (Appendix 7 DDP_029..033, Gen1 data structures; RSA signatures)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from mockserver.tachograph.codec.activity import encode_activity, read_activity
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter
from mockserver.tachograph.security.signer import (
    GEN1_CERTIFICATE_SIZE,
    GEN1_SIGNATURE_SIZE,
    Holder,
    Signer,
)
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu import records as rec
from mockserver.tachograph.vu.family import (
    BlockKind,
    SignedRegion,
    VuFamilyCodec,
    VuSecurity,
    register_vu_family,
)
from mockserver.tachograph.vu_model import (
    CardSlots,
    SpeedBlock,
    VuActivityDay,
    VuEventsAndFaults,
    VuOverview,
    VuTechnicalData,
)

T = TypeVar("T")
LAYOUT = rec.VuLayout(gen2=False, v2=False)


def _counted(w: ByteWriter, items: Sequence[T], width: int, encode: Callable[[T], None], what: str) -> None:
    limit = (1 << (8 * width)) - 1
    if len(items) > limit:
        raise ValueError(f"too many {what}: {len(items)} > {limit}")
    w.raw(len(items).to_bytes(width, "big"))
    for item in items:
        encode(item)


def _read_counted(r: ByteReader, width: int, decode: Callable[[], T], what: str) -> list[T]:
    count = r.u8(what) if width == 1 else r.u16(what)
    return [decode() for _ in range(count)]


class Gen1Family(VuFamilyCodec):
    generation = Generation.GEN1
    treps = {
        BlockKind.OVERVIEW: 0x01,
        BlockKind.ACTIVITIES: 0x02,
        BlockKind.EVENTS_FAULTS: 0x03,
        BlockKind.DETAILED_SPEED: 0x04,
        BlockKind.TECHNICAL: 0x05,
    }

    def _sign(self, w: ByteWriter, start: int, signer: Signer) -> None:
        w.raw(signer.gen1_sign(Holder.VEHICLE_UNIT, bytes(w.buf[start:])))

    def _read_signature(self, r: ByteReader, kind: BlockKind, block_start: int, security: VuSecurity) -> None:
        data = bytes(r.data[block_start : r.pos])
        signature = r.take(GEN1_SIGNATURE_SIZE, "Signature")
        security.signed.append(SignedRegion(kind, r.base + block_start, data, signature))

    # -- writers ---------------------------------------------------------------------------------------------

    def write_overview(self, w: ByteWriter, overview: VuOverview, signer: Signer) -> None:
        member_state, vu_cert = signer.gen1_certificates(Holder.VEHICLE_UNIT)
        w.raw(member_state)
        w.raw(vu_cert)
        start = len(w)
        w.ia5(overview.vin, 17)
        w.registration(overview.registration)
        w.time(overview.current_time)
        w.time(overview.downloadable_from)
        w.time(overview.downloadable_to)
        w.u8((overview.card_slots.co_driver << 4) | overview.card_slots.driver)
        rec.write_previous_download(w, overview.previous_download, LAYOUT)
        _counted(w, overview.company_locks, 1, lambda lock: rec.write_lock(w, lock, LAYOUT), "company locks")
        _counted(w, overview.controls, 1, lambda c: rec.write_control(w, c, LAYOUT), "controls")
        self._sign(w, start, signer)

    def write_day(self, w: ByteWriter, day: VuActivityDay, signer: Signer) -> None:
        start = len(w)
        w.date_as_time(day.day)
        w.u24(day.odometer_midnight)
        _counted(w, day.card_insertions, 2, lambda i: rec.write_card_insertion(w, i, LAYOUT), "card insertions")
        _counted(w, day.activity_changes, 2, lambda c: w.u16(encode_activity(c)), "activity changes")
        _counted(w, day.places, 1, lambda p: rec.write_place(w, p, LAYOUT), "places")
        _counted(w, day.specific_conditions, 2, w.specific_condition, "specific conditions")
        self._sign(w, start, signer)

    def write_events(self, w: ByteWriter, events: VuEventsAndFaults, signer: Signer) -> None:
        start = len(w)
        _counted(w, events.faults, 1, lambda f: rec.write_event_or_fault(w, f, LAYOUT, False), "faults")
        _counted(w, events.events, 1, lambda e: rec.write_event_or_fault(w, e, LAYOUT, True), "events")
        rec.write_overspeed_control(w, events.overspeed_control)
        _counted(w, events.overspeed_events, 1, lambda e: rec.write_overspeed_event(w, e, LAYOUT), "overspeeds")
        w.u8(0)  # noOfVuTimeAdjRecords (not simulated)
        self._sign(w, start, signer)

    def write_speed(self, w: ByteWriter, blocks: tuple[SpeedBlock, ...], signer: Signer) -> None:
        start = len(w)
        _counted(w, blocks, 2, lambda b: rec.write_speed_block(w, b), "speed blocks")
        self._sign(w, start, signer)

    def write_technical(self, w: ByteWriter, technical: VuTechnicalData, signer: Signer) -> None:
        start = len(w)
        rec.write_identification(w, technical.identification, LAYOUT)
        rec.write_sensor(w, technical.sensor, LAYOUT)
        _counted(w, technical.calibrations, 1, lambda c: rec.write_calibration(w, c, LAYOUT), "calibrations")
        self._sign(w, start, signer)

    # -- readers ---------------------------------------------------------------------------------------------

    def read_overview(self, r: ByteReader, security: VuSecurity) -> VuOverview:
        security.member_state_certificate = r.take(GEN1_CERTIFICATE_SIZE, "MemberStateCertificate")
        security.vu_certificate = r.take(GEN1_CERTIFICATE_SIZE, "VuCertificate")
        start = r.pos
        vin = r.ia5(17, "VehicleIdentificationNumber")
        at = r.offset
        registration = r.registration()
        if registration is None:
            raise r.fail("empty VehicleRegistrationIdentification", at)
        current = r.time("CurrentDateTime")
        downloadable_from = r.time("minDownloadableTime")
        downloadable_to = r.time("maxDownloadableTime")
        slots = r.u8("CardSlotsStatus")
        previous = rec.read_previous_download(r, LAYOUT)
        locks = _read_counted(r, 1, lambda: rec.read_lock(r, LAYOUT), "noOfLocks")
        controls = _read_counted(r, 1, lambda: rec.read_control(r, LAYOUT), "noOfControls")
        self._read_signature(r, BlockKind.OVERVIEW, start, security)
        return VuOverview(
            vin,
            registration,
            current,
            downloadable_from,
            downloadable_to,
            CardSlots(slots & 0x0F, slots >> 4),
            previous,
            tuple(locks),
            tuple(controls),
        )

    def read_day(self, r: ByteReader, security: VuSecurity) -> VuActivityDay:
        start = r.pos
        day = r.time_as_date("date of day downloaded")
        odometer = r.u24("OdometerValueMidnight")
        insertions = _read_counted(r, 2, lambda: rec.read_card_insertion(r, LAYOUT), "noOfIWRecords")
        changes = _read_counted(r, 2, lambda: read_activity(r), "noOfActivityChanges")
        places = _read_counted(r, 1, lambda: rec.read_place(r, LAYOUT), "noOfPlaceRecords")
        conditions = _read_counted(r, 2, r.specific_condition, "noOfSpecificConditionRecords")
        self._read_signature(r, BlockKind.ACTIVITIES, start, security)
        return VuActivityDay(day, odometer, tuple(insertions), tuple(changes), tuple(places), tuple(conditions))

    def read_events(self, r: ByteReader, security: VuSecurity) -> VuEventsAndFaults:
        start = r.pos
        faults = _read_counted(r, 1, lambda: rec.read_event_or_fault(r, LAYOUT, False), "noOfVuFaults")
        events = _read_counted(r, 1, lambda: rec.read_event_or_fault(r, LAYOUT, True), "noOfVuEvents")
        control = rec.read_overspeed_control(r)
        overspeeds = _read_counted(r, 1, lambda: rec.read_overspeed_event(r, LAYOUT), "noOfOverSpeedingEvents")
        at = r.offset
        if r.u8("noOfVuTimeAdjRecords") != 0:
            raise r.fail("time adjustment records are not supported", at)
        self._read_signature(r, BlockKind.EVENTS_FAULTS, start, security)
        return VuEventsAndFaults(tuple(faults), tuple(events), control, tuple(overspeeds))

    def read_speed(self, r: ByteReader, security: VuSecurity) -> tuple[SpeedBlock, ...]:
        start = r.pos
        blocks = _read_counted(r, 2, lambda: rec.read_speed_block(r), "noOfSpeedBlocks")
        self._read_signature(r, BlockKind.DETAILED_SPEED, start, security)
        return tuple(blocks)

    def read_technical(self, r: ByteReader, security: VuSecurity) -> VuTechnicalData:
        start = r.pos
        ident = rec.read_identification(r, LAYOUT)
        sensor = rec.read_sensor(r, LAYOUT)
        cals = _read_counted(r, 1, lambda: rec.read_calibration(r, LAYOUT), "noOfVuCalibrationRecords")
        self._read_signature(r, BlockKind.TECHNICAL, start, security)
        return VuTechnicalData(ident, sensor, tuple(cals))


register_vu_family(Gen1Family())
