"""The faults a vehicle unit records (VuFaultRecord): rare, deterministic in the unit's seed and the day.

Annex IB (Gen1) and Annex IC (Gen2) have every vehicle unit record its recording equipment faults and card faults
(data dictionary 2.70 EventFaultType, groups '3x'H and '4x'H) with the cards in both slots when the fault began
and ended, and keep "the 10 most recent" of each type (EventFaultRecordPurpose '00'H). The types a unit can
record depend on its generation: the GNSS receiver fault is Gen2's, the internal sensor fault Gen2 v2's.

About one vehicle day in a hundred has a fault, drawn from its own seeded source (`derive_seed(unit seed,
"fault", day)`, whose value alone decides whether the day has one: a card history asks for every day of years),
so the other records of a day never change with it. A sensor, GNSS receiver or internal sensor
fault begins at a driving minute and lasts minutes; a card fault begins seconds after a card goes in and lasts
seconds; a VU internal, printer, display or downloading fault can happen with or without cards, any time of the day.
Driver cards record them too (`card_faults`, in EF Faults_Data). Not simulated: the first fault after the last
calibration (purpose '06'H), faults that last past midnight, and the security breach attempt events ('1x'H, '2x'H).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum

from mockserver.tachograph.card_model import CardEventOrFault
from mockserver.tachograph.dayplan import derive_seed
from mockserver.tachograph.history.rota import Rota, Shift, VehicleUnit
from mockserver.tachograph.types import Activity, Generation, day_start

FAULT_DAY_RATE = 0.01
FAULT_PURPOSE = 0x00  # EventFaultRecordPurpose: one of the 10 most recent (or last) events or faults
FAULTS_KEPT_PER_TYPE = 10


class FaultType(IntEnum):
    """EventFaultType codes of the faults simulated here (data dictionary 2.70)."""

    VU_INTERNAL = 0x31
    PRINTER = 0x32
    DISPLAY = 0x33
    DOWNLOADING = 0x34
    SENSOR = 0x35
    GNSS_RECEIVER = 0x36  # Gen2
    INTERNAL_SENSOR = 0x3A  # Gen2 v2
    CARD = 0x40


_GEN1 = (
    FaultType.VU_INTERNAL,
    FaultType.PRINTER,
    FaultType.DISPLAY,
    FaultType.DOWNLOADING,
    FaultType.SENSOR,
    FaultType.CARD,
)
TYPES: dict[Generation, tuple[FaultType, ...]] = {
    Generation.GEN1: _GEN1,
    Generation.GEN2V1: (*_GEN1, FaultType.GNSS_RECEIVER),
    Generation.GEN2V2: (*_GEN1, FaultType.GNSS_RECEIVER, FaultType.INTERNAL_SENSOR),
}
WHILE_DRIVING = frozenset({FaultType.SENSOR, FaultType.GNSS_RECEIVER, FaultType.INTERNAL_SENSOR})


@dataclass(frozen=True)
class VuFault:
    """A fault and the rota keys of the card holders in slot 1 and 2 at its begin and its end (None: no card)."""

    kind: FaultType
    begin: datetime
    end: datetime
    driver_begin: str | None
    co_driver_begin: str | None
    driver_end: str | None
    co_driver_end: str | None


def records_faults(unit: VehicleUnit) -> bool:
    """Gen2 v2 units always write their faults; older ones when their account lets them (`older_faults`)."""
    return unit.generation is Generation.GEN2V2 or unit.older_faults


def day_faults(rota: Rota, unit: VehicleUnit, day: date) -> tuple[VuFault, ...]:
    """The faults the unit recorded on `day` (none on most days)."""
    seed = derive_seed(unit.seed, "fault", day.toordinal())
    if seed >= FAULT_DAY_RATE * 2**64:  # the digest decides; a Mersenne Twister is seeded on fault days only
        return ()
    rng = random.Random(seed)
    kind = rng.choice(TYPES[unit.generation])
    shift = rota.vehicle_shift(unit.vin, day)
    midnight = day_start(day)
    if shift is None or (kind not in WHILE_DRIVING and kind is not FaultType.CARD):
        begin = midnight + timedelta(seconds=rng.randrange(0, 23 * 3600))
        end = begin + timedelta(seconds=rng.randint(2, 1800))
        if shift is None and kind in WHILE_DRIVING | {FaultType.CARD}:
            kind = FaultType.VU_INTERNAL  # nobody drove: a fault that needs no driving and no card
        return (_fault(kind, begin, end, shift),)
    plan = shift.plan
    if kind is FaultType.CARD:
        begin = midnight + timedelta(minutes=plan.card_inserted or 0, seconds=rng.randint(3, 40))
        return (_fault(kind, begin, begin + timedelta(seconds=rng.randint(1, 20)), shift),)
    drives = [s for s in plan.segments if s.activity is Activity.DRIVING]
    segment = rng.choice(drives)
    start = rng.randrange(segment.start, segment.end)
    minutes = rng.randint(1, max(1, min(40, segment.end - start)))
    begin = midnight + timedelta(minutes=start, seconds=rng.randrange(60))
    return (_fault(kind, begin, begin + timedelta(minutes=minutes - 1, seconds=rng.randint(1, 59)), shift),)


def _fault(kind: FaultType, begin: datetime, end: datetime, shift: Shift | None) -> VuFault:
    first = holders_at_moment(shift, begin)
    last = holders_at_moment(shift, end)
    return VuFault(kind, begin, end, first[0], first[1], last[0], last[1])


def holders_at_moment(shift: Shift | None, moment: datetime) -> tuple[str | None, str | None]:
    """The rota keys of the cards in slot 1 and slot 2 at `moment` (a shift's main view tells the crew)."""
    if shift is None:
        return None, None
    return shift.main.holders_at(moment.hour * 60 + moment.minute)


def card_faults(rota: Rota, unit: VehicleUnit, day: date, driver: str) -> list[CardEventOrFault]:
    """The faults of `unit` on `day` a driver card records (CardFaultRecord): Annex IC has a card keep the faults
    detected while it was inserted, recording equipment faults for every card in a slot, card faults for the card
    concerned (here the one in slot 1), the begin "or of card insertion if the fault was on-going at that time"
    and the end "or of card withdrawal" (requirements 264 and 289): clipped to the card's session."""
    found: list[CardEventOrFault] = []
    for fault in day_faults(rota, unit, day):
        if fault.kind is FaultType.CARD:
            concerned = driver in (fault.driver_begin, fault.driver_end)
        else:
            concerned = driver in (fault.driver_begin, fault.co_driver_begin, fault.driver_end, fault.co_driver_end)
        shift = rota.vehicle_shift(unit.vin, day)
        if concerned and shift is not None:
            inserted = day_start(day) + timedelta(minutes=shift.plan.card_inserted or 0)
            withdrawn = day_start(day) + timedelta(minutes=shift.plan.card_withdrawn or 0)
            begin, end = max(fault.begin, inserted), min(fault.end, withdrawn)
            found.append(CardEventOrFault(int(fault.kind), begin, end, unit.registration))
    return found


def kept(faults: list[VuFault]) -> list[VuFault]:
    """The 10 most recent faults of each type, in time order."""
    counts: dict[FaultType, int] = {}
    result: list[VuFault] = []
    for fault in sorted(faults, key=lambda f: f.begin, reverse=True):
        counts[fault.kind] = counts.get(fault.kind, 0) + 1
        if counts[fault.kind] <= FAULTS_KEPT_PER_TYPE:
            result.append(fault)
    return result[::-1]
