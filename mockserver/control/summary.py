"""`GET /_sim/world`: a summary of the world a QA engineer or a CI script can pick identifiers from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mockserver.apis import ListState, registry
from mockserver.http import iso_instant
from mockserver.simulator import Simulator
from mockserver.world.identifiers import nation_hex
from mockserver.world.models import Account


def _user(u: Any, today: date) -> dict[str, Any]:
    return {
        "username": u.username,
        "password": u.password,
        "displayName": u.display_name,
        "depots": sorted(u.visibility.depots) if u.visibility.depots is not None else None,
        "companyCards": u.visibility.company_cards,
    }


def _vehicle(v: Any, today: date) -> dict[str, Any]:
    return {
        "vin": v.vin,
        "vehicleId": v.vehicle_id,
        "depot": v.depot,
        "licensePlate": v.license_plate,
        "nation": v.nation,
        "generation": v.generation_on(today).value,
    }


def _driver(d: Any, today: date) -> dict[str, Any]:
    return {
        "cardNumber": d.card_key,
        "countryCode": nation_hex(d.country),
        "driverId": d.driver_id,
        "depot": d.depot,
        "name": d.name,
    }


def _company_card(c: Any, today: date) -> dict[str, Any]:
    return {"cardNumber": c.card_number, "group": c.group}


@dataclass(frozen=True)
class CoreList:
    entities: Callable[[Account], Sequence[Any]]
    item: Callable[[Any, date], dict[str, Any]]  # an entity's summary on a day
    key: Callable[[Any], str]  # its identifier, the item's first field (`keys=` picks by it)


CORE_LISTS: dict[str, CoreList] = {
    "users": CoreList(lambda a: a.users, _user, lambda u: u.username),
    "vehicles": CoreList(lambda a: a.vehicles, _vehicle, lambda v: v.vin),
    "drivers": CoreList(lambda a: a.drivers, _driver, lambda d: d.card_key),
    "companyCards": CoreList(lambda a: a.company_cards, _company_card, lambda c: c.card_number),
}
"""The account's own lists, by their name in the summary; each API adds its own (`ApiPlugin.world_summary`) and may
say what it answers about their items (`ApiPlugin.world_state`). Counting or paging a list builds only the items it
shows; picking by `keys` reads identifiers, not items."""


def _account(account: Account, today: date) -> dict[str, Any]:
    return {
        "name": account.name,
        "companyName": account.company_name,
        "country": account.country,
        # the world setting of issue 17, item 9: its vehicles' files carry the detailed speed block or none
        "speedDetails": account.speed_details,
        # what the account's tachograph files carry (issue 17, item 16): world settings, default on
        "gen2v2CardLayout": account.gen2v2_card_layout,
        "olderVuFaults": account.older_vu_faults,
        "cardFaults": account.card_faults,
        "cardEvents": account.card_events,
        **{name: [part.item(e, today) for e in part.entities(account)] for name, part in CORE_LISTS.items()},
        **_api_parts(account),
    }


def _api_parts(account: Account) -> dict[str, Any]:
    """What each API adds about the account (`ApiPlugin.world_summary`)."""
    parts: dict[str, Any] = {}
    for plugin in registry():
        if plugin.world_summary is not None:
            parts.update(plugin.world_summary(account))
    return parts


def world_summary(sim: Simulator) -> dict[str, Any]:
    now = sim.clock.now()
    world = sim.world
    return {
        "seed": world.seed,
        "start": iso_instant(world.start),
        "now": iso_instant(now),
        "clients": [{"clientId": c.client_id, "secret": c.secret, "name": c.name} for c in world.clients],
        "accounts": [_account(a, now.date()) for a in world.accounts],
    }


class NoSuchList(LookupError):
    """No such account, or the account's summary has no list of that name."""


def _list(account: Account, name: str, today: date) -> list[dict[str, Any]]:
    if name in CORE_LISTS:
        core = CORE_LISTS[name]
        return [core.item(e, today) for e in core.entities(account)]
    part = _api_parts(account).get(name)
    if not isinstance(part, list):
        known = sorted({*CORE_LISTS, *(k for k, v in _api_parts(account).items() if isinstance(v, list))})
        raise NoSuchList(f"the world summary has no list {name!r} (lists: {', '.join(known)})")
    return part


def _matches(item: dict[str, Any], needle: str) -> bool:
    """Case-insensitive: `needle` is part of one of the item's texts or numbers (a name, a VIN, a card number)."""
    texts = (str(v) for v in item.values() if isinstance(v, str | int | float) and not isinstance(v, bool))
    return any(needle in text.casefold() for text in texts)


def accounts_brief(sim: Simulator) -> dict[str, Any]:
    """Every account's name and the length of each of its lists: what a page that only picks an account needs."""
    accounts = []
    for account in sim.world.accounts:
        sizes = {name: len(part.entities(account)) for name, part in CORE_LISTS.items()}
        sizes.update({k: len(v) for k, v in _api_parts(account).items() if isinstance(v, list)})
        accounts.append({"name": account.name, "companyName": account.company_name, "sizes": sizes})
    return {"now": iso_instant(sim.clock.now()), "accounts": accounts}


class BadListAsk(ValueError):
    """A state or status asked of a list no API keeps state about, or a status without a state."""


def _state(name: str, state: str) -> ListState:
    states = registry().world_states(name)
    if state not in states:
        known = ", ".join(sorted(states)) or "none"
        raise BadListAsk(f"state {state!r}: no API keeps state about the items of {name!r} (APIs that do: {known})")
    return states[state]


def account_list(
    sim: Simulator,
    account_name: str,
    name: str,
    search: str = "",
    keys: tuple[str, ...] = (),
    offset: int = 0,
    limit: int = 50,
    state: str = "",
    status: str = "",
) -> dict[str, Any]:
    """One list of one account's summary (the items `GET /_sim/world` shows), filtered on the server and paged: the
    items whose first field (the identifier: VIN, card number, driver number, user name) is one of `keys` (when
    given), whose texts contain `search` (any case) and whose status in the API named `state` is `status`. With
    `state`, each item of the page carries, under that API's name, what the API answers about it now
    (`ApiPlugin.world_state`): a page of a 10,000-vehicle fleet costs its 50 items, a filter by status one pass
    that the API keeps while the instant and the state stay. Raises NoSuchList, BadListAsk."""
    account = sim.account(account_name)
    if account is None:
        raise NoSuchList(f"no account {account_name!r}")
    today = sim.clock.now().date()
    own = None if name in CORE_LISTS else _list(account, name, today)  # an API's list; an unknown one: 404 first
    if status and not state:
        raise BadListAsk(f"status {status!r} needs a state: the API whose status it is (e.g. state=<api name>)")
    about = _state(name, state) if state else None
    wanted = frozenset(keys)
    needle = search.casefold()
    if own is not None:  # an API's own list (no API keeps state about it: `_state` raised)
        items = own
        if wanted:
            items = [i for i in items if i and str(next(iter(i.values()))) in wanted]
        if needle:
            items = [i for i in items if _matches(i, needle)]
        return _page(account, name, len(items), offset, limit, items[offset : offset + limit])
    part = CORE_LISTS[name]
    every = part.entities(account)
    chosen: Sequence[int] = range(len(every))
    built: dict[int, dict[str, Any]] = {}
    if wanted:  # by identifier, without building the items
        chosen = [i for i in chosen if part.key(every[i]) in wanted]
    if needle:  # a search reads the items' texts: build those it looks at
        built = {i: part.item(every[i], today) for i in chosen}
        chosen = [i for i in chosen if _matches(built[i], needle)]
    if about is not None and status:
        statuses = about.statuses(sim, account)
        chosen = [i for i in chosen if statuses[i] == status]
    shown = chosen[offset : offset + limit]
    page = [built[i] if i in built else part.item(every[i], today) for i in shown]
    if about is not None:
        for one, answer in zip(page, about.answers(sim, account, [every[i] for i in shown]), strict=True):
            one[state] = answer
    return _page(account, name, len(chosen), offset, limit, page)


def _page(account: Account, name: str, total: int, offset: int, limit: int, items: list[Any]) -> dict[str, Any]:
    return {"account": account.name, "list": name, "total": total, "offset": offset, "limit": limit, "items": items}
