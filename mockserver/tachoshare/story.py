"""World -> tachograph histories: the crew (`Crew`, the world's `Rota`) tells the days, this module tells what
the world says of a driver's card (its identity, and the days its history covers). The VU and card downloads are
built by the one history engine, `mockserver.tachograph.history`.
"""

from __future__ import annotations

import random

from mockserver.tachograph.card_model import CardChip, DrivingLicence
from mockserver.tachograph.dayplan import derive_seed
from mockserver.tachograph.history.card import CardHistory, CardIdentity
from mockserver.tachograph.types import ExtendedSerialNumber, Generation, HolderName, day_start
from mockserver.tachoshare.crew import Crew
from mockserver.tachoshare.identity import DriverCard, driver_cards, tacho_generation
from mockserver.world.models import Driver

_ISSUING_AUTHORITIES = {"NL": "RDW", "DE": "Kraftfahrt-Bundesamt", "BE": "FOD Mobiliteit", "ES": "DGT"}
_LANGUAGES = {"NL": "nl", "DE": "de", "BE": "fr", "ES": "es", "FR": "fr", "PL": "pl", "IT": "it"}


def card_history(crew: Crew, driver: Driver, card: DriverCard) -> CardHistory:
    """The history of one card of a driver: from its period's start or the driver's card epoch, whichever is
    later, up to the next card's period."""
    cards = driver_cards(driver)
    last_day = cards[card.period_index + 1].valid_from if card.period_index + 1 < len(cards) else None
    first_day = max(card.valid_from, crew.card_epoch(driver))
    identity = card_identity(crew, driver, card)
    return CardHistory(crew, driver.card_key, identity, first_day, last_day, faults=crew.account.card_faults)


def card_identity(crew: Crew, driver: Driver, card: DriverCard) -> CardIdentity:
    generation = tacho_generation(card.generation)
    if generation is Generation.GEN2V2 and not crew.account.gen2v2_card_layout:
        generation = Generation.GEN2V1  # the account keeps the Gen2v1 layout for its Gen2v2 cards
    rng = random.Random(derive_seed(crew.seed, "card", card.number))
    issue = day_start(card.issued)
    return CardIdentity(
        generation=generation,
        number=card.number,
        nation=card.nation,
        holder=HolderName(driver.surname, driver.first_names),
        birth_date=driver.birth_date,
        language=_LANGUAGES.get(driver.country, "en"),
        authority=_ISSUING_AUTHORITIES.get(driver.country, "Driver Card Authority"),
        issue=issue,
        expiry=day_start(card.expiry),
        licence=DrivingLicence("Driving Licence Authority", card.nation, f"L{rng.randint(10**9, 10**10 - 1)}"),
        chip=CardChip(ExtendedSerialNumber(rng.randint(1, 2**31), issue.month, issue.year, 1, 0xA1)),
    )
