"""The TachoShare.connect reference client (requests): typed resources, typed errors, files, retries, refresh.

Point `base_url` at the simulator (`http://127.0.0.1:8080/tachoshare`) or at the real API
(`https://tachoshareapi.webfleet.com`). Every call:
- sends `Authorization: Bearer <token>` from its `AccessTokenSource` (`WebfleetOAuth` or `StaticToken`);
- on 429, 5xx or a connection failure retries within the `Retrier`'s bounds (see `retry.py` for what is safe);
- on 401 refreshes the token once and sends the request again;
- raises the `errors.ApiError` subclass of the answer otherwise (`RdlUpToDate`, `NotFound`, ...).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, ValidationError

from contracts.common.clock import Clock, system_clock
from contracts.common.retry import Retrier, retry_after_seconds
from contracts.tachoshare.errors import ApiError, UnexpectedStatus, UnreadableAnswer, api_error
from contracts.tachoshare.files import DriverFileArchive, VehicleFile, filename_from
from contracts.tachoshare.models import (
    CompanyCard,
    CompanyCardGroup,
    CompanyCardGroupList,
    CompanyCardList,
    Driver,
    DriverFileFormat,
    DriverList,
    ErrorBody,
    Vehicle,
    VehicleFileFormat,
    VehicleList,
)
from contracts.tachoshare.oauth import AccessTokenSource
from contracts.tachoshare.ranges import MAX_SPAN, DateRange, resolve_range
from contracts.tachoshare.splitting import fetch_covering

JSON = "application/json"
FILE_ACCEPT = "application/octet-stream, application/json"
PRODUCTION_URL = "https://tachoshareapi.webfleet.com"

M = TypeVar("M", bound=BaseModel)


@dataclass
class TachoShareClient:
    base_url: str
    auth: AccessTokenSource
    session: requests.Session = field(default_factory=requests.Session)
    retrier: Retrier = field(default_factory=Retrier)
    clock: Clock = system_clock
    timeout: float = 60.0
    max_span: timedelta = MAX_SPAN

    # -- resources -------------------------------------------------------------------------------------------

    def list_vehicles(self) -> list[Vehicle]:
        return self._get_model("/vehicles", VehicleList).items

    def get_vehicle(self, vin: str) -> Vehicle:
        """The single vehicle (the API wraps it in `items`, like the list)."""
        items = self._get_model(f"/vehicles/{_segment(vin)}", VehicleList).items
        if len(items) != 1:
            raise UnexpectedStatus(200, ErrorBody(description=f"expected one vehicle, got {len(items)}"))
        return items[0]

    def request_rdl(self, vin: str) -> Vehicle:
        """Ask for a manual remote download; the updated vehicle. A refusal raises an `RdlRefused` subclass."""
        response = self._send("POST", f"/vehicles/{_segment(vin)}/rdl", accept=JSON)
        return _model(self._expect(response, 200), Vehicle)

    def list_drivers(self) -> list[Driver]:
        return self._get_model("/drivers", DriverList).items

    def list_company_cards(self) -> list[CompanyCard]:
        return self._get_model("/companyCards", CompanyCardList).items

    def list_company_card_groups(self) -> list[CompanyCardGroup]:
        return self._get_model("/companyCardGroups", CompanyCardGroupList).items

    # -- files -----------------------------------------------------------------------------------------------

    def today(self) -> date:
        return self.clock().date()

    def download_vehicle_files(
        self,
        vin: str,
        start: date | None = None,
        end: date | None = None,
        file_format: VehicleFileFormat = VehicleFileFormat.DDD,
    ) -> list[VehicleFile]:
        """The vehicle-unit files covering the activity days `[start, end)` (defaults as the API's), oldest first.

        Ranges over 2 years and ranges crossing a change of tachograph generation become several requests, so
        the answer may hold several files; parts without data (204) are left out, so it may be empty.
        """
        date_range = resolve_range(start, end, self.today())
        return fetch_covering(date_range, lambda piece: self.get_vehicle_file(vin, piece, file_format), self.max_span)

    def get_vehicle_file(
        self, vin: str, date_range: DateRange, file_format: VehicleFileFormat = VehicleFileFormat.DDD
    ) -> VehicleFile | None:
        """One request: the file, None for 204 (no data), `GenerationChanged` when the range must be split."""
        params = {
            "activityDate-from": date_range.start.isoformat(),
            "activityDate-to": date_range.end.isoformat(),
            "format": str(file_format),
        }
        response = self._send("GET", f"/vehicles/{_segment(vin)}/files", params=params, accept=FILE_ACCEPT)
        if response.status_code == 204:
            return None
        self._expect(response, 200)
        name = filename_from(response.headers.get("Content-Disposition"), f"{vin}.{file_format}")
        return VehicleFile(vin, date_range, name, response.content)

    def download_driver_files(
        self,
        card_number: str,
        country_code: str,
        start: date | None = None,
        end: date | None = None,
        file_format: DriverFileFormat = DriverFileFormat.DDD,
    ) -> list[DriverFileArchive]:
        """The driver-card ZIPs covering the download days `[start, end)`, unpacked, oldest first (see
        `download_vehicle_files` for the splitting)."""
        date_range = resolve_range(start, end, self.today())
        return fetch_covering(
            date_range,
            lambda piece: self.get_driver_archive(card_number, country_code, piece, file_format),
            self.max_span,
        )

    def get_driver_archive(
        self,
        card_number: str,
        country_code: str,
        date_range: DateRange,
        file_format: DriverFileFormat = DriverFileFormat.DDD,
    ) -> DriverFileArchive | None:
        """One request: the unpacked ZIP, None for 204, `GenerationChanged` when the range must be split."""
        params = {
            "countryCode": country_code,
            "downloadDate-from": date_range.start.isoformat(),
            "downloadDate-to": date_range.end.isoformat(),
            "format": str(file_format),
        }
        response = self._send("GET", f"/drivers/{_segment(card_number)}/files", params=params, accept=FILE_ACCEPT)
        if response.status_code == 204:
            return None
        self._expect(response, 200)
        name = filename_from(response.headers.get("Content-Disposition"), f"{card_number}.ZIP")
        try:
            return DriverFileArchive.unpack(card_number, country_code, date_range, name, response.content)
        except zipfile.BadZipFile as exc:
            body = ErrorBody(description=f"{name} is not a readable ZIP archive: {exc}")
            raise UnreadableAnswer(response.status_code, body) from exc

    # -- plumbing --------------------------------------------------------------------------------------------

    def _get_model(self, path: str, model: type[M]) -> M:
        return _model(self._expect(self._send("GET", path, accept=JSON), 200), model)

    def _send(self, method: str, path: str, *, params: dict[str, str] | None = None, accept: str) -> requests.Response:
        url = f"{self.base_url.rstrip('/')}{path}"
        token = self.auth.access_token()
        response = self._attempt(method, url, params, accept, token)
        if response.status_code == 401:
            fresh = self.auth.refresh(stale=token)
            if fresh is not None:
                response = self._attempt(method, url, params, accept, fresh)
        return response

    def _attempt(
        self, method: str, url: str, params: dict[str, str] | None, accept: str, token: str
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", "Accept": accept}
        return self.retrier.call(
            method,
            lambda: self.session.request(method, url, params=params, headers=headers, timeout=self.timeout),
        )

    def _expect(self, response: requests.Response, status: int) -> requests.Response:
        if response.status_code != status:
            raise _error(response)
        return response


def _segment(value: str) -> str:
    return quote(value, safe="")


def _model(response: requests.Response, model: type[M]) -> M:
    try:
        return model.model_validate(response.json())
    except (ValueError, ValidationError) as exc:
        body = ErrorBody(description=f"an answer this client cannot read: {exc}")
        raise UnreadableAnswer(response.status_code, body) from exc


def _error(response: requests.Response) -> ApiError:
    body: ErrorBody | None
    try:
        data: Any = response.json()
        body = ErrorBody.model_validate(data)
    except (ValueError, ValidationError):
        text = response.text.strip()
        body = ErrorBody(description=text[:500]) if text else None
    return api_error(response.status_code, body, retry_after_seconds(response))
