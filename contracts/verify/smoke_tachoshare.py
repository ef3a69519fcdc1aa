"""The TachoShare smoke flow: what a partner's integration does first, through the reference client.

List vehicles, drivers, company cards and company-card groups; read the first vehicle back; download the vehicle
file of the last week of the first vehicle with unit data (split into several requests if the range crosses a
change of tachograph generation), and the driver-card ZIP of the last week of the first driver with card data;
the files must start as tachograph downloads do (the bytes are not decoded further here).
With `--allow-writes` it also requests a manual RDL for the first vehicle (a 409 naming one of the reference's six
refusals is a pass: the request was understood). The VINs and card numbers it sees are offered to Schemathesis,
so generated cases reach real vehicles and cards, not only 404s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from contracts.common.retry import Retrier
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.errors import RdlRefused
from contracts.tachoshare.models import Driver, Vehicle
from contracts.tachoshare.oauth import StaticToken
from contracts.tachoshare.ranges import DateRange
from contracts.verify.options import VerifyOptions
from contracts.verify.recording import RecordingSession
from contracts.verify.smoke import SmokeRun, StepFailed, StepSkipped

WEEK = timedelta(days=7)
VU_DOWNLOAD_START = b"\x76"  # every VU download is `76 TREP data` blocks (Annex 1C, Appendix 7)
CARD_FILE_START = b"\x00\x02"  # a card download starts with the EF_ICC file (FID 0002)


@dataclass
class TachoShareSmoke:
    client: TachoShareClient
    run: SmokeRun
    allow_writes: bool
    vehicles: list[Vehicle] = field(default_factory=list)
    drivers: list[Driver] = field(default_factory=list)

    def perform(self) -> SmokeRun:
        self.run.step("list vehicles", "GET /vehicles", self.list_vehicles)
        self.run.step("list drivers", "GET /drivers", self.list_drivers)
        self.run.step("list company cards", "GET /companyCards", self.list_company_cards)
        self.run.step("list company card groups", "GET /companyCardGroups", self.list_company_card_groups)
        self.run.step("get one vehicle", "GET /vehicles/{vin}", self.get_one_vehicle)
        self.run.step("download a vehicle file", "GET /vehicles/{vin}/files", self.download_vehicle_file)
        self.run.step("download driver-card files", "GET /drivers/{cardNumber}/files", self.download_driver_files)
        self.run.step("request a manual RDL", "POST /vehicles/{vin}/rdl", self.request_rdl)
        return self.run

    def list_vehicles(self) -> str:
        self.vehicles = self.client.list_vehicles()
        self.run.note_drift("GET /vehicles", self.vehicles)
        self.run.learn("path.vin", (v.vin for v in self.vehicles))
        return f"{len(self.vehicles)} vehicles"

    def list_drivers(self) -> str:
        self.drivers = self.client.list_drivers()
        self.run.note_drift("GET /drivers", self.drivers)
        self.run.learn("path.cardNumber", (d.card_number for d in self.drivers))
        self.run.learn("query.countryCode", (d.country_code for d in self.drivers))
        return f"{len(self.drivers)} drivers"

    def list_company_cards(self) -> str:
        cards = self.client.list_company_cards()
        self.run.note_drift("GET /companyCards", cards)
        return f"{len(cards)} company cards"

    def list_company_card_groups(self) -> str:
        groups = self.client.list_company_card_groups()
        self.run.note_drift("GET /companyCardGroups", groups)
        return f"{len(groups)} company card groups"

    def get_one_vehicle(self) -> str:
        if not self.vehicles:
            raise StepSkipped("no vehicle listed")
        vin = self.vehicles[0].vin
        vehicle = self.client.get_vehicle(vin)
        if vehicle.vin != vin:
            raise StepFailed(f"asked for {vin}, got {vehicle.vin}")
        return f"{vin}: rdlStatus {vehicle.rdl_status}"

    def download_vehicle_file(self) -> str:
        vehicle = next((v for v in self.vehicles if v.last_activity_date is not None), None)
        if vehicle is None or vehicle.last_activity_date is None:
            raise StepSkipped("no listed vehicle has unit data (lastActivityDate)")
        days = DateRange.through(vehicle.last_activity_date - WEEK + timedelta(days=1), vehicle.last_activity_date)
        files = self.client.download_vehicle_files(vehicle.vin, days.start, days.end)
        if not files:
            raise StepFailed(
                f"no file for {vehicle.vin} in [{days.start}, {days.end}), which ends at its lastActivityDate"
            )
        foreign = [f.filename for f in files if not f.content.startswith(VU_DOWNLOAD_START)]
        if foreign:
            raise StepFailed(f"not vehicle-unit downloads (no leading 0x76 service id): {', '.join(foreign)}")
        sizes = ", ".join(f"{f.filename} ({len(f.content)} bytes)" for f in files)
        return f"{vehicle.vin} [{days.start}, {days.end}): {sizes}"

    def download_driver_files(self) -> str:
        driver = next((d for d in self.drivers if d.last_download_date is not None), None)
        if driver is None or driver.last_download_date is None:
            raise StepSkipped("no listed driver has card data (lastDownloadDate)")
        days = DateRange.through(driver.last_download_date - WEEK + timedelta(days=1), driver.last_download_date)
        archives = self.client.download_driver_files(driver.card_number, driver.country_code, days.start, days.end)
        entries = [entry for archive in archives for entry in archive.entries]
        if not entries:
            raise StepFailed(
                f"no card download for {driver.card_number} in [{days.start}, {days.end}), "
                "which ends at its lastDownloadDate"
            )
        foreign = [e.filename for e in entries if not e.content.startswith(CARD_FILE_START)]
        if foreign:
            raise StepFailed(f"not driver-card downloads (no leading EF_ICC 0x0002): {', '.join(foreign)}")
        return f"{driver.card_number} [{days.start}, {days.end}): {len(archives)} ZIP, {len(entries)} card files"

    def request_rdl(self) -> str:
        if not self.allow_writes:
            raise StepSkipped("a write (uses a manual attempt on the real API); pass --allow-writes")
        if not self.vehicles:
            raise StepSkipped("no vehicle listed")
        vin = self.vehicles[0].vin
        try:
            vehicle = self.client.request_rdl(vin)
        except RdlRefused as refused:
            if type(refused) is RdlRefused:
                self.run.notes.append(
                    f"POST /vehicles/{{vin}}/rdl: a 409 the client does not know: {refused.description!r}"
                )
            return f"{vin}: refused ({type(refused).__name__}: {refused.description})"
        return f"{vin}: requested, {vehicle.manual_attempts_remaining} manual attempts remaining"


def run_tachoshare_smoke(options: VerifyOptions, retrier: Retrier) -> SmokeRun:
    session = RecordingSession()
    token = StaticToken(options.credentials.token or "")
    client = TachoShareClient(options.root, token, session=session, retrier=retrier, timeout=options.bounds.timeout)
    return TachoShareSmoke(client, SmokeRun(session), options.bounds.allow_writes).perform()
