"""`GET /_sim/world`: a summary of the world a QA engineer or a CI script can pick identifiers from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from mockserver.apis import registry
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


CORE_LISTS: dict[str, tuple[Callable[[Account], Sequence[Any]], Callable[[Any, date], dict[str, Any]]]] = {
    "users": (lambda a: a.users, _user),
    "vehicles": (lambda a: a.vehicles, _vehicle),
    "drivers": (lambda a: a.drivers, _driver),
    "companyCards": (lambda a: a.company_cards, _company_card),
}
"""The account's own lists, by their name in the summary (its entities, and an item's summary on a day); each API
adds its own (`ApiPlugin.world_summary`). Counting or paging a list builds only the items it shows."""


def _account(account: Account, today: date) -> dict[str, Any]:
    return {
        "name": account.name,
        "companyName": account.company_name,
        "country": account.country,
        # the world setting of issue 17, item 9: its vehicles' files carry the detailed speed block or none
        "speedDetails": account.speed_details,
        **{name: [item(e, today) for e in entities(account)] for name, (entities, item) in CORE_LISTS.items()},
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
        entities, item = CORE_LISTS[name]
        return [item(e, today) for e in entities(account)]
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
        sizes = {name: len(entities(account)) for name, (entities, _) in CORE_LISTS.items()}
        sizes.update({k: len(v) for k, v in _api_parts(account).items() if isinstance(v, list)})
        accounts.append({"name": account.name, "companyName": account.company_name, "sizes": sizes})
    return {"now": iso_instant(sim.clock.now()), "accounts": accounts}


def account_list(
    sim: Simulator,
    account_name: str,
    name: str,
    search: str = "",
    keys: tuple[str, ...] = (),
    offset: int = 0,
    limit: int = 50,
) -> dict[str, Any]:
    """One list of one account's summary (the items `GET /_sim/world` shows), filtered on the server and paged: the
    items whose texts contain `search` (any case), or whose first field (the identifier: VIN, card number, driver
    number, user name) is one of `keys`. Raises NoSuchList."""
    account = sim.account(account_name)
    if account is None:
        raise NoSuchList(f"no account {account_name!r}")
    today = sim.clock.now().date()
    if name in CORE_LISTS and not keys and not search:  # a page of the whole list: build only its items
        entities, item = CORE_LISTS[name]
        every = entities(account)
        page = [item(e, today) for e in every[offset : offset + limit]]
        return {"account": account.name, "list": name, "total": len(every), "offset": offset, "limit": limit,
                "items": page}  # fmt: skip
    items = _list(account, name, today)
    if keys:
        wanted = set(keys)
        items = [item for item in items if item and str(next(iter(item.values()))) in wanted]
    if search:
        needle = search.casefold()
        items = [item for item in items if _matches(item, needle)]
    return {"account": account.name, "list": name, "total": len(items), "offset": offset, "limit": limit,
            "items": items[offset : offset + limit]}  # fmt: skip
