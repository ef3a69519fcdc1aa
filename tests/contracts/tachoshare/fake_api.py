"""An in-process fake of TachoShare's file routes and lists, behind the fake HTTP layer.

It follows the reference's rules where the simulator does not serve them yet: a half-open range, 400 over 730
days, 400 naming the date of a generation change inside the range, 204 without data, and file names per the
reference. A vehicle file's bytes are the JSON list of the days it holds, a driver ZIP holds one entry per card
download day, so tests can tell exactly which days reached the client. Faults are injected by a `faults` callable
that may answer instead of the API (or raise a connection error) for any call.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.contracts.fake_http import Call, FakeAnswer

PREFIX = "/tachoshare"
MAX_DAYS = 730


@dataclass
class FakeSubject:
    """A vehicle unit or driver card: the days holding data, and generation changes."""

    days: set[date] = field(default_factory=set)
    changes: list[date] = field(default_factory=list)

    @property
    def first(self) -> date | None:
        return min(self.days) if self.days else None

    @property
    def last(self) -> date | None:
        return max(self.days) if self.days else None


FaultPlan = Callable[[Call], FakeAnswer | None]


@dataclass
class FakeTachoShare:
    vehicles: dict[str, FakeSubject] = field(default_factory=dict)
    drivers: dict[tuple[str, str], FakeSubject] = field(default_factory=dict)
    faults: FaultPlan = lambda call: None
    valid_token: str = "token-1"
    file_requests: list[tuple[str, date, date]] = field(default_factory=list)

    def __call__(self, call: Call) -> FakeAnswer:
        injected = self.faults(call)
        if injected is not None:
            return injected
        if call.headers.get("Authorization") != f"Bearer {self.valid_token}":
            return FakeAnswer.error(401, "Unauthorized", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        path = call.path.removeprefix(PREFIX)
        parts = path.strip("/").split("/")
        if parts == ["vehicles"]:
            return FakeAnswer.json(200, {"items": [self._vehicle_json(v, s) for v, s in self.vehicles.items()]})
        if parts == ["drivers"]:
            return FakeAnswer.json(200, {"items": [self._driver_json(k, s) for k, s in self.drivers.items()]})
        if len(parts) == 3 and parts[0] == "vehicles" and parts[2] == "files":
            return self._vehicle_files(parts[1], call)
        if len(parts) == 3 and parts[0] == "drivers" and parts[2] == "files":
            return self._driver_files(parts[1], call)
        return FakeAnswer.error(404, "The requested resource is not found")

    @staticmethod
    def _vehicle_json(vin: str, subject: FakeSubject) -> dict[str, object]:
        body: dict[str, object] = {"vin": vin, "rdlStatus": "OK", "manualAttemptsRemaining": 10, "vehicleId": vin[-3:]}
        if subject.last is not None and subject.first is not None:
            body.update(lastActivityDate=subject.last.isoformat(), firstAvailableActivityDate=subject.first.isoformat())
        return body

    @staticmethod
    def _driver_json(key: tuple[str, str], subject: FakeSubject) -> dict[str, object]:
        country, card = key
        body: dict[str, object] = {"cardNumber": card, "countryCode": country, "driverId": card[-4:], "rdlStatus": "OK"}
        if subject.last is not None and subject.first is not None:
            body.update(lastDownloadDate=subject.last.isoformat(), firstAvailableDownloadDate=subject.first.isoformat())
        return body

    def _range(self, call: Call, prefix: str, subject: FakeSubject) -> tuple[date, date] | FakeAnswer:
        start = date.fromisoformat(call.query[f"{prefix}-from"])
        end = date.fromisoformat(call.query[f"{prefix}-to"])
        if (end - start).days > MAX_DAYS:
            return FakeAnswer.error(400, "The date range must not be longer than 2 years.")
        for change in subject.changes:
            if start < change < end:
                return FakeAnswer.error(
                    400,
                    f"A different tachograph generation was detected on {change.isoformat()}. Please make two "
                    f"requests: the first one using this date in the {prefix}-to and the second one using this "
                    f"date in {prefix}-from.",
                )
        return start, end

    def _vehicle_files(self, vin: str, call: Call) -> FakeAnswer:
        subject = self.vehicles.get(vin)
        if subject is None:
            return FakeAnswer.error(404, "The requested resource is not found")
        checked = self._range(call, "activityDate", subject)
        if isinstance(checked, FakeAnswer):
            return checked
        start, end = checked
        self.file_requests.append((vin, start, end))
        days = sorted(d for d in subject.days if start <= d < end)
        if not days:
            return FakeAnswer(204)
        name = f"M_{days[-1] + timedelta(days=1):%Y%m%d}_0615_AB123_{vin}.{call.query.get('format', 'DDD')}"
        body = json.dumps([d.isoformat() for d in days]).encode()
        headers = {"Content-Type": "application/octet-stream", "Content-Disposition": f'attachment; filename="{name}"'}
        return FakeAnswer(200, body, headers)

    def _driver_files(self, card: str, call: Call) -> FakeAnswer:
        key = (call.query.get("countryCode", ""), card)
        subject = self.drivers.get(key)
        if subject is None:
            return FakeAnswer.error(404, "The requested resource is not found")
        checked = self._range(call, "downloadDate", subject)
        if isinstance(checked, FakeAnswer):
            return checked
        start, end = checked
        self.file_requests.append((card, start, end))
        days = sorted(d for d in subject.days if start <= d < end)
        if not days:
            return FakeAnswer(204)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for day in reversed(days):  # stored newest first: the client must order them
                archive.writestr(f"C_{day:%Y%m%d}_0715_J_DOE_{card}.DDD", day.isoformat().encode())
        name = f"C_{days[-1]:%Y%m%d}_0715_{days[0]:%Y%m%d}_0715_J_DOE_{card}.ZIP"
        headers = {"Content-Type": "application/octet-stream", "Content-Disposition": f'attachment; filename="{name}"'}
        return FakeAnswer(200, buffer.getvalue(), headers)


def vehicle_file_days(content: bytes) -> list[date]:
    return [date.fromisoformat(d) for d in json.loads(content)]
