"""The EFs only a Gen2v2 driver card has (Appendix 2 TCS_152/154/155, cardStructureVersion 01 01), each a
registered codec: Application_Identification_V2 (the record counts of the others), the authentication status of
the places and GNSS places the card already holds, border crossings, load/unload operations, load type entries
and VU configurations. They live in the Gen2 application (appendix 02/03) of a Gen2v2 card only.

Every record EF is a cyclic buffer like the Gen2 ones: a 2-byte pointer to the newest record, then a fixed
number of fixed-size records, written oldest first from slot 0 (`mockserver.tachograph.card.cyclic`).
Not simulated: VU configurations (manufacturer specific: the EF is all zeros).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from mockserver.tachograph.card.cyclic import by_writer, cyclic_value, read_cyclic
from mockserver.tachograph.card.ef_codec import BytesValueEf, CardCapacity, CardFacts, EfCodec, EfContext, register_ef
from mockserver.tachograph.card_model import (
    CardBorderCrossing,
    CardGnssAccumulatedDriving,
    CardLoadTypeEntry,
    CardLoadUnload,
)
from mockserver.tachograph.codec.primitives import ByteReader, ByteWriter, TachoFormatError
from mockserver.tachograph.types import PlaceRecord

LENGTH_OF_FOLLOWING_DATA = 8  # DriverCardApplicationIdentificationV2: the four counts after it
BORDER_CROSSING_SIZE = 17
LOAD_UNLOAD_SIZE = 20
AUTH_STATUS_SIZE = 5  # PlaceAuthStatusRecord, GNSSAuthStatusADRecord, CardLoadTypeEntryRecord alike
R = TypeVar("R")


class V2Ef(EfCodec):
    gen2_only = gen2v2_only = True


class ApplicationIdentificationV2Ef(V2Ef):
    fid, name = 0x0525, "Application_Identification_V2"

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + LENGTH_OF_FOLLOWING_DATA

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        cap = ctx.capacity
        w.u16(LENGTH_OF_FOLLOWING_DATA)
        for count in (cap.border_crossing_records, cap.load_unload_records, cap.load_type_records):
            w.u16(count)
        w.u16(cap.vu_configuration_length)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        at = r.offset
        if r.u16("lengthOfFollowingData") != LENGTH_OF_FOLLOWING_DATA:
            raise TachoFormatError(at, f"lengthOfFollowingData is not {LENGTH_OF_FOLLOWING_DATA}")
        found = [r.u16(), r.u16(), r.u16(), r.u16()]
        expected = [
            capacity.border_crossing_records,
            capacity.load_unload_records,
            capacity.load_type_records,
            capacity.vu_configuration_length,
        ]
        if found != expected:
            raise TachoFormatError(at, f"unsupported Gen2v2 card capacities {found}, this reader knows {expected}")


def _write_place_auth(w: ByteWriter, place: PlaceRecord) -> None:
    w.time(place.entry_time)
    w.u8(0 if place.gnss is None else place.gnss.auth_status)


def _write_gnss_auth(w: ByteWriter, record: CardGnssAccumulatedDriving) -> None:
    w.time(record.timestamp)
    w.u8(record.place.auth_status)


_place_auth = by_writer(_write_place_auth)
_gnss_auth = by_writer(_write_gnss_auth)


def _read_auth(r: ByteReader) -> tuple[datetime, int]:
    return r.time("entryTime"), r.u8("authenticationStatus")


class PlacesAuthenticationEf(V2Ef, BytesValueEf):
    """The authentication status of each record of EF Places, in the same slots (PlaceAuthStatusRecord)."""

    fid, name = 0x0526, "Places_Authentication"
    fields = frozenset({"places"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.place_records * AUTH_STATUS_SIZE

    def value(self, ctx: EfContext) -> bytes:
        places = ctx.card.places
        return cyclic_value(places, ctx.capacity.place_records, AUTH_STATUS_SIZE, 2, _place_auth, "card-place-auth")

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.place_auth = read_cyclic(r, capacity.place_records, AUTH_STATUS_SIZE, 2, _read_auth)


class GnssPlacesAuthenticationEf(V2Ef, BytesValueEf):
    """The authentication status of each record of EF GNSS_Places, in the same slots (GNSSAuthStatusADRecord)."""

    fid, name = 0x0527, "GNSS_Places_Authentication"
    fields = frozenset({"gnss_accumulated_driving"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.gnss_records * AUTH_STATUS_SIZE

    def value(self, ctx: EfContext) -> bytes:
        records = ctx.card.gnss_accumulated_driving
        return cyclic_value(records, ctx.capacity.gnss_records, AUTH_STATUS_SIZE, 2, _gnss_auth, "card-gnss-auth")

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.gnss_auth = read_cyclic(r, capacity.gnss_records, AUTH_STATUS_SIZE, 2, _read_auth)


def _write_crossing(w: ByteWriter, crossing: CardBorderCrossing) -> None:
    w.u8(crossing.country_left)
    w.u8(crossing.country_entered)
    w.gnss_place(crossing.place, True)
    w.u24(crossing.odometer_km)


def _read_crossing(r: ByteReader) -> CardBorderCrossing:
    left, entered = r.u8("countryLeft"), r.u8("countryEntered")
    at = r.offset
    place = r.gnss_place(True)
    if place is None:
        raise TachoFormatError(at, "border crossing without its GNSS place")
    return CardBorderCrossing(left, entered, place, r.u24("vehicleOdometerValue"))


class BorderCrossingsEf(V2Ef, BytesValueEf):
    fid, name = 0x0528, "Border_Crossings"
    fields = frozenset({"border_crossings"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.border_crossing_records * BORDER_CROSSING_SIZE

    def value(self, ctx: EfContext) -> bytes:
        return cyclic_value(
            ctx.card.border_crossings,
            ctx.capacity.border_crossing_records,
            BORDER_CROSSING_SIZE,
            2,
            by_writer(_write_crossing),
            "card-border-crossing",
        )

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        count = capacity.border_crossing_records
        facts.border_crossings = read_cyclic(r, count, BORDER_CROSSING_SIZE, 2, _read_crossing)


def _write_load_unload(w: ByteWriter, operation: CardLoadUnload) -> None:
    w.time(operation.timestamp)
    w.u8(operation.operation)
    w.gnss_place(operation.place, True)
    w.u24(operation.odometer_km)


def _read_load_unload(r: ByteReader) -> CardLoadUnload:
    timestamp = r.time("timeStamp")
    at = r.offset
    operation = r.u8("operationType")
    if operation not in (1, 2, 3):
        raise TachoFormatError(at, f"unknown operationType {operation}")
    place = r.gnss_place(True)
    return CardLoadUnload(timestamp, operation, place, r.u24("vehicleOdometerValue"))


class LoadUnloadOperationsEf(V2Ef, BytesValueEf):
    fid, name = 0x0529, "Load_Unload_Operations"
    fields = frozenset({"load_unload_operations"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.load_unload_records * LOAD_UNLOAD_SIZE

    def value(self, ctx: EfContext) -> bytes:
        return cyclic_value(
            ctx.card.load_unload_operations,
            ctx.capacity.load_unload_records,
            LOAD_UNLOAD_SIZE,
            2,
            by_writer(_write_load_unload),
            "card-load-unload",
        )

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        count = capacity.load_unload_records
        facts.load_unload_operations = read_cyclic(r, count, LOAD_UNLOAD_SIZE, 2, _read_load_unload)


def _write_load_type(w: ByteWriter, entry: CardLoadTypeEntry) -> None:
    w.time(entry.timestamp)
    w.u8(entry.load_type)


_load_type_entry = by_writer(_write_load_type)


def _read_load_type(r: ByteReader) -> CardLoadTypeEntry:
    timestamp = r.time("timeStamp")
    at = r.offset
    load_type = r.u8("loadTypeEntered")
    if load_type not in (0, 1, 2):
        raise TachoFormatError(at, f"unknown LoadType {load_type}")
    return CardLoadTypeEntry(timestamp, load_type)


class LoadTypeEntriesEf(V2Ef, BytesValueEf):
    fid, name = 0x0530, "Load_Type_Entries"
    fields = frozenset({"load_type_entries"})

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return 2 + capacity.load_type_records * AUTH_STATUS_SIZE

    def value(self, ctx: EfContext) -> bytes:
        entries = ctx.card.load_type_entries
        count = ctx.capacity.load_type_records
        return cyclic_value(entries, count, AUTH_STATUS_SIZE, 2, _load_type_entry, "card-load-type")

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        facts.load_type_entries = read_cyclic(r, capacity.load_type_records, AUTH_STATUS_SIZE, 2, _read_load_type)


class VuConfigurationEf(V2Ef):
    """Not simulated: the VU configurations a driver stored on the card (manufacturer specific): all zeros."""

    fid, name = 0x0540, "VU_Configuration"

    def size(self, capacity: CardCapacity, gen2: bool) -> int:
        return capacity.vu_configuration_length

    def encode(self, ctx: EfContext, w: ByteWriter) -> None:
        w.zeros(ctx.capacity.vu_configuration_length)

    def decode(self, r: ByteReader, capacity: CardCapacity, gen2: bool, facts: CardFacts) -> None:
        r.expect_zeros(capacity.vu_configuration_length, "VU_Configuration")


def merge_authentication(facts: CardFacts, at: int) -> None:
    """Put the statuses of EFs Places_Authentication and GNSS_Places_Authentication into the places and GNSS
    places they belong to (same slots, same entry times); a mismatch is a format error."""
    facts.places = tuple(_merge(facts.places, facts.place_auth, _place_time, _with_place_status, "Places", at))
    facts.gnss_accumulated_driving = tuple(
        _merge(facts.gnss_accumulated_driving, facts.gnss_auth, _gnss_time, _with_gnss_status, "GNSS_Places", at)
    )


def _place_time(place: PlaceRecord) -> datetime:
    return place.entry_time


def _gnss_time(record: CardGnssAccumulatedDriving) -> datetime:
    return record.timestamp


def _with_place_status(place: PlaceRecord, status: int) -> PlaceRecord | None:
    if place.gnss is None:
        return place if status == 0 else None
    return replace(place, gnss=replace(place.gnss, auth_status=status))


def _with_gnss_status(record: CardGnssAccumulatedDriving, status: int) -> CardGnssAccumulatedDriving:
    return replace(record, place=replace(record.place, auth_status=status))


def _merge(
    records: Sequence[R],
    statuses: Sequence[tuple[datetime, int]],
    when: Callable[[R], datetime],
    merged: Callable[[R, int], R | None],
    what: str,
    at: int,
) -> Iterator[R]:
    if len(records) != len(statuses):
        raise TachoFormatError(at, f"{what}_Authentication holds {len(statuses)} records, {what} {len(records)}")
    for record, (time, status) in zip(records, statuses, strict=True):
        result = merged(record, status) if when(record) == time else None
        if result is None:
            raise TachoFormatError(at, f"{what}_Authentication does not match {what} at {time.isoformat()}")
        yield result


for _codec in (
    ApplicationIdentificationV2Ef(),
    PlacesAuthenticationEf(),
    GnssPlacesAuthenticationEf(),
    BorderCrossingsEf(),
    LoadUnloadOperationsEf(),
    LoadTypeEntriesEf(),
    VuConfigurationEf(),
):
    register_ef(_codec)
