"""Where a stop happened: a plausible US address for an on-duty-not-driving period of a generated log.

**Convention:** loading, unloading, fueling, inspections and yard moves carry an address (the LogBook app records
one at such a status change); driving, rest and scripted periods carry none (`Address: null`, as in the
reference's sample). The address is a pure function of the driver's log seed and the status time, so it never
changes between requests. Not simulated: geography (consecutive stops need not lie on one route).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from mockserver.reveal.hos import DutyEvent, DutyStatus

_PLACES: tuple[tuple[str, str, str], ...] = (
    ("Solon", "OH", "44139"),
    ("Columbus", "OH", "43215"),
    ("Indianapolis", "IN", "46225"),
    ("Joliet", "IL", "60436"),
    ("Gary", "IN", "46402"),
    ("Memphis", "TN", "38118"),
    ("Nashville", "TN", "37210"),
    ("Dallas", "TX", "75247"),
    ("Laredo", "TX", "78045"),
    ("Oklahoma City", "OK", "73108"),
    ("Kansas City", "MO", "64120"),
    ("Omaha", "NE", "68107"),
    ("Denver", "CO", "80216"),
    ("Salt Lake City", "UT", "84104"),
    ("Reno", "NV", "89502"),
    ("Sacramento", "CA", "95815"),
    ("Ontario", "CA", "91761"),
    ("Phoenix", "AZ", "85043"),
    ("Atlanta", "GA", "30336"),
    ("Charlotte", "NC", "28208"),
    ("Harrisburg", "PA", "17111"),
    ("Allentown", "PA", "18109"),
    ("Louisville", "KY", "40213"),
    ("Des Moines", "IA", "50313"),
)
_STREETS = (
    "Bainbridge Rd",
    "Industrial Pkwy",
    "Commerce Dr",
    "Distribution Way",
    "Logistics Blvd",
    "Freight Ln",
    "Terminal Rd",
    "Warehouse Ave",
    "Interstate Dr",
    "Depot St",
)


@dataclass(frozen=True, slots=True)
class Address:
    address_line1: str
    address_line2: str
    locality: str
    administrative_area: str
    postal_code: str
    country: str = "USA"


def stop_address(log_seed: int, event: DutyEvent) -> Address | None:
    """The address of a generated on-duty-not-driving period, None for every other status."""
    if event.status is not DutyStatus.ON_DUTY_NOT_DRIVING:
        return None
    return _address(log_seed, event.at)


def _address(log_seed: int, at: datetime) -> Address:
    digest = hashlib.sha256(f"{log_seed}:address:{at.isoformat()}".encode()).digest()
    locality, state, postal_code = _PLACES[digest[0] % len(_PLACES)]
    street = _STREETS[digest[1] % len(_STREETS)]
    number = 100 + int.from_bytes(digest[2:4], "big") % 39900
    return Address(f"{number} {street}", "", locality, state, postal_code)
