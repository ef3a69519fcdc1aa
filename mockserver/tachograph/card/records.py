"""The fixed-size records of a card's cyclic EFs as bytes, each in one expression.

A two-year card ZIP encodes thousands of vehicle, place and vehicle-unit records (each twice on a Gen2 card:
once per application), so these skip the general `ByteWriter` and pack each record at once; the plates and
strings they repeat are memoised (`registration_bytes`, `ia5_bytes`). They write exactly what `ByteWriter`'s
`registration`, `place_record` and friends write (tests/tachograph/test_card_records.py compares the two).
"""

from __future__ import annotations

import struct

from mockserver.tachograph.card_model import CardVehicleUnitUsed, CardVehicleUsed
from mockserver.tachograph.codec.primitives import bcd, ia5_bytes, registration_bytes, time_real
from mockserver.tachograph.types import PlaceRecord

VEHICLE_SIZES = {False: 31, True: 48}
PLACE_SIZES = {False: 10, True: 21}
UNIT_SIZE = 10
_NO_GNSS = bytes(5) + b"\x7f\xff\xff\x7f\xff\xff"  # GNSSPlaceRecord without a position
_TWO_TIMES = struct.Struct(">II")
_PLACE_HEAD = struct.Struct(">IBBB")
_GNSS_HEAD = struct.Struct(">IB")
_UNIT_HEAD = struct.Struct(">IBB")


def vehicle_record(vehicle: CardVehicleUsed, gen2: bool) -> bytes:
    """CardVehicleRecord: 31 bytes, and the VIN on Gen2 (48)."""
    record = b"".join(
        (
            vehicle.odometer_begin.to_bytes(3, "big"),
            vehicle.odometer_end.to_bytes(3, "big"),
            _TWO_TIMES.pack(time_real(vehicle.first_use), time_real(vehicle.last_use)),
            registration_bytes(vehicle.registration),
            bcd(vehicle.vu_data_block_counter, 2),
        )
    )
    return record + ia5_bytes(vehicle.vin, 17) if gen2 else record


def place_record(place: PlaceRecord, gen2: bool) -> bytes:
    """PlaceRecord: 10 bytes, and the GNSS place on Gen2 (21)."""
    head = _PLACE_HEAD.pack(time_real(place.entry_time), place.entry_type, place.country, place.region)
    record = head + place.odometer_km.to_bytes(3, "big")
    if not gen2:
        return record
    gnss = place.gnss
    if gnss is None:
        return record + _NO_GNSS
    return b"".join(
        (
            record,
            _GNSS_HEAD.pack(time_real(gnss.timestamp), gnss.accuracy),
            (gnss.latitude & 0xFFFFFF).to_bytes(3, "big"),
            (gnss.longitude & 0xFFFFFF).to_bytes(3, "big"),
        )
    )


def unit_record(unit: CardVehicleUnitUsed) -> bytes:
    """CardVehicleUnitRecord (10 bytes)."""
    head = _UNIT_HEAD.pack(time_real(unit.timestamp), unit.manufacturer_code, unit.device_id)
    return head + ia5_bytes(unit.software_version, 4)
