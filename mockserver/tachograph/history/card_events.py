"""Power supply interruptions (EventFaultType '08'H): when a vehicle unit records one, which cards were in its
slots, and what a driver card keeps of it (EF Events_Data, CardEventRecord).

Annex IC 3.12.8 (requirement 117) has a vehicle unit record with every power supply interruption "the card(s)
... of any card inserted at beginning and/or end of the event"; requirements 260 (Gen1 application) and 285
(Gen2) have a driver card store the power supply interruptions detected while it was inserted, with the
beginning "or of card insertion if the event was on-going at that time", the end "or of card withdrawal if the
event was on-going at that time" and the vehicle's registration (261, 286). So a card holds exactly the
interruptions whose VU record names it, their times clipped to the card's session. EF Events_Data keeps the
newest of each type that fit (12 per type: TCS_155's NoOfEventsPerType; Annex IC 287).

The draw is the one VU files always had (about one day in a hundred, from `derive_seed(unit seed, "event", day)`),
so naming the cards changes no time. A unit names cards and its cards keep the events only if its account lets
it (`VehicleUnit.card_events`, a world account's `cardEvents`): the demo account does not, so its frozen VU files
keep event records without cards and its cards an empty Events_Data.
Not simulated: the other events a driver card stores (time overlap, card insertion while driving, last card
session not correctly closed, motion data error, vehicle motion conflict, GNSS and communication events); card
conflicts, driving without a card and over-speeding are VU events only (no group in Events_Data).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mockserver.tachograph.card_model import CardEventOrFault
from mockserver.tachograph.dayplan import derive_seed
from mockserver.tachograph.history.rota import Rota, VehicleUnit, at_minute
from mockserver.tachograph.history.vu_faults import holders_at_moment

POWER_SUPPLY_INTERRUPTION = 0x08
POWER_DAY_RATE = 0.01
EVENTS_PER_TYPE = 12  # what EF Events_Data holds of each event type (Gen1 and Gen2 capacities alike here)


@dataclass(frozen=True)
class PowerInterruption:
    """An interruption and the rota keys of the cards in slot 1 and 2 at its begin and end (None: no card, or
    the unit names no cards)."""

    begin: datetime
    end: datetime
    driver_begin: str | None = None
    co_driver_begin: str | None = None
    driver_end: str | None = None
    co_driver_end: str | None = None

    def names(self, driver: str) -> bool:
        return driver in (self.driver_begin, self.co_driver_begin, self.driver_end, self.co_driver_end)


def power_interruptions(rota: Rota, unit: VehicleUnit, day: date) -> tuple[PowerInterruption, ...]:
    """The power supply interruptions the unit recorded on `day` (none on most days)."""
    rng = random.Random(derive_seed(unit.seed, "event", day.toordinal()))
    if rng.random() >= POWER_DAY_RATE:
        return ()
    begin = at_minute(day, rng.randint(0, 1400))
    end = begin + timedelta(seconds=rng.randint(5, 600))
    if not unit.card_events:
        return (PowerInterruption(begin, end),)
    shift = rota.vehicle_shift(unit.vin, day)
    first, last = holders_at_moment(shift, begin), holders_at_moment(shift, end)
    return (PowerInterruption(begin, end, first[0], first[1], last[0], last[1]),)


def card_events(rota: Rota, unit: VehicleUnit, day: date, driver: str) -> list[CardEventOrFault]:
    """The events of `unit` on `day` the card of `driver` (a rota key) records: the interruptions whose VU record
    names it, clipped to its session of the day."""
    if not unit.card_events:
        return []
    found = [event for event in power_interruptions(rota, unit, day) if event.names(driver)]
    shift = rota.vehicle_shift(unit.vin, day)
    if not found or shift is None:
        return []
    inserted = at_minute(day, shift.plan.card_inserted or 0)
    withdrawn = at_minute(day, shift.plan.card_withdrawn or 0)
    return [
        CardEventOrFault(POWER_SUPPLY_INTERRUPTION, max(e.begin, inserted), min(e.end, withdrawn), unit.registration)
        for e in found
    ]


def newest_per_type(
    events: Sequence[CardEventOrFault], per_type: int = EVENTS_PER_TYPE
) -> tuple[CardEventOrFault, ...]:
    """The newest `per_type` events of each type, in time order (what a card's Events_Data can hold)."""
    counts: dict[int, int] = {}
    kept: list[CardEventOrFault] = []
    for event in reversed(events):
        counts[event.event_type] = counts.get(event.event_type, 0) + 1
        if counts[event.event_type] <= per_type:
            kept.append(event)
    return tuple(reversed(kept))
