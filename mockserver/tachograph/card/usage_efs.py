"""Driver-card EFs of activities and of what a card records of its use (Appendix 2 TCS_150..155): the activity
ring, vehicles used, places, current usage, control activity, specific conditions, vehicle units used and GNSS
places, each a registered codec.
"""

from __future__ import annotations

import functools

from mockserver.tachograph.card.cyclic import by_writer, cyclic_value, read_cyclic
from mockserver.tachograph.card.ef_codec import (
    BytesValueEf,
    CardCapacity,
    CardFacts,
    EfCodec,
    EfContext,
    register_ef,
)
from mockserver.tachograph.card.records import (
    PLACE_SIZES,
    UNIT_SIZE,
    VEHICLE_SIZES,
    place_record,
    unit_record,
    vehicle_record,
)
from mockserver.tachograph.card.ring import decode_activity_buffer, encode_activity_buffer
from mockserver.tachograph.card_model import (
    CardControlActivity,
    CardGnssAccumulatedDriving,
    CardVehicleUnitUsed,
    CardVehicleUsed,
    CurrentUsage,
)
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter, TachoFormatError


class DriverActivityEf(BytesValueEf):
    fid, name = 0x0504, "Driver_Activity_Data"
    fields = frozenset({"activity_days", "activity_ring_offset"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 4 + capacity.activity_length

    def value(self, ctx: EfContext) -> bytes:
        card = ctx.card
        return encode_activity_buffer(card.activity_days, card.activity_ring_offset, ctx.capacity.activity_length)

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


class VehiclesUsedEf(BytesValueEf):
    fid, name = 0x0505, "Vehicles_Used"
    fields = frozenset({"vehicles_used"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.vehicle_records * (48 if gen2 else 31)

    def value(self, ctx: EfContext) -> bytes:
        gen2 = ctx.gen2
        return cyclic_value(
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


class PlacesEf(BytesValueEf):
    fid, name = 0x0506, "Places"
    fields = frozenset({"places"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return (2 if gen2 else 1) + capacity.place_records * (21 if gen2 else 10)

    def value(self, ctx: EfContext) -> bytes:
        gen2 = ctx.gen2
        return cyclic_value(
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
    """CardControlActivityDataRecord: the card's last control (all zeros while it has had none)."""

    fid, name = 0x0508, "Control_Activity_Data"
    fields = frozenset({"control_activity"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 46

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        control = ctx.card.control_activity
        if control is None:
            w.zeros(46)
            return
        w.u8(control.control_type)
        w.time(control.time)
        w.full_card_number(control.control_card, False)
        w.registration(control.registration)
        w.time(control.period_begin)
        w.time(control.period_end)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        if not any(r.data[r.pos : r.end]):
            r.expect_zeros(46, "Control_Activity_Data")
            return
        control_type = r.u8("controlType")
        time = r.time("controlTime")
        card = r.required_card(False, "controlCardNumber")
        at = r.offset
        registration = r.registration()
        if registration is None:
            raise TachoFormatError(at, "control without controlVehicleRegistration")
        begin, end = r.opt_time("controlDownloadPeriodBegin"), r.opt_time("controlDownloadPeriodEnd")
        facts.control_activity = CardControlActivity(control_type, time, card, registration, begin, end)


_CONDITION_BYTES = by_writer(ByteWriter.specific_condition)


class SpecificConditionsEf(EfCodec):
    fid, name = 0x0522, "Specific_Conditions"
    fields = frozenset({"specific_conditions"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return (2 if gen2 else 0) + capacity.specific_records * 5

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        pointer_width = 2 if ctx.gen2 else None
        capacity = ctx.capacity.specific_records
        conditions = ctx.card.specific_conditions
        w.raw(cyclic_value(conditions, capacity, 5, pointer_width, _CONDITION_BYTES, "card-condition"))

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.specific_conditions = read_cyclic(
            r, capacity.specific_records, 5, 2 if gen2 else None, lambda s: s.specific_condition()
        )


class VehicleUnitsUsedEf(BytesValueEf):
    fid, name, gen2_only = 0x0523, "VehicleUnits_Used", True
    fields = frozenset({"vehicle_units_used"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.vehicle_unit_records * 10

    def value(self, ctx: EfContext) -> bytes:
        units = ctx.card.vehicle_units_used
        return cyclic_value(units, ctx.capacity.vehicle_unit_records, UNIT_SIZE, 2, unit_record, "card-unit")

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
        w.raw(cyclic_value(records, ctx.capacity.gnss_records, 18, 2, by_writer(one), "card-gnss"))

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        def one(s: ByteReader) -> CardGnssAccumulatedDriving:
            timestamp = s.time("timeStamp")
            at = s.offset
            place = s.gnss_place(False)
            if place is None:
                raise TachoFormatError(at, "GNSS accumulated driving record without a position")
            return CardGnssAccumulatedDriving(timestamp, place, s.u24("vehicleOdometerValue"))

        facts.gnss_accumulated_driving = read_cyclic(r, capacity.gnss_records, 18, 2, one)


for _codec in (
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
