"""Reveal's domain facade on a simulator: the token gateway, the LogBook service and scripted duty logs.

Handlers (`mockserver.reveal.handlers`, `mockserver.reveal.control`) call one method here per request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from mockserver.errors import BadRequest, NotFound
from mockserver.memo import Memo
from mockserver.reveal.errors import Denied
from mockserver.reveal.gateway import RevealGateway, RevealPrincipal
from mockserver.reveal.hos import ClockMinutes, DutyEvent, LogFormatError, compute_clocks, parse_log
from mockserver.reveal.logbook import LogbookService
from mockserver.reveal.models import RevealDriver, reveal_of
from mockserver.reveal.state import SECTION, RevealState, ScriptedLog
from mockserver.reveal.timeline import ScriptedTimeline
from mockserver.store import MemoryStore
from mockserver.world.models import Account

MAX_SCRIPTED_EVENTS = 100_000
EARLIEST_EVENT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_EVENT = datetime(2100, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ScriptedLogSummary:
    """What `PUT /_sim/reveal/drivers/{driverNumber}/log` answers: the log as stored and the clocks now."""

    account: str
    driver_number: str
    events: int
    first: datetime
    last: datetime
    clocks: ClockMinutes


class RevealService:
    def __init__(
        self,
        seed: int,
        accounts: Callable[[], Iterable[Account]],
        account: Callable[[str], Account | None],
        world_start: Callable[[], datetime],
        now: Callable[[], datetime],
        store: MemoryStore,
    ) -> None:
        self._accounts = accounts
        self._account = account
        self._now = now
        self._store = store
        self.gateway = RevealGateway(seed, accounts)
        # key: (Authorization header, state generation); value: its principal and its token's validity. A hit is
        # exact once the instant is compared with the validity: the principal is a function of the header, the
        # accounts (which change only with the state: a tenant, a reset, the generation; or with the signing key:
        # `rekey` clears it) and the instant, through the token's expiry alone. The route link and the security check
        # each authenticate every request (issue 13: twice per statuscurrent read; with the clock running, a key
        # holding the instant missed at every simulated second). Refusals are not kept.
        self._principals: Memo[tuple[str, int], tuple[RevealPrincipal, int, int]] = Memo(4096, "Reveal principals")
        self.logbook = LogbookService(account, world_start, now, lambda: self.state, lambda: store.generation)

    def rekey(self, secret: str) -> None:
        """Sign Reveal tokens with a key derived from `secret` (`Simulator.sign_with`)."""
        self.gateway.rekey(secret)
        self._principals.clear()

    @property
    def state(self) -> RevealState:
        return self._store.section(SECTION, RevealState)

    # -- token gateway ---------------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> str:
        """The account of the Reveal user with these credentials; 401 if there is none."""
        account = self.gateway.login(username, password)
        if account is None:
            raise Denied()
        return account

    def issue_token(self, account: str, username: str) -> str:
        """A 20-minute token for a user who passed `login`."""
        with self._store.write():
            serial = self.state.next_serial()
        return self.gateway.issue(account, username, self._now(), serial)

    def authenticate(self, header: str) -> RevealPrincipal:
        now = self._now()
        key = (header, self._store.generation)
        known = self._principals.get(key)
        if known is None or not known[1] <= now.timestamp() < known[2]:  # else expired (or not yet valid): refused
            known = self._principals.set(key, self.gateway.authenticate_window(header, now))
        return known[0]

    # -- world -----------------------------------------------------------------------------------------------
    def drivers(self) -> list[tuple[str, RevealDriver]]:
        """Every Reveal driver of the world, with its account's name."""
        return [
            (account.name, driver)
            for account in self._accounts()
            if (reveal := reveal_of(account)) is not None
            for driver in reveal.drivers
        ]

    def _find_driver(self, driver_number: str, account: str | None) -> tuple[str, RevealDriver]:
        matches = [
            (name, driver)
            for name, driver in self.drivers()
            if driver.driver_number == driver_number and account in (None, name)
        ]
        if account is not None and self._account(account) is None:
            raise NotFound(f"unknown account {account!r}")
        if not matches:
            where = f"account {account!r}" if account is not None else "any account"
            raise NotFound(f"no Reveal driver {driver_number!r} in {where}")
        if len(matches) > 1:
            names = ", ".join(name for name, _ in matches)
            raise BadRequest(f"driver {driver_number!r} exists in several accounts ({names}); give ?account=")
        return matches[0]

    # -- scripted logs ---------------------------------------------------------------------------------------
    def replace_log(self, driver_number: str, data: object, account: str | None = None) -> ScriptedLogSummary:
        """Replace a driver's duty log (until the next reset) with `data`, a LOG.json list of events.

        400 naming the bad entry, 404 for an unknown driver; on any refusal the state is unchanged.
        """
        name, driver = self._find_driver(driver_number, account)
        events = _checked_events(data)
        now = self._now()
        if min(event.at for event in events) > now:
            raise BadRequest(
                f"the log must begin at or before the simulated now ({now:%Y-%m-%dT%H:%M:%SZ}) so that the"
                " driver has a status"
            )
        scripted = ScriptedLog.of(events)
        with self._store.write():
            self.state.scripted[(name, driver.driver_number)] = scripted
        timeline = ScriptedTimeline(scripted, driver)
        stored = scripted.events
        return ScriptedLogSummary(
            account=name,
            driver_number=driver.driver_number,
            events=len(stored),
            first=stored[0].at,
            last=stored[-1].at,
            clocks=compute_clocks(scripted.log, now, timeline.options).minutes(),
        )


def _checked_events(data: object) -> list[DutyEvent]:
    if isinstance(data, list) and len(data) > MAX_SCRIPTED_EVENTS:
        raise BadRequest(f"a scripted log holds at most {MAX_SCRIPTED_EVENTS} events, got {len(data)}")
    try:
        events = parse_log(data)
    except LogFormatError as exc:
        raise BadRequest(str(exc)) from None
    if not events:
        raise BadRequest("a duty log needs at least one event")
    for position, event in enumerate(events):
        if not EARLIEST_EVENT <= event.at < LATEST_EVENT:
            raise BadRequest(f"event {position}: timestamp {event.at.isoformat()} is outside 2000-2099")
    return events
