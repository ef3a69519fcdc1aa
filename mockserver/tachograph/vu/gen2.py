"""Gen2 VU transfer blocks: v1 (TREP 21-25) and v2 (31, 32, 33, 24, 35), built from record arrays.

Every top-level element is `recordType (1) | recordSize (2) | noOfRecords (2) | records`; empty sections are a
header with zero records. Signatures are ECDSA r||s in a final `08` array.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from mockserver.tachograph.codec.activity import encode_activity, read_activity
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter
from mockserver.tachograph.security.gen2_certificate import parse_gen2_certificate
from mockserver.tachograph.security.signer import GEN2_SIGNATURE_SIZE, Holder, Signer
from mockserver.tachograph.types import Generation, VehicleRegistration
from mockserver.tachograph.vu import mobility as mob
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
    OverspeedControl,
    SpeedBlock,
    VuActivityDay,
    VuEventsAndFaults,
    VuOverview,
    VuTechnicalData,
)

T = TypeVar("T")

# RecordType values (data dictionary 2.120)
ACTIVITY_CHANGE = 0x01
CARD_SLOTS = 0x02
CURRENT_TIME = 0x03
MS_CERTIFICATE = 0x04
ODOMETER_MIDNIGHT = 0x05
DAY_DOWNLOADED = 0x06
SIGNATURE = 0x08
SPECIFIC_CONDITION = 0x09
VIN = 0x0A
REGISTRATION_NUMBER = 0x0B
CALIBRATION = 0x0C
CARD_IW = 0x0D
CARD_RECORD = 0x0E
VU_CERTIFICATE = 0x0F
COMPANY_LOCKS = 0x10
CONTROL_ACTIVITY = 0x11
SPEED_BLOCK = 0x12
DOWNLOADABLE_PERIOD = 0x13
DOWNLOAD_ACTIVITY = 0x14
EVENT = 0x15
GNSS_AD = 0x16
ITS_CONSENT = 0x17
FAULT = 0x18
IDENTIFICATION = 0x19
OVERSPEED_CONTROL = 0x1A
OVERSPEED_EVENT = 0x1B
PLACE = 0x1C
TIME_ADJUSTMENT = 0x1E
POWER_INTERRUPTION = 0x1F
SENSOR_PAIRED = 0x20
SENSOR_GNSS_COUPLED = 0x21
BORDER_CROSSING = 0x22
LOAD_UNLOAD = 0x23
REGISTRATION_IDENTIFICATION = 0x24

# Sizes of records this simulator always sends as empty arrays.
EMPTY_TECHNICAL = ((SENSOR_GNSS_COUPLED, 28),)
EMPTY_TECHNICAL_TAIL = ((CARD_RECORD, 45), (ITS_CONSENT, 20), (POWER_INTERRUPTION, 87))


def write_array(w: ByteWriter, record_type: int, size: int, items: Sequence[T], encode: Callable[[T], None]) -> None:
    if len(items) > 0xFFFF:
        raise ValueError(f"too many records of type {record_type:#04x}")
    w.u8(record_type)
    w.u16(size)
    w.u16(len(items))
    for item in items:
        start = len(w)
        encode(item)
        if len(w) - start != size:
            raise AssertionError(f"record type {record_type:#04x} encoded {len(w) - start} bytes, not {size}")


def read_array(r: ByteReader, record_type: int, size: int | None, decode: Callable[[ByteReader], T]) -> list[T]:
    at = r.offset
    found = r.u8("recordType")
    if found != record_type:
        raise r.fail(f"expected record array {record_type:#04x}, found {found:#04x}", at)
    at = r.offset
    record_size = r.u16("recordSize")
    if size is not None and record_size != size:
        raise r.fail(f"record array {record_type:#04x}: recordSize {record_size}, expected {size}", at)
    count = r.u16("noOfRecords")
    items: list[T] = []
    for _ in range(count):
        sub = r.sub(record_size, f"record of type {record_type:#04x}")
        items.append(decode(sub))
        sub.expect_end(f"record of type {record_type:#04x}")
    return items


def read_single(r: ByteReader, record_type: int, size: int | None, decode: Callable[[ByteReader], T]) -> T:
    at = r.offset
    items = read_array(r, record_type, size, decode)
    if len(items) != 1:
        raise r.fail(f"record array {record_type:#04x} must hold exactly one record, holds {len(items)}", at)
    return items[0]


class Gen2Family(VuFamilyCodec):
    def __init__(self, generation: Generation, treps: dict[BlockKind, int]) -> None:
        self.generation = generation
        self.treps = treps
        self.layout = rec.VuLayout.of(generation)
        self.sizes = self.layout.sizes()

    def _sign(self, w: ByteWriter, start: int, signer: Signer) -> None:
        signature = signer.gen2_sign(Holder.VEHICLE_UNIT, bytes(w.buf[start:]))
        write_array(w, SIGNATURE, len(signature), [signature], w.raw)

    def _read_signature(self, r: ByteReader, kind: BlockKind, start: int, security: VuSecurity) -> None:
        data = bytes(r.data[start : r.pos])
        signature = read_single(r, SIGNATURE, GEN2_SIGNATURE_SIZE, lambda s: s.take(s.remaining, "Signature"))
        security.signed.append(SignedRegion(kind, r.base + start, data, signature))

    def _empty(self, w: ByteWriter, record_type: int, size: int) -> None:
        write_array(w, record_type, size, [], w.raw)

    def _read_empty(self, r: ByteReader, record_type: int, size: int) -> None:
        at = r.offset
        if read_array(r, record_type, size, lambda s: s.take(s.remaining)):
            raise r.fail(f"records of type {record_type:#04x} are not supported", at)

    # -- writers ---------------------------------------------------------------------------------------------

    def write_overview(self, w: ByteWriter, overview: VuOverview, signer: Signer) -> None:
        layout, sizes = self.layout, self.sizes
        certificates = signer.gen2_certificates(Holder.VEHICLE_UNIT)
        write_array(w, MS_CERTIFICATE, len(certificates.member_state), [certificates.member_state], w.raw)
        write_array(w, VU_CERTIFICATE, len(certificates.sign), [certificates.sign], w.raw)
        start = len(w)
        write_array(w, VIN, 17, [overview.vin], lambda vin: w.ia5(vin, 17))
        if layout.v2:
            write_array(w, REGISTRATION_IDENTIFICATION, 15, [overview.registration], w.registration)
        else:
            write_array(w, REGISTRATION_NUMBER, 14, [overview.registration], w.registration_number)
        write_array(w, CURRENT_TIME, 4, [overview.current_time], w.time)
        write_array(
            w,
            DOWNLOADABLE_PERIOD,
            8,
            [(overview.downloadable_from, overview.downloadable_to)],
            lambda period: _write_period(w, period),
        )
        slots = overview.card_slots
        write_array(w, CARD_SLOTS, 1, [(slots.co_driver << 4) | slots.driver], w.u8)
        previous = [overview.previous_download] if overview.previous_download else []
        write_array(
            w,
            DOWNLOAD_ACTIVITY,
            sizes["download"],
            previous,
            lambda p: rec.write_previous_download(w, p, layout),
        )
        write_array(
            w,
            COMPANY_LOCKS,
            sizes["lock"],
            overview.company_locks,
            lambda lock: rec.write_lock(w, lock, layout),
        )
        write_array(
            w,
            CONTROL_ACTIVITY,
            sizes["control"],
            overview.controls,
            lambda c: rec.write_control(w, c, layout),
        )
        self._sign(w, start, signer)

    def write_day(self, w: ByteWriter, day: VuActivityDay, signer: Signer) -> None:
        layout, sizes = self.layout, self.sizes
        start = len(w)
        write_array(w, DAY_DOWNLOADED, 4, [day.day], w.date_as_time)
        write_array(w, ODOMETER_MIDNIGHT, 3, [day.odometer_midnight], w.u24)
        write_array(
            w,
            CARD_IW,
            sizes["card_iw"],
            day.card_insertions,
            lambda i: rec.write_card_insertion(w, i, layout),
        )
        write_array(w, ACTIVITY_CHANGE, 2, day.activity_changes, lambda c: w.u16(encode_activity(c)))
        write_array(w, PLACE, sizes["place"], day.places, lambda p: rec.write_place(w, p, layout))
        v2 = layout.v2
        size = mob.GNSS_AD_SIZE[v2]
        write_array(w, GNSS_AD, size, day.gnss_accumulated_driving, lambda g: mob.write_gnss_ad(w, g, v2))
        write_array(w, SPECIFIC_CONDITION, 5, day.specific_conditions, w.specific_condition)
        if v2:
            crossings = day.border_crossings
            write_array(
                w, BORDER_CROSSING, mob.BORDER_CROSSING_SIZE, crossings, lambda c: mob.write_border_crossing(w, c)
            )
            loads = day.load_operations
            write_array(w, LOAD_UNLOAD, mob.LOAD_UNLOAD_SIZE, loads, lambda o: mob.write_load_unload(w, o))
        self._sign(w, start, signer)

    def write_events(self, w: ByteWriter, events: VuEventsAndFaults, signer: Signer) -> None:
        layout, sizes = self.layout, self.sizes
        start = len(w)
        write_array(w, FAULT, sizes["fault"], events.faults, lambda f: rec.write_event_or_fault(w, f, layout, False))
        write_array(w, EVENT, sizes["event"], events.events, lambda e: rec.write_event_or_fault(w, e, layout, True))
        write_array(w, OVERSPEED_CONTROL, 9, [events.overspeed_control], lambda c: rec.write_overspeed_control(w, c))
        write_array(
            w,
            OVERSPEED_EVENT,
            sizes["overspeed"],
            events.overspeed_events,
            lambda e: rec.write_overspeed_event(w, e, layout),
        )
        size = mob.TIME_ADJUSTMENT_SIZE
        write_array(w, TIME_ADJUSTMENT, size, events.time_adjustments, lambda a: mob.write_time_adjustment(w, a))
        self._sign(w, start, signer)

    def write_speed(self, w: ByteWriter, blocks: tuple[SpeedBlock, ...], signer: Signer) -> None:
        start = len(w)
        write_array(w, SPEED_BLOCK, 64, blocks, lambda b: rec.write_speed_block(w, b))
        self._sign(w, start, signer)

    def write_technical(self, w: ByteWriter, technical: VuTechnicalData, signer: Signer) -> None:
        layout, sizes = self.layout, self.sizes
        start = len(w)
        write_array(
            w,
            IDENTIFICATION,
            sizes["identification"],
            [technical.identification],
            lambda i: rec.write_identification(w, i, layout),
        )
        write_array(w, SENSOR_PAIRED, sizes["sensor"], [technical.sensor], lambda s: rec.write_sensor(w, s, layout))
        for record_type, size in EMPTY_TECHNICAL:
            self._empty(w, record_type, size)
        write_array(
            w,
            CALIBRATION,
            sizes["calibration"],
            technical.calibrations,
            lambda c: rec.write_calibration(w, c, layout),
        )
        for record_type, size in EMPTY_TECHNICAL_TAIL:
            self._empty(w, record_type, size)
        self._sign(w, start, signer)

    # -- readers ---------------------------------------------------------------------------------------------

    def read_overview(self, r: ByteReader, security: VuSecurity) -> VuOverview:
        layout, sizes = self.layout, self.sizes
        security.member_state_certificate = read_single(r, MS_CERTIFICATE, None, _certificate)
        security.vu_certificate = read_single(r, VU_CERTIFICATE, None, _certificate)
        start = r.pos
        vin = read_single(r, VIN, 17, lambda s: s.ia5(17, "VIN"))
        registration: VehicleRegistration | None
        if layout.v2:
            registration = read_single(r, REGISTRATION_IDENTIFICATION, 15, lambda s: s.registration())
            if registration is None:
                raise r.fail("empty VehicleRegistrationIdentification")
        else:
            page, plate = read_single(r, REGISTRATION_NUMBER, 14, lambda s: s.registration_number())
            # Gen2v1 overviews carry no registration nation; it is recovered from the technical data.
            registration = VehicleRegistration(0, plate, page)
        current = read_single(r, CURRENT_TIME, 4, lambda s: s.time("CurrentDateTime"))
        period = read_single(r, DOWNLOADABLE_PERIOD, 8, lambda s: (s.time(), s.time()))
        slots = read_single(r, CARD_SLOTS, 1, lambda s: s.u8("CardSlotsStatus"))
        previous_list = read_array(
            r, DOWNLOAD_ACTIVITY, sizes["download"], lambda s: rec.read_previous_download(s, layout)
        )
        if len(previous_list) > 1:
            raise r.fail("more than one VuDownloadActivityData record")
        locks = read_array(r, COMPANY_LOCKS, sizes["lock"], lambda s: rec.read_lock(s, layout))
        controls = read_array(r, CONTROL_ACTIVITY, sizes["control"], lambda s: rec.read_control(s, layout))
        self._read_signature(r, BlockKind.OVERVIEW, start, security)
        return VuOverview(
            vin,
            registration,
            current,
            period[0],
            period[1],
            CardSlots(slots & 0x0F, slots >> 4),
            previous_list[0] if previous_list else None,
            tuple(locks),
            tuple(controls),
        )

    def read_day(self, r: ByteReader, security: VuSecurity) -> VuActivityDay:
        layout, sizes = self.layout, self.sizes
        start = r.pos
        day = read_single(r, DAY_DOWNLOADED, 4, lambda s: s.time_as_date("DateOfDayDownloaded"))
        odometer = read_single(r, ODOMETER_MIDNIGHT, 3, lambda s: s.u24("OdometerValueMidnight"))
        insertions = read_array(r, CARD_IW, sizes["card_iw"], lambda s: rec.read_card_insertion(s, layout))
        changes = read_array(r, ACTIVITY_CHANGE, 2, read_activity)
        places = read_array(r, PLACE, sizes["place"], lambda s: rec.read_place(s, layout))
        v2 = layout.v2
        positions = read_array(r, GNSS_AD, mob.GNSS_AD_SIZE[v2], lambda s: mob.read_gnss_ad(s, v2))
        conditions = read_array(r, SPECIFIC_CONDITION, 5, lambda s: s.specific_condition())
        crossings = read_array(r, BORDER_CROSSING, mob.BORDER_CROSSING_SIZE, mob.read_border_crossing) if v2 else []
        loads = read_array(r, LOAD_UNLOAD, mob.LOAD_UNLOAD_SIZE, mob.read_load_unload) if v2 else []
        self._read_signature(r, BlockKind.ACTIVITIES, start, security)
        return VuActivityDay(
            day,
            odometer,
            tuple(insertions),
            tuple(changes),
            tuple(places),
            tuple(conditions),
            tuple(positions),
            tuple(crossings),
            tuple(loads),
        )

    def read_events(self, r: ByteReader, security: VuSecurity) -> VuEventsAndFaults:
        layout, sizes = self.layout, self.sizes
        start = r.pos
        faults = read_array(r, FAULT, sizes["fault"], lambda s: rec.read_event_or_fault(s, layout, False))
        events = read_array(r, EVENT, sizes["event"], lambda s: rec.read_event_or_fault(s, layout, True))
        control: OverspeedControl = read_single(r, OVERSPEED_CONTROL, 9, rec.read_overspeed_control)
        overspeeds = read_array(r, OVERSPEED_EVENT, sizes["overspeed"], lambda s: rec.read_overspeed_event(s, layout))
        adjustments = read_array(r, TIME_ADJUSTMENT, mob.TIME_ADJUSTMENT_SIZE, mob.read_time_adjustment)
        self._read_signature(r, BlockKind.EVENTS_FAULTS, start, security)
        return VuEventsAndFaults(tuple(faults), tuple(events), control, tuple(overspeeds), tuple(adjustments))

    def read_speed(self, r: ByteReader, security: VuSecurity) -> tuple[SpeedBlock, ...]:
        start = r.pos
        blocks = read_array(r, SPEED_BLOCK, 64, rec.read_speed_block)
        self._read_signature(r, BlockKind.DETAILED_SPEED, start, security)
        return tuple(blocks)

    def read_technical(self, r: ByteReader, security: VuSecurity) -> VuTechnicalData:
        layout, sizes = self.layout, self.sizes
        start = r.pos
        ident = read_single(r, IDENTIFICATION, sizes["identification"], lambda s: rec.read_identification(s, layout))
        sensor = read_single(r, SENSOR_PAIRED, sizes["sensor"], lambda s: rec.read_sensor(s, layout))
        for record_type, size in EMPTY_TECHNICAL:
            self._read_empty(r, record_type, size)
        cals = read_array(r, CALIBRATION, sizes["calibration"], lambda s: rec.read_calibration(s, layout))
        for record_type, size in EMPTY_TECHNICAL_TAIL:
            self._read_empty(r, record_type, size)
        self._read_signature(r, BlockKind.TECHNICAL, start, security)
        return VuTechnicalData(ident, sensor, tuple(cals))


def _write_period(w: ByteWriter, period: tuple[datetime, datetime]) -> None:
    w.time(period[0])
    w.time(period[1])


def _certificate(r: ByteReader) -> bytes:
    start = r.pos
    parse_gen2_certificate(ByteReader(r.data, r.base, r.pos, r.end))
    r.pos = r.end
    return bytes(r.data[start : r.end])


register_vu_family(
    Gen2Family(
        Generation.GEN2V1,
        {
            BlockKind.OVERVIEW: 0x21,
            BlockKind.ACTIVITIES: 0x22,
            BlockKind.EVENTS_FAULTS: 0x23,
            BlockKind.DETAILED_SPEED: 0x24,
            BlockKind.TECHNICAL: 0x25,
        },
    )
)
register_vu_family(
    Gen2Family(
        Generation.GEN2V2,
        {
            BlockKind.OVERVIEW: 0x31,
            BlockKind.ACTIVITIES: 0x32,
            BlockKind.EVENTS_FAULTS: 0x33,
            BlockKind.DETAILED_SPEED: 0x24,
            BlockKind.TECHNICAL: 0x35,
        },
    )
)
