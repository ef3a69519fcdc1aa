"""The downloaded tachograph files: a vehicle-unit file, and a driver-card ZIP unpacked into typed entries.

File names follow the reference: vehicle `M_<yyyyMMdd>_<HHmm>_<plate>_<VIN>.<ext>`; driver ZIP
`C_<yyyyMMdd>_<HHmm>_<yyyyMMdd>_<HHmm>_<initial>_<SURNAME>_<cardNumber>.ZIP` holding one
`C_<yyyyMMdd>_<HHmm>_<initial>_<SURNAME>_<cardNumber>.<ext>` per card download. The time stamps in names are
taken as UTC. A name that does not follow the pattern is kept as is, with the parsed fields left `None`.
Not done here: decoding the tachograph bytes themselves (they are handed over untouched).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from contracts.tachoshare.ranges import DateRange

_DISPOSITION = re.compile(r"""filename\*?=(?:UTF-8'')?"?(?P<name>[^";]+)"?""", re.IGNORECASE)
_CARD_ENTRY = re.compile(r"^C_(?P<day>\d{8})_(?P<time>\d{4})_(?P<initial>[^_]*)_(?P<surname>.*)_(?P<card>[0-9A-Z]+)\.")


def filename_from(content_disposition: str | None, fallback: str) -> str:
    """The file name of a `Content-Disposition: attachment; filename="..."` header."""
    match = _DISPOSITION.search(content_disposition or "")
    return match["name"].strip() if match else fallback


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[1].upper() if "." in name else ""


@dataclass(frozen=True)
class VehicleFile:
    """One vehicle-unit file and the activity days it was requested for."""

    vin: str
    range: DateRange
    filename: str
    content: bytes

    @property
    def extension(self) -> str:
        return extension_of(self.filename)


@dataclass(frozen=True)
class DriverCardEntry:
    """One card download inside a driver-card ZIP: all the card's data at that download."""

    filename: str
    content: bytes
    downloaded_at: datetime | None
    initial: str | None
    surname: str | None
    card_number: str | None

    @property
    def extension(self) -> str:
        return extension_of(self.filename)

    @classmethod
    def from_zip_member(cls, filename: str, content: bytes) -> DriverCardEntry:
        match = _CARD_ENTRY.match(filename)
        if match is None:
            return cls(filename, content, None, None, None, None)
        try:
            at = datetime.strptime(match["day"] + match["time"], "%Y%m%d%H%M").replace(tzinfo=UTC)
        except ValueError:
            at = None
        return cls(filename, content, at, match["initial"], match["surname"], match["card"])


@dataclass(frozen=True)
class DriverFileArchive:
    """A driver-card ZIP for the download days of `range`, with its entries oldest first."""

    card_number: str
    country_code: str
    range: DateRange
    filename: str
    content: bytes
    entries: tuple[DriverCardEntry, ...]

    @classmethod
    def unpack(
        cls, card_number: str, country_code: str, date_range: DateRange, filename: str, content: bytes
    ) -> DriverFileArchive:
        """Read the ZIP; `zipfile.BadZipFile` if the bytes are not one."""
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = [
                DriverCardEntry.from_zip_member(info.filename, archive.read(info))
                for info in archive.infolist()
                if not info.is_dir()
            ]
        entries.sort(key=lambda e: (e.downloaded_at or datetime.min.replace(tzinfo=UTC), e.filename))
        return cls(card_number, country_code, date_range, filename, content, tuple(entries))
