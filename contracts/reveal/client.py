"""The Reveal LogBook reference client: token gateway, token reuse, the three LogBook calls, JSON or XML.

Point `base_url` at the simulator (`http://127.0.0.1:8080/reveal`) or at Reveal
(`https://fim.api.us.fleetmatics.com`); the token is `GET {base_url}/token` and the LogBook is under
`{base_url}/logbook/v1/...` in both.

Tokens live 20 minutes and cannot be refreshed: the client asks for one with HTTP Basic, reuses it until
`token_margin` before its 20 minutes end (measured on its injected clock from when it asked), and asks again.
When the server answers 400 with the plain-text body `The provided token has an invalid format.` (an expired or
unknown token, for example after the server's clock ran ahead of the client's) it fetches a new token once and
repeats the call. 429, 5xx and connection failures are retried within the `Retrier`'s bounds (every call is a GET).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError

from contracts.common.clock import Clock, system_clock
from contracts.common.retry import Retrier
from contracts.reveal.errors import INVALID_TOKEN_TEXT, RevealApiError, UnreadableAnswer, reveal_error
from contracts.reveal.models import LogbookStatus, RemainingTime, StatusRecord
from contracts.reveal.xml import parse_xml

PRODUCTION_URL = "https://fim.api.us.fleetmatics.com"
TOKEN_LIFETIME = timedelta(minutes=20)
TOKEN_MARGIN = timedelta(minutes=1)
APP_ID_PREFIX = "fleetmatics-p-us-"

M = TypeVar("M", bound=BaseModel)
_HISTORY = TypeAdapter(list[StatusRecord])


class MediaType(StrEnum):
    JSON = "application/json"
    XML = "application/xml"


@dataclass(frozen=True)
class CachedToken:
    value: str
    obtained_at: datetime

    def usable_at(self, now: datetime, lifetime: timedelta, margin: timedelta) -> bool:
        return now < self.obtained_at + lifetime - margin


@dataclass
class RevealClient:
    base_url: str
    username: str
    password: str
    app_id: str
    media_type: MediaType = MediaType.JSON
    session: requests.Session = field(default_factory=requests.Session)
    retrier: Retrier = field(default_factory=Retrier)
    clock: Clock = system_clock
    token_lifetime: timedelta = TOKEN_LIFETIME
    token_margin: timedelta = TOKEN_MARGIN
    timeout: float = 30.0
    _token: CachedToken | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    # -- LogBook ---------------------------------------------------------------------------------------------

    def status_current(self, driver_number: str) -> LogbookStatus:
        return self._model(self._get(f"/logbook/v1/driver/{_segment(driver_number)}/statuscurrent"), LogbookStatus)

    def status_history(self, driver_number: str, start: datetime) -> list[StatusRecord]:
        """The statuses of the 24 hours from `start` (must be within the last 6 months), oldest first."""
        params = {"startDateTimeUtc": reveal_datetime(start)}
        response = self._get(f"/logbook/v1/driver/{_segment(driver_number)}/statushistory", params)
        try:
            return _HISTORY.validate_python(self._decode(response))
        except ValidationError as exc:
            raise UnreadableAnswer(response.status_code, str(exc)) from exc

    def remaining_time(self, driver_number: str) -> RemainingTime:
        return self._model(self._get(f"/logbook/v1/driver/{_segment(driver_number)}/remainingtime"), RemainingTime)

    # -- token -----------------------------------------------------------------------------------------------

    def token(self) -> str:
        """A token for the LogBook calls: the cached one while it is fresh enough, else a new one."""
        with self._lock:
            now = self.clock()
            if self._token is None or not self._token.usable_at(now, self.token_lifetime, self.token_margin):
                self._token = CachedToken(self._fetch_token(), now)
            return self._token.value

    def forget_token(self, stale: str | None = None) -> None:
        """Drop the cached token (only if it is still `stale`, when given)."""
        with self._lock:
            if self._token is not None and (stale is None or self._token.value == stale):
                self._token = None

    def authorization_header(self, token: str) -> str:
        app_id = self.app_id if self.app_id.startswith(APP_ID_PREFIX) else f"{APP_ID_PREFIX}{self.app_id}"
        return f"Atmosphere atmosphere_app_id={app_id}, Bearer {token}"

    def _fetch_token(self) -> str:
        response = self.retrier.call(
            "GET",
            lambda: self.session.get(
                self._url("/token"),
                auth=(self.username, self.password),
                headers={"Accept": "text/plain, application/json"},
                timeout=self.timeout,
            ),
        )
        if response.status_code != 200:
            raise reveal_error(response)
        token = response.text.strip().strip('"')
        if not token:
            raise UnreadableAnswer(response.status_code, "an empty token")
        return token

    # -- plumbing --------------------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"

    def _get(self, path: str, params: dict[str, str] | None = None) -> requests.Response:
        token = self.token()
        response = self._attempt(path, params, token)
        if _is_invalid_token(response):
            self.forget_token(stale=token)
            response = self._attempt(path, params, self.token())
        if response.status_code != 200:
            raise reveal_error(response)
        return response

    def _attempt(self, path: str, params: dict[str, str] | None, token: str) -> requests.Response:
        headers = {"Authorization": self.authorization_header(token), "Accept": str(self.media_type)}
        return self.retrier.call(
            "GET",
            lambda: self.session.get(self._url(path), params=params, headers=headers, timeout=self.timeout),
        )

    def _decode(self, response: requests.Response) -> Any:
        content_type = response.headers.get("Content-Type", "")
        try:
            if "xml" in content_type:
                return parse_xml(response.content)
            return response.json()
        except ValueError as exc:  # json and ElementTree.ParseError are both ValueErrors
            raise UnreadableAnswer(response.status_code, f"not {content_type or 'a known media type'}") from exc

    def _model(self, response: requests.Response, model: type[M]) -> M:
        try:
            return model.model_validate(self._decode(response))
        except ValidationError as exc:
            raise UnreadableAnswer(response.status_code, str(exc)) from exc


def reveal_datetime(value: datetime) -> str:
    """Reveal's UTC format without a zone designator; a naive `value` is taken as UTC."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 10_000:02d}"


def _is_invalid_token(response: requests.Response) -> bool:
    return response.status_code == 400 and response.text.strip() == INVALID_TOKEN_TEXT


def _segment(value: str) -> str:
    return quote(value, safe="")


__all__ = ["PRODUCTION_URL", "MediaType", "RevealApiError", "RevealClient", "reveal_datetime"]
