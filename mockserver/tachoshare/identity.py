"""The tachograph identity of world entities: nation numbers, generations and the driver card of each period.

A driver has one card per generation period. The card of period i carries the world's card number with renewal
index i (the world's number ends with the index of the newest card), is valid until the next period starts (or
the world's card expiry for the newest) and was issued five years before that, but not before its period.
Not simulated: renewals within one generation (the card of a period covers the whole period).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from mockserver.tachograph.types import EquipmentType, FullCardNumber
from mockserver.tachograph.types import Generation as TachoGeneration
from mockserver.world.identifiers import NATION_CODES
from mockserver.world.models import Driver, Generation, GenerationPeriod

CARD_VALIDITY_YEARS = 5


def nation_number(country: str) -> int:
    """NationNumeric of a country code such as `NL`; 0xFE (rest of the world) for codes without one."""
    return NATION_CODES.get(country, 0xFE)


def tacho_generation(generation: Generation) -> TachoGeneration:
    return TachoGeneration(generation.value)


@dataclass(frozen=True)
class DriverCard:
    """One physical driver card of a driver."""

    period_index: int
    number: str  # 16 characters
    generation: Generation
    valid_from: date  # first day of the generation period
    issued: date
    expiry: date
    nation: int

    @property
    def full_number(self) -> FullCardNumber:
        tacho = tacho_generation(self.generation)
        return FullCardNumber(EquipmentType.DRIVER_CARD, self.nation, self.number, tacho.card_generation_byte)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# Key: the driver (a frozen dataclass, hashed and compared by every field), all the cards are made from: a hit is
# exact.
@functools.lru_cache(maxsize=4096)
def driver_cards(driver: Driver) -> tuple[DriverCard, ...]:
    cards = []
    periods = driver.generations
    for index, period in enumerate(periods):
        expiry = periods[index + 1].since if index + 1 < len(periods) else driver.card_expiry
        number = driver.card_number[:15] + str(min(index, 9))
        issued = min(max(period.since, _years_before(expiry, CARD_VALIDITY_YEARS)), expiry)
        cards.append(
            DriverCard(index, number, period.generation, period.since, issued, expiry, nation_number(driver.country))
        )
    return tuple(cards)


def driver_card(driver: Driver, day: date) -> DriverCard:
    """The card the driver uses on `day` (the first card for days before any period)."""
    cards = driver_cards(driver)
    current = cards[0]
    for card in cards:
        if card.valid_from <= day:
            current = card
    return current


def period_of(periods: tuple[GenerationPeriod, ...], day: date) -> tuple[GenerationPeriod, date | None]:
    """The generation period holding `day` and the date the next one starts (None: still current)."""
    current, following = periods[0], None
    for index, period in enumerate(periods):
        if period.since <= day:
            current = period
            following = periods[index + 1].since if index + 1 < len(periods) else None
    return current, following
