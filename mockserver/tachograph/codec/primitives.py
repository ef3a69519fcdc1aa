"""Byte-level writer/reader and the encoders of the common data types (Appendix 1), big-endian throughout.

The writer appends to one `bytearray` (amortised O(1) per byte, no quadratic concatenation). The reader keeps
an absolute offset so every error names the byte at which the file stopped making sense. Text and its code
pages, and `TachoFormatError`, live in `text`.
"""

from __future__ import annotations

import functools
import struct
from datetime import UTC, date, datetime

from mockserver.tachograph.codec.text import TachoFormatError, decode_with_code_page, encode_with_code_page
from mockserver.tachograph.types import (
    EPOCH,
    EquipmentType,
    ExtendedSerialNumber,
    FullCardNumber,
    GnssPlace,
    HolderName,
    PlaceRecord,
    SpecificCondition,
    VehicleRegistration,
    utc,
)


class ByteWriter:
    __slots__ = ("buf",)

    def __init__(self, buf: bytearray | None = None) -> None:
        self.buf = buf if buf is not None else bytearray()

    def __len__(self) -> int:
        return len(self.buf)

    def raw(self, data: bytes | bytearray | memoryview) -> None:
        self.buf += data

    def u8(self, value: int) -> None:
        self.buf.append(value)

    def u16(self, value: int) -> None:
        self.buf += value.to_bytes(2, "big")

    def u24(self, value: int) -> None:
        self.buf += value.to_bytes(3, "big")

    def u32(self, value: int) -> None:
        self.buf += value.to_bytes(4, "big")

    def zeros(self, count: int) -> None:
        self.buf += bytes(count)

    def time(self, value: datetime | None) -> None:
        """TimeReal: seconds since 1970-01-01 UTC, 0 when not set."""
        self.u32(time_real(value))

    def date_as_time(self, value: date | None) -> None:
        self.time(None if value is None else datetime(value.year, value.month, value.day, tzinfo=UTC))

    def datef(self, value: date) -> None:
        self.raw(bcd(value.year, 2) + bcd(value.month, 1) + bcd(value.day, 1))

    def ia5(self, text: str, size: int) -> None:
        data = text.encode("ascii", "replace")[:size]
        self.raw(data + b" " * (size - len(data)))

    def name(self, text: str, size: int = 35) -> None:
        """Name / Address: code page byte + `size` bytes of text, space padded."""
        page, data = encode_with_code_page(text)
        self.u8(page)
        data = data[:size]
        self.raw(data + b" " * (size - len(data)))

    def holder_name(self, holder: HolderName) -> None:
        self.name(holder.surname)
        self.name(holder.first_names)

    def registration_number(self, registration: VehicleRegistration) -> None:
        page, data = encode_with_code_page(registration.plate, registration.code_page)
        self.u8(page)
        data = data[:13]
        self.raw(data + b" " * (13 - len(data)))

    def registration(self, registration: VehicleRegistration | None) -> None:
        if registration is None:
            self.zeros(15)
            return
        self.u8(registration.nation)
        self.registration_number(registration)

    def full_card_number(self, card: FullCardNumber | None, with_generation: bool) -> None:
        if card is None:
            self.zeros(19 if with_generation else 18)
            return
        self.u8(int(card.card_type))
        self.u8(card.nation)
        self.ia5(card.number, 16)
        if with_generation:
            self.u8(card.generation)

    def extended_serial(self, serial: ExtendedSerialNumber) -> None:
        self.u32(serial.serial)
        self.raw(bcd(serial.month, 1) + bcd(serial.year % 100, 1))
        self.u8(serial.equipment_type)
        self.u8(serial.manufacturer_code)

    def geo(self, value: int) -> None:
        self.raw((value & 0xFFFFFF).to_bytes(3, "big"))

    def gnss_place(self, place: GnssPlace | None, with_auth: bool) -> None:
        if place is None:
            self.zeros(4)
            self.u8(0)
            self.raw(b"\x7f\xff\xff\x7f\xff\xff")
        else:
            self.time(place.timestamp)
            self.u8(place.accuracy)
            self.geo(place.latitude)
            self.geo(place.longitude)
        if with_auth:
            self.u8(0 if place is None else place.auth_status)

    def place_record(self, place: PlaceRecord, gnss: bool, with_auth: bool) -> None:
        """PlaceRecord (Gen1 10 bytes; Gen2 21 bytes; Gen2v2 PlaceAuthRecord 22 bytes)."""
        self.time(place.entry_time)
        self.u8(place.entry_type)
        self.u8(place.country)
        self.u8(place.region)
        self.u24(place.odometer_km)
        if gnss:
            self.gnss_place(place.gnss, with_auth)

    def specific_condition(self, condition: SpecificCondition) -> None:
        self.time(condition.entry_time)
        self.u8(condition.condition_type)

    def bcd_counter(self, value: int) -> None:
        self.raw(bcd(value, 2))


class ByteReader:
    """Reads a window of a file; `base` is the absolute offset of `data[0]` in the file."""

    __slots__ = ("base", "data", "end", "pos")

    def __init__(self, data: bytes | memoryview, base: int = 0, start: int = 0, end: int | None = None) -> None:
        self.data = data
        self.base = base
        self.pos = start
        self.end = len(data) if end is None else end

    @property
    def offset(self) -> int:
        """Absolute offset of the next byte."""
        return self.base + self.pos

    @property
    def remaining(self) -> int:
        return self.end - self.pos

    def fail(self, message: str, at: int | None = None) -> TachoFormatError:
        return TachoFormatError(self.offset if at is None else at, message)

    def need(self, count: int, what: str) -> None:
        if self.pos + count > self.end:
            raise self.fail(f"truncated {what}: need {count} bytes, {self.remaining} left")

    def take(self, count: int, what: str = "data") -> bytes:
        self.need(count, what)
        chunk = bytes(self.data[self.pos : self.pos + count])
        self.pos += count
        return chunk

    def sub(self, count: int, what: str) -> ByteReader:
        """A reader over the next `count` bytes (consumed from this reader)."""
        self.need(count, what)
        reader = ByteReader(self.data, self.base, self.pos, self.pos + count)
        self.pos += count
        return reader

    def u8(self, what: str = "byte") -> int:
        self.need(1, what)
        value = self.data[self.pos]
        self.pos += 1
        return value

    def u16(self, what: str = "uint16") -> int:
        self.need(2, what)
        (value,) = struct.unpack_from(">H", self.data, self.pos)
        self.pos += 2
        return int(value)

    def u24(self, what: str = "uint24") -> int:
        return int.from_bytes(self.take(3, what), "big")

    def u32(self, what: str = "uint32") -> int:
        self.need(4, what)
        (value,) = struct.unpack_from(">I", self.data, self.pos)
        self.pos += 4
        return int(value)

    def expect_end(self, what: str) -> None:
        if self.pos != self.end:
            raise self.fail(f"{self.end - self.pos} left-over bytes after {what}")

    def expect_zeros(self, count: int, what: str) -> None:
        at = self.offset
        chunk = self.take(count, what)
        if any(chunk):
            first = next(i for i, b in enumerate(chunk) if b)
            raise TachoFormatError(at + first, f"unknown non-zero byte in {what}")

    def opt_time(self, what: str = "TimeReal") -> datetime | None:
        value = self.u32(what)
        if value in (0, 0xFFFFFFFF):
            return None
        return datetime.fromtimestamp(value, UTC)

    def time(self, what: str = "TimeReal") -> datetime:
        at = self.offset
        value = self.opt_time(what)
        if value is None:
            raise TachoFormatError(at, f"{what} is not set")
        return value

    def time_as_date(self, what: str = "date") -> date:
        return self.time(what).date()

    def opt_time_as_date(self, what: str = "date") -> date | None:
        value = self.opt_time(what)
        return None if value is None else value.date()

    def datef(self, what: str = "Datef") -> date:
        at = self.offset
        raw = self.take(4, what)
        try:
            return date(unbcd(raw[0:2]), unbcd(raw[2:3]), unbcd(raw[3:4]))
        except ValueError as exc:
            raise TachoFormatError(at, f"bad {what} {raw.hex()}: {exc}") from exc

    def ia5(self, size: int, what: str = "IA5String") -> str:
        return self.take(size, what).decode("ascii", "replace").rstrip(" \x00")

    def name(self, size: int = 35, what: str = "Name") -> str:
        at = self.offset
        page = self.u8(what)
        data = self.take(size, what)
        return decode_with_code_page(page, data, at)

    def holder_name(self) -> HolderName:
        return HolderName(self.name(what="holderSurname"), self.name(what="holderFirstNames"))

    def registration_number(self) -> tuple[int, str]:
        at = self.offset
        page = self.u8("VehicleRegistrationNumber")
        return page, decode_with_code_page(page, self.take(13, "VehicleRegistrationNumber"), at)

    def registration(self) -> VehicleRegistration | None:
        chunk_at = self.pos
        if not any(self.data[chunk_at : chunk_at + 15]) and self.remaining >= 15:
            self.pos += 15
            return None
        nation = self.u8("vehicleRegistrationNation")
        page, plate = self.registration_number()
        return VehicleRegistration(nation, plate, page if page else 1)

    def full_card_number(self, with_generation: bool) -> FullCardNumber | None:
        size = 19 if with_generation else 18
        self.need(size, "FullCardNumber")
        if not any(self.data[self.pos : self.pos + size]):
            self.pos += size
            return None
        at = self.offset
        card_type = self.u8("cardType")
        try:
            equipment = EquipmentType(card_type)
        except ValueError as exc:
            raise TachoFormatError(at, f"unknown card type {card_type}") from exc
        nation = self.u8("cardIssuingMemberState")
        number = self.take(16, "CardNumber").decode("ascii", "replace")
        generation = self.u8("generation") if with_generation else 1
        return FullCardNumber(equipment, nation, number, generation)

    def required_card(self, with_generation: bool, what: str) -> FullCardNumber:
        at = self.offset
        card = self.full_card_number(with_generation)
        if card is None:
            raise TachoFormatError(at, f"{what} is empty")
        return card

    def extended_serial(self) -> ExtendedSerialNumber:
        serial = self.u32("serialNumber")
        month_year = self.take(2, "monthYear")
        equipment_type = self.u8("type")
        manufacturer = self.u8("manufacturerCode")
        return ExtendedSerialNumber(
            serial, unbcd(month_year[0:1]), 2000 + unbcd(month_year[1:2]), equipment_type, manufacturer
        )

    def geo(self) -> int:
        value = self.u24("GeoCoordinate")
        return value - 0x1000000 if value & 0x800000 else value

    def gnss_place(self, with_auth: bool) -> GnssPlace | None:
        timestamp = self.opt_time("GNSS timeStamp")
        accuracy = self.u8("gnssAccuracy")
        latitude = self.geo()
        longitude = self.geo()
        auth = self.u8("authenticationStatus") if with_auth else 0
        if timestamp is None:
            return None
        return GnssPlace(timestamp, accuracy, latitude, longitude, auth)

    def place_record(self, gnss: bool, with_auth: bool) -> PlaceRecord:
        entry_time = self.time("entryTime")
        entry_type = self.u8("entryTypeDailyWorkPeriod")
        country = self.u8("dailyWorkPeriodCountry")
        region = self.u8("dailyWorkPeriodRegion")
        odometer = self.u24("vehicleOdometerValue")
        place = self.gnss_place(with_auth) if gnss else None
        return PlaceRecord(entry_time, entry_type, country, region, odometer, place)

    def specific_condition(self) -> SpecificCondition:
        return SpecificCondition(self.time("entryTime"), self.u8("specificConditionType"))

    def bcd_counter(self, what: str = "BCDString") -> int:
        at = self.offset
        raw = self.take(2, what)
        try:
            return unbcd(raw)
        except ValueError as exc:
            raise TachoFormatError(at, f"bad BCD {what} {raw.hex()}") from exc


def time_real(value: datetime | None) -> int:
    """TimeReal's value: seconds since 1970-01-01 UTC (a naive time is UTC), 0 when not set."""
    if value is None:
        return 0
    if value.tzinfo is not None:
        return int(value.timestamp())
    return int((utc(value) - EPOCH).total_seconds())


# Key: the registration (frozen: nation, code page, plate), all its 15 bytes depend on: a hit is exact.
@functools.lru_cache(maxsize=4096)
def registration_bytes(registration: VehicleRegistration | None) -> bytes:
    """VehicleRegistrationIdentification (15 bytes), memoised: a card's records repeat a few plates."""
    w = ByteWriter()
    w.registration(registration)
    return bytes(w.buf)


@functools.lru_cache(maxsize=4096)  # key: (text, size), all the encoding reads: a hit is exact
def ia5_bytes(text: str, size: int) -> bytes:
    """`text` as an IA5String of `size` bytes (space padded), memoised like `registration_bytes`."""
    w = ByteWriter()
    w.ia5(text, size)
    return bytes(w.buf)


def bcd(value: int, size: int) -> bytes:
    digits = f"{value:0{size * 2}d}"
    if len(digits) != size * 2:
        raise ValueError(f"{value} does not fit in {size} BCD bytes")
    return bytes.fromhex(digits)


def unbcd(raw: bytes) -> int:
    text = raw.hex()
    if not text.isdigit():
        raise ValueError(f"not BCD: {text}")
    return int(text)
