"""The packed record encoders of `mockserver.tachograph.card.records` and the activity ring's day bodies write
exactly what the general `ByteWriter` writes, field by field as Appendix 1 lays the records out."""

from __future__ import annotations

import struct
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tacho_strategies import card_days, card_downloads

from mockserver.tachograph.card import ring
from mockserver.tachograph.card.records import (
    PLACE_SIZES,
    UNIT_SIZE,
    VEHICLE_SIZES,
    place_record,
    unit_record,
    vehicle_record,
)
from mockserver.tachograph.card_model import CardActivityDay, CardVehicleUnitUsed, CardVehicleUsed
from mockserver.tachograph.codec.activity import encode_activity
from mockserver.tachograph.codec.primitives import ByteWriter, bcd
from mockserver.tachograph.types import Generation, PlaceRecord, day_start

GENERATIONS = [Generation.GEN1, Generation.GEN2V1]


def _vehicle(vehicle: CardVehicleUsed, gen2: bool) -> bytes:
    w = ByteWriter()
    w.u24(vehicle.odometer_begin)
    w.u24(vehicle.odometer_end)
    w.time(vehicle.first_use)
    w.time(vehicle.last_use)
    w.registration(vehicle.registration)
    w.bcd_counter(vehicle.vu_data_block_counter)
    if gen2:
        w.ia5(vehicle.vin, 17)
    return bytes(w.buf)


def _place(place: PlaceRecord, gen2: bool) -> bytes:
    w = ByteWriter()
    w.place_record(place, gen2, False)
    return bytes(w.buf)


def _unit(unit: CardVehicleUnitUsed) -> bytes:
    w = ByteWriter()
    w.time(unit.timestamp)
    w.u8(unit.manufacturer_code)
    w.u8(unit.device_id)
    w.ia5(unit.software_version, 4)
    return bytes(w.buf)


def _day_body(day: CardActivityDay) -> bytes:
    w = ByteWriter()
    w.time(day_start(day.day))
    w.raw(bcd(day.presence_counter % 10000, 2))
    w.u16(day.distance_km)
    w.raw(struct.pack(f">{len(day.changes)}H", *map(encode_activity, day.changes)))
    return bytes(w.buf)


@pytest.mark.parametrize("generation", GENERATIONS)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_packed_records_are_the_byte_writer_s_records(generation: Generation, data: st.DataObject) -> None:
    card = data.draw(card_downloads(generation))
    gen2 = generation.is_gen2
    for vehicle in card.vehicles_used:
        assert vehicle_record(vehicle, gen2) == _vehicle(vehicle, gen2)
        assert len(vehicle_record(vehicle, gen2)) == VEHICLE_SIZES[gen2]
    for place in card.places:
        assert place_record(place, gen2) == _place(place, gen2)
        assert len(place_record(place, gen2)) == PLACE_SIZES[gen2]
    for unit in card.vehicle_units_used:
        assert unit_record(unit) == _unit(unit) and len(unit_record(unit)) == UNIT_SIZE


@settings(max_examples=25, deadline=None)
@given(card_days())
def test_a_day_body_is_the_byte_writer_s_body(days: tuple[CardActivityDay, ...]) -> None:
    for day in days:
        assert ring._day_body(day) == _day_body(day)


def test_a_place_without_gnss_is_the_unknown_position() -> None:
    place = PlaceRecord(day_start(date(2024, 1, 1)), 1, 0x0D, 0, 123, None)
    assert place_record(place, True) == _place(place, True)
    assert place_record(place, True)[10:] == bytes(5) + b"\x7f\xff\xff\x7f\xff\xff"
