"""Driver-card downloads from `DriverFacts`: the card remembers what fits, the way a card in use would.

The cyclic activity buffer holds the newest days that fit; its ring offset is the total length of all day
records written since the card was issued, modulo the buffer size, so long-used cards wrap around.
"""

from __future__ import annotations

import bisect
import io
import random
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from mockserver.tachograph.card.file import write_card_file
from mockserver.tachograph.card.ring import ActivityLog
from mockserver.tachograph.card.runs import RecordLog
from mockserver.tachograph.card_model import (
    CardActivityDay,
    CardChip,
    CardVehicleUnitUsed,
    CardVehicleUsed,
    CurrentUsage,
    DriverCardDownload,
    DrivingLicence,
)
from mockserver.tachograph.dayplan import derive_seed
from mockserver.tachograph.security.signer import Signer
from mockserver.tachograph.simulate import (
    DriverFacts,
    VehicleFacts,
    at_minute,
    cached_plan,
    days_between,
    gnss_near,
    on_duty_driver,
)
from mockserver.tachograph.types import ExtendedSerialNumber, GnssPlace, HolderName, PlaceRecord, day_start

ACTIVITY_CAPACITY = 13776


@dataclass(frozen=True)
class _WorkedDay:
    day: date
    vehicle: VehicleFacts
    activity: CardActivityDay
    vehicle_record: CardVehicleUsed
    places: tuple[PlaceRecord, PlaceRecord]
    unit: CardVehicleUnitUsed
    inserted: datetime
    withdrawn: datetime


class DriverHistory:
    """Every working day of one driver since the card was issued, computed once and shared by downloads: their
    sequences are runs of the history's record logs, so each record is encoded once for all of them."""

    def __init__(self, driver: DriverFacts, vehicles: Sequence[VehicleFacts], until: date) -> None:
        self.driver = driver
        self.worked: list[_WorkedDay] = []
        self.activity = ActivityLog()
        self.vehicles: RecordLog[CardVehicleUsed] = RecordLog()
        self.places: RecordLog[PlaceRecord] = RecordLog()
        self.units: RecordLog[CardVehicleUnitUsed] = RecordLog()
        gen2 = driver.card_generation.is_gen2
        odometers = {v.vin: _odometer_at(v, driver.card_issue) for v in vehicles}
        for day in days_between(driver.card_issue, until):
            plan = cached_plan(driver.seed, day)
            vehicle = next((v for v in vehicles if _drives(v, driver.seed, day)), None)
            if vehicle is not None and plan.working:
                index = len(self.worked)
                activity = CardActivityDay(day, index + 1, plan.distance_km, plan.activity_changes())
                begin = odometers[vehicle.vin]
                end = begin + plan.distance_km
                inserted = at_minute(day, plan.card_inserted or 0)
                withdrawn = at_minute(day, plan.card_withdrawn or 0)
                record = CardVehicleUsed(
                    begin,
                    end,
                    inserted,
                    withdrawn,
                    vehicle.registration,
                    index % 10000,
                    vehicle.vin if gen2 else "",
                )
                places = (
                    PlaceRecord(inserted, 0, vehicle.nation, 0, begin, _card_gnss(vehicle, inserted) if gen2 else None),
                    PlaceRecord(withdrawn, 1, vehicle.nation, 0, end, _card_gnss(vehicle, withdrawn) if gen2 else None),
                )
                unit = CardVehicleUnitUsed(inserted, 0xA1, 0, "0401")
                self.worked.append(_WorkedDay(day, vehicle, activity, record, places, unit, inserted, withdrawn))
                self.activity.append(activity)
                self.vehicles.append(record)
                self.places.append(places[0])
                self.places.append(places[1])
                self.units.append(unit)
            for each in vehicles:
                odometers[each.vin] += _vehicle_distance(each, day)
        self._withdrawals = [worked.withdrawn for worked in self.worked]

    def upto(self, moment: datetime) -> int:
        """How many days had their card session ended by `moment`."""
        return bisect.bisect_right(self._withdrawals, moment)


def _drives(vehicle: VehicleFacts, driver_seed: int, day: date) -> bool:
    driver = on_duty_driver(vehicle, day)
    return driver is not None and driver.seed == driver_seed and day >= vehicle.in_service_since


def _vehicle_distance(vehicle: VehicleFacts, day: date) -> int:
    driver = on_duty_driver(vehicle, day)
    if driver is None or day < vehicle.in_service_since:
        return 0
    return cached_plan(driver.seed, day).distance_km


def _odometer_at(vehicle: VehicleFacts, day: date) -> int:
    total = vehicle.odometer_at_service_start
    for past in days_between(vehicle.in_service_since, day):
        total += _vehicle_distance(vehicle, past)
    return total


def build_card_download(history: DriverHistory, downloaded_at: datetime) -> DriverCardDownload:
    """The card content as downloaded at `downloaded_at`."""
    driver = history.driver
    count = history.upto(downloaded_at)
    days = history.activity.newest_fitting(count, ACTIVITY_CAPACITY)
    offset = history.activity.bytes_before[count - len(days)] % ACTIVITY_CAPACITY if days else 0
    gen2 = driver.card_generation.is_gen2
    current = None
    if count:
        last = history.worked[count - 1]
        current = CurrentUsage(last.inserted, last.vehicle.registration)
    rng = random.Random(derive_seed(driver.seed, "card"))
    issue = day_start(driver.card_issue)
    return DriverCardDownload(
        generation=driver.card_generation,
        card_number=driver.card_number,
        issuing_nation=driver.nation,
        holder=HolderName(driver.surname, driver.first_names),
        birth_date=driver.birth_date,
        preferred_language=driver.language,
        issuing_authority="Kraftfahrt-Bundesamt",
        issue_date=issue,
        validity_begin=issue,
        expiry=day_start(driver.card_expiry),
        licence=DrivingLicence("Fahrerlaubnisbehoerde", driver.nation, f"L{rng.randint(10**9, 10**10 - 1)}"),
        chip=CardChip(ExtendedSerialNumber(rng.randint(1, 2**31), issue.month, issue.year, 1, 0xA1)),
        downloaded_at=downloaded_at,
        activity_days=days,
        activity_ring_offset=offset,
        vehicles_used=history.vehicles.run(count - 200, count),
        places=history.places.run(2 * (count - 56), 2 * count),
        current_usage=current,
        vehicle_units_used=history.units.run(count - 200, count) if gen2 else (),
    )


def _card_gnss(vehicle: VehicleFacts, when: datetime) -> GnssPlace:
    return replace(gnss_near(vehicle, when), auth_status=0)


def card_zip(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A ZIP of card files (the API's driver-file answer), written deterministically (fixed timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def build_card_files(history: DriverHistory, moments: Sequence[datetime], signer: Signer | None = None) -> list[bytes]:
    return [write_card_file(build_card_download(history, moment), signer) for moment in moments]


def weekly_moments(start: date, end: date, hour: int = 20) -> list[datetime]:
    """Download moments every seven days in [start, end)."""
    return [day_start(day) + timedelta(hours=hour) for day in days_between(start, end)[::7]]
