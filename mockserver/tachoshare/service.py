"""TachoShare's domain facade: what a principal may see, at the simulated instant, as read models.

Handlers call exactly one method here per request. The service knows nothing of HTTP: it raises the domain
errors of `mockserver.errors` and returns frozen views that the handlers format.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from mockserver.errors import Conflict, Forbidden, NotFound
from mockserver.memo import Memo
from mockserver.principal import Principal
from mockserver.store import MemoryStore
from mockserver.tachoshare import errors, files, rules
from mockserver.tachoshare.archive import FileAnswer, TachographArchive
from mockserver.tachoshare.downloads import DownloadSummary, Timeline, summarize
from mockserver.tachoshare.readmodels import CompanyCardView, DriverView, Listing, VehicleView, card_view
from mockserver.tachoshare.state import SECTION, RdlRequests
from mockserver.world.identifiers import NATION_CODES, nation_hex
from mockserver.world.models import Account, CompanyCard, Driver, Vehicle, Visibility, World

SCOPE = "tachoshare"
WORLD_ENTRIES = 4_000_000
"""The bound of the per-vehicle and per-driver memos: above any world `--vehicles`/`--drivers` can build, so a full
list never evicts what it needs next; the bound guards memory against a runaway, not a working set."""
STREAM_FROM = 2_000
"""A list of at least this many items is handed out lazily (`Listing.lazy`): each view made as the answer is written,
so the first bytes leave before the last view is made and no whole list is held (issue 13: 100,000 vehicles)."""


class TachoShareService:
    def __init__(
        self, accounts: Callable[[str], Account | None], now: Callable[[], datetime], store: MemoryStore
    ) -> None:
        self._accounts = accounts
        self._now = now
        self._store = store
        # (kind, account, vin or card) -> the download timeline, a function of the world's facts and the account's
        # manual requests; exact because `forget` drops an account's timelines whenever those change. One per
        # vehicle and driver: the limit is far above any world this simulator builds, so a full list never evicts.
        self._timelines: Memo[tuple[str, str, str], Timeline] = Memo(WORLD_ENTRIES, "download timelines")
        # a list route's arguments, the instant and the state's generation -> the read models: exact because a list
        # is a function of those alone (every write moves the generation).
        self._lists: Memo[tuple[Any, ...], tuple[Any, ...]] = Memo(512, "TachoShare lists")
        # (kind, account, key) -> (the download summary, the rest of what the view depends on, the view): a view is
        # made again only when its summary or those inputs change, not at every instant the clock moves to; a
        # kept view is used only after both are compared (`_kept`), so it is exactly the view they would make.
        self._views: Memo[tuple[str, str, str], tuple[DownloadSummary, tuple[Any, ...], Any]] = Memo(
            WORLD_ENTRIES, "TachoShare views"
        )
        self._lock = threading.Lock()
        self._archive = TachographArchive()

    def _memo(self, key: tuple[Any, ...], build: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
        """A list read model, kept while the instant and the state stay the same (polling clients hit this)."""
        return self._lists.get_or_compute((*key, self._store.generation), build)

    @property
    def _requests(self) -> RdlRequests:
        return self._store.section(SECTION, RdlRequests)

    # -- access -------------------------------------------------------------------------------------------
    def _account(self, principal: Principal) -> tuple[Account, Visibility]:
        if SCOPE not in principal.scopes:
            raise Forbidden(errors.FORBIDDEN)
        account = self._accounts(principal.account)
        user = account.user(principal.username) if account else None
        if account is None or user is None:
            raise Forbidden(errors.FORBIDDEN)
        return account, user.visibility

    def _timeline(self, cache_key: tuple[str, str, str], build: Callable[[], Timeline]) -> Timeline:
        """The timeline of (kind, account, vin or card), built once (`cache_key` is also the key of its view)."""
        with self._lock:  # one build per key: a timeline is costly, and equal builds would only waste the work
            timeline = self._timelines.get(cache_key)
            if timeline is None:
                timeline = self._timelines.put(cache_key, build())
            return timeline

    def forget(self, account: str | None = None) -> None:
        """Drop cached timelines (after a reset or a change of facts)."""
        self._archive.forget()
        with self._lock:
            self._lists.clear()
            self._views.clear()
            if account is None:
                self._timelines.clear()
            else:
                self._timelines.discard_where(lambda key: key[1] == account)

    # -- vehicles -------------------------------------------------------------------------------------------
    def vehicles(self, principal: Principal) -> tuple[VehicleView, ...]:
        account, visibility = self._account(principal)
        now = self._now()
        return self._memo(
            ("vehicles", account.name, principal.username, now),
            lambda: tuple(
                self._vehicle_view(account, v, now) for v in account.vehicles if visibility.sees_depot(v.depot)
            ),
        )

    def vehicle_listing(self, principal: Principal) -> Listing:
        """`vehicles`, lazy for a large fleet (the access check is made now, each view when it is reached)."""
        account, visibility = self._account(principal)
        if len(account.vehicles) < STREAM_FROM:
            return Listing(kept=self.vehicles(principal))
        now = self._now()
        seen = (v for v in account.vehicles if visibility.sees_depot(v.depot))
        return Listing(lazy=(self._vehicle_view(account, v, now) for v in seen))

    def _visible_vehicle(self, principal: Principal, vin: str) -> tuple[Account, Vehicle]:
        account, visibility = self._account(principal)
        vehicle = account.vehicle(vin)
        if vehicle is None or not visibility.sees_depot(vehicle.depot):
            raise NotFound(errors.NOT_FOUND)
        return account, vehicle

    def vehicle(self, principal: Principal, vin: str) -> VehicleView:
        account, vehicle = self._visible_vehicle(principal, vin)
        return self._vehicle_view(account, vehicle, self._now())

    def request_rdl(self, principal: Principal, vin: str) -> VehicleView:
        """Queue a manual RDL: 409 naming the first refusal condition that holds, else one attempt is used."""
        account, vehicle = self._visible_vehicle(principal, vin)
        with self._store.write():
            now = self._now()
            view = self._vehicle_view(account, vehicle, now)
            refusal = rules.rdl_refusal(
                vehicle, self.vehicle_downloads(account, vehicle, now), view.manual_attempts_remaining, now
            )
            if refusal is not None:
                raise Conflict(refusal.value)
            self._vehicle_timeline(account, vehicle).request(now)
            self._requests.add(account.name, vehicle.vin, now)
            return self._vehicle_view(account, vehicle, now)

    def _vehicle_timeline(
        self, account: Account, vehicle: Vehicle, key: tuple[str, str, str] | None = None
    ) -> Timeline:
        def build() -> Timeline:
            return rules.vehicle_timeline(account, vehicle, self._requests.of(account.name, vehicle.vin))

        return self._timeline(key or ("vehicle", account.name, vehicle.vin), build)

    def vehicle_downloads(self, account: Account, vehicle: Vehicle, now: datetime) -> DownloadSummary:
        return summarize(self._vehicle_timeline(account, vehicle), now)

    def vehicle_requests(
        self, account: Account, vehicle: Vehicle, now: datetime, state: RdlRequests | None = None
    ) -> tuple[datetime, ...]:
        """The manual RDL requests made by `now` (the world's and the API's), in the order they were made."""
        made = (*vehicle.manual_requests, *(state or self._requests).of(account.name, vehicle.vin))
        return tuple(t for t in made if t <= now) if made else ()  # most of a large fleet: none at all

    def _kept(self, key: tuple[str, str, str], downloads: DownloadSummary, inputs: tuple[Any, ...]) -> Any:
        kept = self._views.get(key)
        return kept[2] if kept is not None and kept[0] is downloads and kept[1] == inputs else None

    def _vehicle_view(self, account: Account, vehicle: Vehicle, now: datetime) -> VehicleView:
        """The view at `now`; the one made before while its downloads, day and manual requests are the same."""
        key = ("vehicle", account.name, vehicle.vin)  # of its timeline and of its view
        downloads = self._vehicle_timeline(account, vehicle, key).summary(now)
        state = self._requests  # once per view: a shared store's section is a reload check
        requests = self.vehicle_requests(account, vehicle, now, state)
        exhausted = state.is_exhausted(account.name, vehicle.vin, now)
        inputs = (now.date(), requests, exhausted)
        view = self._kept(key, downloads, inputs)
        if view is None:
            view = self._make_vehicle_view(account, vehicle, now, downloads, requests, exhausted)
            self._views.set(key, (downloads, inputs, view))
        return view

    def _make_vehicle_view(
        self,
        account: Account,
        vehicle: Vehicle,
        now: datetime,
        downloads: DownloadSummary,
        requests: tuple[Any, ...],
        exhausted: bool,
    ) -> VehicleView:
        today = now.date()
        status = rules.vehicle_status(vehicle, downloads, today)
        first, last = downloads.first_success, downloads.last_success
        has_data = last is not None
        last_activity = last.at.date() - timedelta(days=1) if last else None
        first_activity = (first.at.date() - timedelta(days=rules.FIRST_DOWNLOAD_BACKFILL_DAYS)) if first else None
        exported = None
        if last_activity is not None and first_activity is not None and vehicle.export_lag_days is not None:
            exported = max(first_activity, last_activity - timedelta(days=vehicle.export_lag_days))
        scheduled = None
        if status not in (rules.RdlStatus.DISCONNECTED, rules.RdlStatus.EXPIRED):
            scheduled = rules.next_scheduled(downloads, vehicle.variant.vehicle_period_days, today)
        used = vehicle.manual_quota if exhausted else rules.manual_attempts_used(requests, now)
        last_attempt = downloads.last_attempt.at if downloads.last_attempt else None
        if requests:  # most of a large fleet has none
            last_attempt = max(
                [t for t in requests if t <= now] + ([last_attempt] if last_attempt else []), default=None
            )
        return VehicleView(
            vin=vehicle.vin,
            vehicle_id=vehicle.vehicle_id,
            rdl_status=status,
            manual_attempts_remaining=max(0, vehicle.manual_quota - used),
            license_plate=vehicle.license_plate if has_data else None,
            last_activity_date=last_activity,
            first_available_activity_date=first_activity,
            next_scheduled_date=scheduled,
            last_rdl_attempt=last_attempt,
            health=rules.health(account, vehicle, downloads),
            locked_company_card_number=vehicle.locked_company_card,
            last_activity_exported_date=exported,
            tachograph_model=vehicle.tachograph_model if has_data else None,
        )

    # -- drivers --------------------------------------------------------------------------------------------
    def drivers(self, principal: Principal) -> tuple[DriverView, ...]:
        account, visibility = self._account(principal)
        now = self._now()
        return self._memo(
            ("drivers", account.name, principal.username, now),
            lambda: tuple(
                self._driver_view(account, d, now) for d in account.drivers if visibility.sees_depot(d.depot)
            ),
        )

    def driver_listing(self, principal: Principal) -> Listing:
        """`drivers`, lazy for a large fleet (the access check is made now, each view when it is reached)."""
        account, visibility = self._account(principal)
        if len(account.drivers) < STREAM_FROM:
            return Listing(kept=self.drivers(principal))
        now = self._now()
        seen = (d for d in account.drivers if visibility.sees_depot(d.depot))
        return Listing(lazy=(self._driver_view(account, d, now) for d in seen))

    def driver_downloads(self, account: Account, driver: Driver, now: datetime) -> DownloadSummary:
        timeline = self._timeline(("driver", account.name, driver.card_key), lambda: rules.driver_timeline(driver))
        return summarize(timeline, now)

    def _driver_view(self, account: Account, driver: Driver, now: datetime) -> DriverView:
        """The view at `now`; the one made before while its downloads, day and export are the same."""
        today = now.date()
        downloads = self.driver_downloads(account, driver, now)
        exported = None
        if driver.export_lag_days is not None:
            lag = timedelta(days=driver.export_lag_days)
            shown = downloads.last_success_until(now - lag)
            exported = shown.at + lag if shown else None
        key = ("driver", account.name, driver.card_key)
        view = self._kept(key, downloads, (today, exported))
        if view is None:
            view = self._make_driver_view(driver, today, downloads, exported)
            self._views.set(key, (downloads, (today, exported), view))
        return view

    def _make_driver_view(
        self, driver: Driver, today: date, downloads: DownloadSummary, exported: datetime | None
    ) -> DriverView:
        first, last = downloads.first_success, downloads.last_success
        status = rules.lateness_status(
            last.at.date() if last else None,
            today,
            driver.variant.driver_period_days,
            rules.DRIVER_LEGAL_MAX_DAYS,
        )
        return DriverView(
            card_number=driver.card_key,
            country_code=nation_hex(driver.country),
            driver_id=driver.driver_id,
            rdl_status=status,
            last_download_date=last.at.date() if last else None,
            first_available_download_date=first.at.date() if first else None,
            name=driver.name if last else None,
            next_scheduled_date=rules.next_scheduled(downloads, driver.variant.driver_period_days, today),
            last_driver_file_exported_date=exported,
        )

    # -- an account's items for the control plane (`worldstate.py`): every depot, no principal ----------------
    def vehicle_statuses(self, account: Account) -> tuple[str, ...]:
        """Every vehicle's `rdlStatus` now, in the world's order: kept while the instant and the state stay, so
        paging through a filtered fleet walks it once."""
        now = self._now()
        return self._memo(
            ("vehicle statuses", account.name, now),
            lambda: tuple(self._vehicle_view(account, v, now).rdl_status.value for v in account.vehicles),
        )

    def account_vehicles(self, account: Account, vehicles: Iterable[Vehicle]) -> list[VehicleView]:
        now = self._now()
        return [self._vehicle_view(account, v, now) for v in vehicles]

    def driver_statuses(self, account: Account) -> tuple[str, ...]:
        """Every driver card's `rdlStatus` now, in the world's order, kept like `vehicle_statuses`."""
        now = self._now()
        return self._memo(
            ("driver statuses", account.name, now),
            lambda: tuple(self._driver_view(account, d, now).rdl_status.value for d in account.drivers),
        )

    def account_drivers(self, account: Account, drivers: Iterable[Driver]) -> list[DriverView]:
        now = self._now()
        return [self._driver_view(account, d, now) for d in drivers]

    def company_card_statuses(self, account: Account) -> tuple[str, ...]:
        today = self._now().date()
        return tuple(rules.card_status(card, today).value for card in account.company_cards)

    def account_company_cards(self, cards: Iterable[CompanyCard]) -> list[CompanyCardView]:
        today = self._now().date()
        return [card_view(card, today) for card in cards]

    # -- files ----------------------------------------------------------------------------------------------
    def vehicle_file(self, principal: Principal, vin: str, query: files.FileQuery, world: World) -> FileAnswer | None:
        """The vehicle-unit file of the archived days in the range (None: no data, 204); 400 and 404 as documented."""
        account, vehicle = self._visible_vehicle(principal, vin)
        now = self._now()
        requested = files.resolve_range(files.VEHICLE_RANGE, query.start, query.end, now.date())
        file_format = files.file_format(files.VEHICLE_FORMATS, query.format)
        downloads = self.vehicle_downloads(account, vehicle, now)
        return self._archive.vehicle_file(world, account, vehicle, downloads, requested, file_format)

    def _visible_driver(self, principal: Principal, card_key: str, country_code: str) -> tuple[Account, Driver]:
        account, visibility = self._account(principal)
        driver = account.driver(card_key)
        if (
            driver is None
            or not visibility.sees_depot(driver.depot)
            or _nation_number(country_code) != NATION_CODES.get(driver.country)
        ):
            raise NotFound(errors.NOT_FOUND)
        return account, driver

    def driver_files(
        self, principal: Principal, card_key: str, country_code: str, query: files.FileQuery, world: World
    ) -> FileAnswer | None:
        """A ZIP of the card downloads in the range (None: none, 204); 400 and 404 as documented."""
        account, driver = self._visible_driver(principal, card_key, country_code)
        now = self._now()
        requested = files.resolve_range(files.DRIVER_RANGE, query.start, query.end, now.date())
        file_format = files.file_format(files.DRIVER_FORMATS, query.format)
        downloads = self.driver_downloads(account, driver, now)
        return self._archive.driver_files(world, account, driver, downloads, requested, file_format)

    # -- company cards --------------------------------------------------------------------------------------
    def company_cards(self, principal: Principal) -> list[CompanyCardView]:
        account, visibility = self._account(principal)
        if not visibility.company_cards:
            return []
        today = self._now().date()
        return [card_view(card, today) for card in account.company_cards]

    def company_card_groups(self, principal: Principal) -> list[rules.GroupView]:
        account, visibility = self._account(principal)
        if not visibility.company_cards:
            return []
        today = self._now().date()
        names = dict.fromkeys(card.group for card in account.company_cards)
        return [rules.group_view(account, name, today) for name in names]


def _nation_number(country_code: str) -> int:
    """`0x0F`, `0X0f` or the appendix's own spelling `0F`: the nation code as a number."""
    digits = country_code[2:] if country_code[:2].lower() == "0x" else country_code
    return int(digits, 16)
