"""TachoShare's state of an account's vehicles, driver cards and company cards for the control plane's world lists
(`GET /_sim/world/accounts/{account}/{list}?state=tachoshare`, `ApiPlugin.world_state`): each item as TachoShare's
list answers it now, from the same views, so the QA console pages a 10,000-vehicle fleet on the server and filters
it by `rdlStatus` there instead of reading `GET /vehicles` whole (the API has no paging).

Not simulated: a user's depot visibility; the state is what a user who sees every depot is answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mockserver.apis import ListState
from mockserver.tachoshare import rules
from mockserver.tachoshare.service import TachoShareService
from mockserver.tachoshare.views import company_card_json, driver_json, vehicle_json
from mockserver.world.models import Account

VEHICLE_STATUSES = tuple(s.value for s in rules.RdlStatus)
# a card is never DISCONNECTED or EXPIRED: `rules.lateness_status` answers the other four (the spec's DriverRdlStatus)
NOT_FOR_CARDS = (rules.RdlStatus.DISCONNECTED, rules.RdlStatus.EXPIRED)
DRIVER_STATUSES = tuple(s.value for s in rules.RdlStatus if s not in NOT_FOR_CARDS)
CARD_STATUSES = tuple(s.value for s in rules.CardStatus)


def _service(sim: Any) -> TachoShareService:
    service: TachoShareService = sim.services["tachoshare"]
    return service


def _vehicle_answers(sim: Any, account: Account, vehicles: Sequence[Any]) -> list[dict[str, Any]]:
    return [vehicle_json(view) for view in _service(sim).account_vehicles(account, vehicles)]


def _driver_answers(sim: Any, account: Account, drivers: Sequence[Any]) -> list[dict[str, Any]]:
    return [driver_json(view) for view in _service(sim).account_drivers(account, drivers)]


def _card_answers(sim: Any, account: Account, cards: Sequence[Any]) -> list[dict[str, Any]]:
    return [company_card_json(view) for view in _service(sim).account_company_cards(cards)]


WORLD_STATE = {
    "vehicles": ListState(lambda sim, a: _service(sim).vehicle_statuses(a), _vehicle_answers, VEHICLE_STATUSES),
    "drivers": ListState(lambda sim, a: _service(sim).driver_statuses(a), _driver_answers, DRIVER_STATUSES),
    "companyCards": ListState(lambda sim, a: _service(sim).company_card_statuses(a), _card_answers, CARD_STATUSES),
}
