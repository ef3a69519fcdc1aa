"""Driver-card downloads told from a `Rota`: the card remembers what fits, the way a card in use would.

`CardHistory` lists every working day of one card once (from its first day, up to the next card's if it was
replaced); a download at instant t holds the days whose card session ended by t, as much as fits. The cyclic
activity buffer holds the newest days that fit; its ring offset is the total length of all day records written
since the history's first day, modulo the buffer size, so long-used cards wrap around. The history grows as later
downloads are asked for, so its cost is paid once per card and day. A download's sequences are runs of the
history's record logs (`mockserver.tachograph.card.runs`): each record is made and encoded once for all the
downloads that show it.

A Gen2v2 card (its identity's generation; a world may keep the Gen2v1 layout for them) also records the Mobility
Package data of the days it spent in Gen2v2 units (`card_mobility`), and the authentication status of those days'
places. The cards of a two-driver crew record the crew bit, each change in the slot the card was in then (the
two swap slots at every turn at the wheel, `crewday`), and their holder's own day.
A card records the faults of the units it was in (`vu_faults.card_faults`: a recording equipment fault when it
was in a slot as the fault began or ended, a card fault when it was the card in slot 1), unless its history is told
without them (`faults=False`: a world account's `cardFaults: false`). It records the power supply
interruptions whose VU record names it (`card_events`: in a slot as the event began or ended; times clipped to its
session), unless the unit's account keeps events off cards (`cardEvents: false`).
Not simulated: specific conditions (empty), events other than power supply interruptions; the Mobility Package
data on Gen1 and Gen2v1 cards.
"""

from __future__ import annotations

import bisect
import io
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockserver.tachograph.card.file import write_card_file
from mockserver.tachograph.card.ring import ActivityLog
from mockserver.tachograph.card.runs import RecordLog
from mockserver.tachograph.card_model import (
    CardActivityDay,
    CardChip,
    CardEventOrFault,
    CardVehicleUnitUsed,
    CardVehicleUsed,
    CurrentUsage,
    DriverCardDownload,
    DrivingLicence,
)
from mockserver.tachograph.crewday import member_changes
from mockserver.tachograph.dayplan import DriverDayPlan
from mockserver.tachograph.history.card_events import card_events, newest_per_type
from mockserver.tachograph.history.card_mobility import CardMobility
from mockserver.tachograph.history.rota import Rota, Shift, VehicleUnit, at_minute, days_between, gnss_near
from mockserver.tachograph.history.vu_faults import card_faults, records_faults
from mockserver.tachograph.security.signer import Signer
from mockserver.tachograph.types import Generation, GnssPlace, HolderName, PlaceRecord, Slot, day_start

ACTIVITY_CAPACITY = 13776
FAULTS_SHOWN = 48  # two groups of 24 at most (Faults_Data keeps the newest of each group that fit)
VEHICLE_RECORDS = 200
PLACE_DAYS = 56


@dataclass(frozen=True)
class CardIdentity:
    """What every download of one card says the same: the card, its holder, the licence and the chip."""

    generation: Generation
    number: str
    nation: int
    holder: HolderName
    birth_date: date
    language: str
    authority: str
    issue: datetime
    expiry: datetime
    licence: DrivingLicence
    chip: CardChip


@dataclass(frozen=True)
class WorkedDay:
    """A day the card was used: in which vehicle unit, by which plan, and when its session ended."""

    day: date
    unit: VehicleUnit
    plan: DriverDayPlan
    withdrawn: datetime


class CardHistory:
    """The working days of one card of one driver of a rota, extended on demand up to a date.

    Every day's activity record is made as the history grows (the ring's offset needs all their lengths); its
    vehicle, place and vehicle-unit records only when a download shows them (places: the newest `PLACE_DAYS`
    days), in the logs whose runs the downloads hold.
    """

    def __init__(
        self,
        rota: Rota,
        driver: str,
        identity: CardIdentity,
        first_day: date,
        last_day: date | None = None,
        faults: bool = True,
    ) -> None:
        self.lock = threading.Lock()  # held by callers while extending and reading
        self.rota = rota
        self.driver = driver
        self.identity = identity
        self.gen2 = identity.generation.is_gen2
        self.mobility = CardMobility(rota, driver) if identity.generation is Generation.GEN2V2 else None
        self.worked: list[WorkedDay] = []
        self.activity = ActivityLog()
        self.vehicles: RecordLog[CardVehicleUsed] = RecordLog(self._vehicle_record)
        self.places: RecordLog[PlaceRecord] = RecordLog(self._place)
        self.units: RecordLog[CardVehicleUnitUsed] = RecordLog(self._unit)
        self.record_faults = faults
        self.faults: list[CardEventOrFault] = []
        self._faults_after: list[int] = [0]  # faults written once i worked days are
        self.events: list[CardEventOrFault] = []
        self._events_after: list[int] = [0]  # events written once i worked days are
        self._withdrawals: list[datetime] = []
        self._last_day = last_day
        self._next_day = first_day

    def extend(self, until: date) -> None:
        """Know every day before `until`."""
        if self._last_day is not None:
            until = min(until, self._last_day)
        day = self._next_day
        while day < until:
            shift = self.rota.driver_shift(self.driver, day)
            if shift is not None:
                self._add(day, self.rota.unit(shift.vin, day), shift)
            day += timedelta(days=1)
        self._next_day = max(self._next_day, until)
        count = len(self.worked)
        self.vehicles.grow(count)
        self.places.grow(2 * count)
        self.units.grow(count)

    def _add(self, day: date, unit: VehicleUnit, shift: Shift) -> None:
        plan = shift.own_plan
        withdrawn = at_minute(day, plan.card_withdrawn or 0)
        if shift.partner is None:
            changes = plan.activity_changes(shift.slot)
        else:  # a two-driver crew: turns at the wheel, the slot at each change, the crew bit while inserted
            changes = member_changes(shift.main.plan, shift.slot is Slot.DRIVER)
        self.activity.append(CardActivityDay(day, len(self.worked) + 1, plan.distance_km, changes))
        self.worked.append(WorkedDay(day, unit, plan, withdrawn))
        self._withdrawals.append(withdrawn)
        if self.mobility is not None:
            self.mobility.add(day, unit, at_minute(day, plan.card_inserted or 0))
        if self.record_faults and records_faults(unit):
            self.faults += card_faults(self.rota, unit, day, self.driver)
        self._faults_after.append(len(self.faults))
        self.events += card_events(self.rota, unit, day, self.driver)
        self._events_after.append(len(self.events))

    def _vehicle_record(self, index: int) -> CardVehicleUsed:
        worked = self.worked[index]
        unit = worked.unit
        begin = self.rota.odometer(unit.vin, worked.day)
        return CardVehicleUsed(
            begin,
            begin + worked.plan.distance_km,
            at_minute(worked.day, worked.plan.card_inserted or 0),
            worked.withdrawn,
            unit.registration,
            index % 10000,
            unit.vin if self.gen2 else "",
        )

    def _place(self, index: int) -> PlaceRecord:
        """Places 2i and 2i + 1: where worked day i began and ended, as its vehicle record tells."""
        unit = self.worked[index // 2].unit
        used = self.vehicles.item(index // 2)
        ended = index % 2
        when = used.last_use if ended else used.first_use
        assert when is not None
        odometer = used.odometer_end if ended else used.odometer_begin
        gnss = _card_gnss(unit, when, self.mobility is not None) if self.gen2 else None
        return PlaceRecord(when, ended, unit.nation, 0, odometer, gnss)

    def _unit(self, index: int) -> CardVehicleUnitUsed:
        worked = self.worked[index]
        return CardVehicleUnitUsed(at_minute(worked.day, worked.plan.card_inserted or 0), 0xA1, 0, "0401")

    def faults_shown(self, days: int) -> tuple[CardEventOrFault, ...]:
        """The faults a download showing the first `days` worked days holds (the newest that can fit)."""
        return tuple(self.faults[: self._faults_after[days]][-FAULTS_SHOWN:])

    def events_shown(self, days: int) -> tuple[CardEventOrFault, ...]:
        """The events a download showing the first `days` worked days holds (the newest of each type)."""
        return newest_per_type(self.events[: self._events_after[days]])

    def upto(self, moment: datetime) -> int:
        """How many days had their card session ended by `moment` (call `extend` first)."""
        return bisect.bisect_right(self._withdrawals, moment)


def _card_gnss(unit: VehicleUnit, when: datetime, v2: bool) -> GnssPlace:
    """The place's position; its authentication status only on a Gen2v2 card in a Gen2v2 unit (else 0)."""
    place = gnss_near(unit, when)
    authenticated = v2 and unit.generation is Generation.GEN2V2
    return GnssPlace(
        place.timestamp, place.accuracy, place.latitude, place.longitude, place.auth_status if authenticated else 0
    )


def build_card_download(history: CardHistory, downloaded_at: datetime) -> DriverCardDownload:
    """The card's content as downloaded at `downloaded_at`."""
    history.extend(downloaded_at.date() + timedelta(days=1))
    count = history.upto(downloaded_at)
    days = history.activity.newest_fitting(count, ACTIVITY_CAPACITY)
    first_kept = count - len(days)
    offset = history.activity.bytes_before[first_kept] % ACTIVITY_CAPACITY if days else 0
    current = None
    if count:
        last = history.worked[count - 1]
        current = CurrentUsage(at_minute(last.day, last.plan.card_inserted or 0), last.unit.registration)
    fixed = history.identity
    return DriverCardDownload(
        generation=fixed.generation,
        card_number=fixed.number,
        issuing_nation=fixed.nation,
        holder=fixed.holder,
        birth_date=fixed.birth_date,
        preferred_language=fixed.language,
        issuing_authority=fixed.authority,
        issue_date=fixed.issue,
        validity_begin=fixed.issue,
        expiry=fixed.expiry,
        licence=fixed.licence,
        chip=fixed.chip,
        downloaded_at=downloaded_at,
        activity_days=days,
        activity_ring_offset=offset,
        vehicles_used=history.vehicles.run(count - VEHICLE_RECORDS, count),
        places=history.places.run(2 * (count - PLACE_DAYS), 2 * count),
        current_usage=current,
        vehicle_units_used=history.units.run(count - VEHICLE_RECORDS, count) if history.gen2 else (),
        events=history.events_shown(count),
        faults=history.faults_shown(count),
        **(history.mobility.download_fields(count) if history.mobility is not None else {}),  # type: ignore[arg-type]
    )


def build_card_files(history: CardHistory, moments: Sequence[datetime], signer: Signer | None = None) -> list[bytes]:
    return [write_card_file(build_card_download(history, moment), signer) for moment in moments]


def card_zip(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A ZIP of card files (the API's driver-file answer), written deterministically (fixed timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def weekly_moments(start: date, end: date, hour: int = 20) -> list[datetime]:
    """Download moments every seven days in [start, end)."""
    return [day_start(day) + timedelta(hours=hour) for day in days_between(start, end)[::7]]
