"""TachoShare's mutable state: the manual RDL requests made through the API since the world's start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.clock import format_instant, parse_instant

SECTION = "tachoshare"


@dataclass
class RdlRequests:
    by_vehicle: dict[tuple[str, str], list[datetime]] = field(default_factory=dict)
    exhausted: dict[tuple[str, str], str] = field(default_factory=dict)  # (account, vin) -> "YYYY-MM" used up

    def exhaust(self, account: str, vin: str, now: datetime) -> None:
        """Use up the vehicle's manual attempts for `now`'s month (scenario `out-of-attempts`)."""
        self.exhausted[(account, vin)] = f"{now.year:04d}-{now.month:02d}"

    def is_exhausted(self, account: str, vin: str, now: datetime) -> bool:
        month = self.exhausted.get((account, vin)) if self.exhausted else None
        return month is not None and month == f"{now.year:04d}-{now.month:02d}"

    def of(self, account: str, vin: str) -> tuple[datetime, ...]:
        return tuple(self.by_vehicle.get((account, vin), ()))

    def add(self, account: str, vin: str, at: datetime) -> None:
        self.by_vehicle.setdefault((account, vin), []).append(at)

    def to_json(self) -> Any:
        return {
            "rdlRequests": [
                {"account": account, "vin": vin, "at": [format_instant(t) for t in times]}
                for (account, vin), times in sorted(self.by_vehicle.items())
            ],
            "exhausted": [
                {"account": account, "vin": vin, "month": month}
                for (account, vin), month in sorted(self.exhausted.items())
            ],
        }

    @classmethod
    def from_json(cls, data: Any | None) -> RdlRequests:
        state = cls()
        for entry in (data or {}).get("rdlRequests", []):
            times = sorted(parse_instant(str(t)) for t in entry["at"])
            state.by_vehicle[(str(entry["account"]), str(entry["vin"]))] = times
        for entry in (data or {}).get("exhausted", []):
            state.exhausted[(str(entry["account"]), str(entry["vin"]))] = str(entry["month"])
        return state
