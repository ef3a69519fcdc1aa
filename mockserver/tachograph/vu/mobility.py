"""Encoders and decoders of the Gen2 VU records of positions, crossings, loads and time adjustments (Appendix 1):
VuGNSSADRecord (Gen2v1 56 bytes, Gen2v2 57 with the GNSS authentication status), VuBorderCrossingRecord (55),
VuLoadUnloadRecord (58) and VuTimeAdjustmentRecord (99). Card numbers are FullCardNumberAndGeneration (19 bytes,
zeros for an empty slot); places GNSSPlaceRecord / GNSSPlaceAuthRecord."""

from __future__ import annotations

from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter
from mockserver.tachograph.types import GnssPlace
from mockserver.tachograph.vu_model import VuBorderCrossing, VuGnssAccumulatedDriving, VuLoadUnload, VuTimeAdjustment

GNSS_AD_SIZE = {False: 56, True: 57}
BORDER_CROSSING_SIZE = 55
LOAD_UNLOAD_SIZE = 58
TIME_ADJUSTMENT_SIZE = 99
OPERATION_TYPES = (1, 2, 3)


def _place(r: ByteReader, with_auth: bool, what: str) -> GnssPlace:
    at = r.offset
    place = r.gnss_place(with_auth)
    if place is None:
        raise r.fail(f"{what}: GNSS place without a time stamp", at)
    return place


def write_gnss_ad(w: ByteWriter, record: VuGnssAccumulatedDriving, v2: bool) -> None:
    w.time(record.timestamp)
    w.full_card_number(record.driver_card, True)
    w.full_card_number(record.co_driver_card, True)
    w.gnss_place(record.place, v2)
    w.u24(record.odometer)


def read_gnss_ad(r: ByteReader, v2: bool) -> VuGnssAccumulatedDriving:
    timestamp = r.time("timeStamp")
    driver = r.full_card_number(True)
    co_driver = r.full_card_number(True)
    place = _place(r, v2, "VuGNSSADRecord")
    return VuGnssAccumulatedDriving(timestamp, driver, co_driver, place, r.u24("vehicleOdometerValue"))


def write_border_crossing(w: ByteWriter, record: VuBorderCrossing) -> None:
    w.full_card_number(record.driver_card, True)
    w.full_card_number(record.co_driver_card, True)
    w.u8(record.country_left)
    w.u8(record.country_entered)
    w.gnss_place(record.place, True)
    w.u24(record.odometer)


def read_border_crossing(r: ByteReader) -> VuBorderCrossing:
    driver = r.full_card_number(True)
    co_driver = r.full_card_number(True)
    left = r.u8("countryLeft")
    entered = r.u8("countryEntered")
    place = _place(r, True, "VuBorderCrossingRecord")
    return VuBorderCrossing(driver, co_driver, left, entered, place, r.u24("vehicleOdometerValue"))


def write_load_unload(w: ByteWriter, record: VuLoadUnload) -> None:
    w.time(record.timestamp)
    w.u8(record.operation)
    w.full_card_number(record.driver_card, True)
    w.full_card_number(record.co_driver_card, True)
    w.gnss_place(record.place, True)
    w.u24(record.odometer)


def read_load_unload(r: ByteReader) -> VuLoadUnload:
    timestamp = r.time("timeStamp")
    at = r.offset
    operation = r.u8("operationType")
    if operation not in OPERATION_TYPES:
        raise r.fail(f"unknown operationType {operation}", at)
    driver = r.full_card_number(True)
    co_driver = r.full_card_number(True)
    place = _place(r, True, "VuLoadUnloadRecord")
    return VuLoadUnload(timestamp, operation, driver, co_driver, place, r.u24("vehicleOdometerValue"))


def write_time_adjustment(w: ByteWriter, record: VuTimeAdjustment) -> None:
    w.time(record.old_time)
    w.time(record.new_time)
    w.name(record.workshop_name)
    w.name(record.workshop_address)
    w.full_card_number(record.workshop_card, True)


def read_time_adjustment(r: ByteReader) -> VuTimeAdjustment:
    old = r.time("oldTimeValue")
    new = r.time("newTimeValue")
    name = r.name(what="workshopName")
    address = r.name(what="workshopAddress")
    card = r.required_card(True, "workshopCardNumberAndGeneration")
    return VuTimeAdjustment(old, new, name, address, card)
