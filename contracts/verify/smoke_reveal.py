"""The Reveal smoke flow through the reference client: a token, then a driver's current status, remaining time
and the 24 hours of history from the start of the current status (the spec's link).

The LogBook API cannot list drivers, so the driver is `--driver`, or else the first driver in the data plan of
the account whose Reveal user is `--user`, as the simulator's control plane (`GET /_sim/world` beside the API
root) lists them. Against the real API without `--driver` the driver steps are skipped and say so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests

from contracts.common.retry import Retrier
from contracts.reveal.client import RevealClient
from contracts.reveal.models import LogbookStatus
from contracts.verify.options import VerifyOptions
from contracts.verify.recording import RecordingSession
from contracts.verify.smoke import SmokeRun, StepFailed, StepSkipped

LOGBOOK = "GET /logbook/v1/driver/{driverNumber}"
NO_DRIVER = "no driver: pass --driver (the LogBook API cannot list drivers)"


def driver_from_simulator(base_url: str, user: str, timeout: float) -> tuple[str, str] | None:
    """(driver number, account) of the first in-plan driver of `user`'s account, if a simulator answers."""
    parts = urlsplit(base_url)
    try:
        token = os.environ.get("FLEETMOCK_CONTROL_TOKEN")  # a simulator started with --control-token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = requests.get(f"{parts.scheme}://{parts.netloc}/_sim/world", headers=headers, timeout=timeout)
        world: Any = answer.json() if answer.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return None
    if not isinstance(world, dict):
        return None
    for account in world.get("accounts", []):
        if any(u.get("username") == user for u in account.get("revealUsers", [])):
            drivers = [d for d in account.get("revealDrivers", []) if d.get("inDataPlan", True)]
            if drivers:
                return str(drivers[0]["driverNumber"]), str(account.get("name"))
    return None


@dataclass
class RevealSmoke:
    client: RevealClient
    run: SmokeRun
    driver: str | None
    current: LogbookStatus | None = None

    def perform(self) -> SmokeRun:
        self.run.step("get a token", "GET /token", self.get_token)
        self.run.step("current status", f"{LOGBOOK}/statuscurrent", self.status_current)
        self.run.step("remaining time", f"{LOGBOOK}/remainingtime", self.remaining_time)
        self.run.step("status history", f"{LOGBOOK}/statushistory", self.status_history)
        return self.run

    def _driver(self) -> str:
        if self.driver is None:
            raise StepSkipped(NO_DRIVER)
        return self.driver

    def get_token(self) -> str:
        return f"a token of {len(self.client.token())} characters"

    def status_current(self) -> str:
        driver = self._driver()
        self.current = self.client.status_current(driver)
        self.run.note_drift(f"{LOGBOOK}/statuscurrent", [self.current])
        if self.current.driver_number != driver:
            raise StepFailed(f"asked for driver {driver}, got {self.current.driver_number}")
        return f"driver {driver}: {self.current.status} since {self.current.status_date_time_utc:%Y-%m-%dT%H:%M}Z"

    def remaining_time(self) -> str:
        driver = self._driver()
        remaining = self.client.remaining_time(driver)
        self.run.note_drift(f"{LOGBOOK}/remainingtime", [remaining])
        if remaining.driver_number != driver:
            raise StepFailed(f"asked for driver {driver}, got {remaining.driver_number}")
        hours = remaining.hours_against_rule_set
        return (
            f"driver {driver}: rule cycle {remaining.rule_cycle} days, {hours.driving_left_for_today} h driving "
            f"and {hours.cycle_time_left} h cycle left"
        )

    def status_history(self) -> str:
        driver = self._driver()
        start = self._history_start()
        records = self.client.status_history(driver, start)
        self.run.note_drift(f"{LOGBOOK}/statushistory", records)
        strangers = sorted({r.driver_number for r in records} - {driver})
        if strangers:
            raise StepFailed(f"asked for driver {driver}, got records of {', '.join(strangers)}")
        times = [r.status_date_time_utc for r in records]
        if times != sorted(times):
            raise StepFailed("the records are not oldest first")
        return f"driver {driver}: {len(records)} records in the 24 hours from {start:%Y-%m-%dT%H:%M}Z"

    def _history_start(self) -> datetime:
        if self.current is not None:
            return self.current.status_date_time_utc
        return self.client.clock() - timedelta(hours=12)


def run_reveal_smoke(options: VerifyOptions, retrier: Retrier) -> SmokeRun:
    credentials = options.credentials
    session = RecordingSession()
    client = RevealClient(
        options.root,
        credentials.user or "",
        credentials.password or "",
        credentials.app_id or "",
        session=session,
        retrier=retrier,
        timeout=options.bounds.timeout,
    )
    run = SmokeRun(session)
    driver = options.driver
    if driver is not None:
        run.notes.append(f"driver {driver} from --driver")
    else:
        found = driver_from_simulator(options.root, credentials.user or "", options.bounds.timeout)
        if found is not None:
            driver = found[0]
            run.notes.append(f"driver {driver} is the first of account {found[1]} in the simulator's /_sim/world")
    if driver is not None:
        run.learn("path.driverNumber", [driver])
    return RevealSmoke(client, run, driver).perform()
