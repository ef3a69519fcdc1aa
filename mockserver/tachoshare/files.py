"""The rules of the two file routes that know nothing of bytes: date ranges, generation splits, names, formats.

Conventions (README, "Conventions"):
- ranges are half-open `[from, to)` of UTC dates; without both bounds the range is the 90 days that end with
  today (today included, so `to` is tomorrow); a missing bound is 90 days from the other one;
- "more than 2 years" means `to` later than the same calendar date two years after `from`;
- `to` on or before `from` is a 400 (the range would be empty by construction, not for lack of data);
- the generation split is reported only when the data the answer would carry spans two generations: the date
  is the first day (vehicles) or first download date (drivers) of the newer generation;
- names follow the reference's examples: the plate keeps letters and digits only (`9251 QIA` -> `9251QIA`), the
  surname is folded to ASCII capitals with `_` between words, the initial is the first names' first letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockserver.errors import BadRequest
from mockserver.tachoshare import errors
from mockserver.world.models import Generation

DEFAULT_SPAN = timedelta(days=90)
MAX_YEARS = 2
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class DateRange:
    """UTC dates from `start` (included) to `end` (excluded)."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    def clip(self, first: date, last_excluded: date) -> DateRange | None:
        """The part of this range inside `[first, last_excluded)`, None when they do not meet."""
        start, end = max(self.start, first), min(self.end, last_excluded)
        return DateRange(start, end) if start < end else None

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class FileQuery:
    """The raw query of a file route: the two dates and the format, as sent."""

    start: str | None = None
    end: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class RangeParameters:
    """The names of a route's two date parameters (they appear in error messages)."""

    start: str
    end: str


VEHICLE_RANGE = RangeParameters("activityDate-from", "activityDate-to")
DRIVER_RANGE = RangeParameters("downloadDate-from", "downloadDate-to")


def parse_day(name: str, raw: str | None) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(errors.bad_request(f"{name} ({raw}) is not a date in the yyyy-MM-dd format.")) from None


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28) + timedelta(days=1)


def resolve_range(names: RangeParameters, raw_start: str | None, raw_end: str | None, today: date) -> DateRange:
    """The requested range with the documented defaults; 400 for a bad date, an empty or a too long range."""
    start, end = parse_day(names.start, raw_start), parse_day(names.end, raw_end)
    try:
        if start is None and end is None:
            end = today + timedelta(days=1)
        if start is None:
            assert end is not None
            start = end - DEFAULT_SPAN
        if end is None:
            end = start + DEFAULT_SPAN
        too_long = end > _years_later(start, MAX_YEARS)
    except (OverflowError, ValueError):
        raise BadRequest(
            errors.bad_request(f"the dates of {names.start} and {names.end} are out of the supported range.")
        ) from None
    if end <= start:
        detail = f"{names.end} ({end.isoformat()}) must be later than {names.start} ({start.isoformat()})."
        raise BadRequest(errors.bad_request(detail))
    if too_long:
        raise BadRequest(errors.bad_request(f"the date range must not be longer than {MAX_YEARS} years."))
    return DateRange(start, end)


def generation_split_message(change: date, names: RangeParameters) -> str:
    return errors.generation_split(change.isoformat(), names.start, names.end)


def first_generation_change(days: Iterable[tuple[date, Generation]]) -> date | None:
    """The first date whose generation differs from the one before it (input in date order)."""
    previous: Generation | None = None
    for day, generation in days:
        if previous is not None and generation is not previous:
            return day
        previous = generation
    return None


def check_single_generation(days: Iterable[tuple[date, Generation]], names: RangeParameters) -> None:
    change = first_generation_change(days)
    if change is not None:
        raise BadRequest(generation_split_message(change, names))


# -- formats and names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileFormat:
    """A `format` value: the extension of Gen1 content and of Gen2 content (the bytes never change)."""

    name: str
    gen1_extension: str
    gen2_extension: str

    def extension(self, generation: Generation) -> str:
        return self.gen1_extension if generation is Generation.GEN1 else self.gen2_extension


VEHICLE_FORMATS: dict[str, FileFormat] = {
    f.name: f
    for f in (FileFormat("DDD", "DDD", "DDD"), FileFormat("V1B_V1C", "V1B", "V1C"), FileFormat("TGD", "TGD", "TGD"))
}
DRIVER_FORMATS: dict[str, FileFormat] = {
    f.name: f
    for f in (FileFormat("DDD", "DDD", "DDD"), FileFormat("C1B_C1C", "C1B", "C1C"), FileFormat("TGD", "TGD", "TGD"))
}


def file_format(formats: dict[str, FileFormat], raw: str | None) -> FileFormat:
    if raw is None or raw == "":
        return formats["DDD"]
    found = formats.get(raw)
    if found is None:
        raise BadRequest(errors.bad_request(f"format ({raw}) is not one of {', '.join(formats)}."))
    return found


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d_%H%M")


def plate_token(plate: str) -> str:
    return "".join(ch for ch in _ascii(plate).upper() if ch.isalnum()) or "NOPLATE"


def surname_token(surname: str) -> str:
    words = re.findall(r"[A-Z0-9]+", _ascii(surname).upper())
    return "_".join(words) or "UNKNOWN"


def initial_token(first_names: str) -> str:
    letters = [ch for ch in _ascii(first_names).upper() if ch.isalnum()]
    return letters[0] if letters else "X"


def vehicle_file_name(downloaded_at: datetime, plate: str, vin: str, extension: str) -> str:
    """`M_<yyyyMMdd>_<HHmm>_<plate>_<VIN>.<ext>`; the instant is the download that brought the last day."""
    return f"M_{_stamp(downloaded_at)}_{plate_token(plate)}_{vin}.{extension}"


@dataclass(frozen=True)
class CardHolder:
    first_names: str
    surname: str
    card_key: str  # the 14 characters the API shows


def card_file_name(downloaded_at: datetime, holder: CardHolder, extension: str) -> str:
    """`C_<yyyyMMdd>_<HHmm>_<initial>_<SURNAME>_<cardNumber>.<ext>`, one per card download."""
    return (
        f"C_{_stamp(downloaded_at)}_{initial_token(holder.first_names)}_{surname_token(holder.surname)}_"
        f"{holder.card_key}.{extension}"
    )


def card_zip_name(newest: datetime, oldest: datetime, holder: CardHolder) -> str:
    """`C_<newest>_<oldest>_<initial>_<SURNAME>_<cardNumber>.ZIP`: newest download first, as in the reference's
    example (`C_20180604_0715_20180529_1742_...` for 2018-05-29 to 2018-06-05)."""
    return (
        f"C_{_stamp(newest)}_{_stamp(oldest)}_{initial_token(holder.first_names)}_{surname_token(holder.surname)}_"
        f"{holder.card_key}.ZIP"
    )
