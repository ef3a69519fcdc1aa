"""The customer's tachograph archive, as the two file routes serve it: which data a range holds, and its bytes.

What exists is decided by the download timelines (`mockserver.tachoshare.downloads`), exactly as the JSON views
report it: a vehicle's archive holds the days from its first successful download's date minus 28 up to the day
before its last successful download; a driver's archive holds one card file per successful card download. The
bytes are told by `Crew` and the history engine (`mockserver.tachograph.history`), deterministically under the
world seed, and never depend on the instant of the request (a file of the past is the same file tomorrow).

Memory stays bounded: crews and card histories are kept for a bounded number of accounts and cards, and a
driver ZIP is written batch by batch as it is sent, so neither the card files nor the whole ZIP are held at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from mockserver.errors import BadRequest
from mockserver.memo import Memo
from mockserver.tachograph.card.file import ZERO_SIGNER, write_card_file
from mockserver.tachograph.history.card import CardHistory, build_card_download
from mockserver.tachograph.history.vu import build_vu_download
from mockserver.tachograph.security.pki import simulator_pki
from mockserver.tachograph.security.signer import Signer
from mockserver.tachograph.types import day_start
from mockserver.tachograph.vu.file import write_vu_file
from mockserver.tachoshare import files
from mockserver.tachoshare.crew import Crew
from mockserver.tachoshare.downloads import Attempt, DownloadSummary
from mockserver.tachoshare.identity import DriverCard, driver_card, period_of
from mockserver.tachoshare.rules import FIRST_DOWNLOAD_BACKFILL_DAYS
from mockserver.tachoshare.story import card_history
from mockserver.tachoshare.zipwriter import Member, MemberCache, deflate, zip_parts
from mockserver.world.models import Account, Driver, Vehicle, World

MAX_CREWS = 16
MAX_CARD_HISTORIES = 64
MEMBER_CACHE_BYTES = 24 * 2**20
MemberKey = tuple[int, bool, str, str, datetime]
COMPRESSION_THREADS = 2  # one per request deflating at a time; two requests do not queue for one thread
BATCH = 64


@dataclass(frozen=True)
class FileAnswer:
    """A file to send: its name (Content-Disposition) and its bytes in parts. A driver ZIP's parts are written as
    they are taken (a server streams them), so such an answer is read once: by iterating `parts` or by `data`."""

    name: str
    parts: Iterable[bytes]

    @property
    def data(self) -> bytes:
        return b"".join(self.parts)

    @property
    def streamed(self) -> bool:
        """Whether the parts are still to be written (else they are all at hand, with a known length)."""
        return not isinstance(self.parts, tuple | list)


def available_days(downloads: DownloadSummary) -> files.DateRange | None:
    """The days a vehicle's archive holds (the JSON's firstAvailableActivityDate to lastActivityDate)."""
    first, last = downloads.first_success, downloads.last_success
    if first is None or last is None:
        return None
    return files.DateRange(first.at.date() - timedelta(days=FIRST_DOWNLOAD_BACKFILL_DAYS), last.at.date())


def card_downloads_in(downloads: DownloadSummary, requested: files.DateRange) -> list[Attempt]:
    return [s for s in downloads.successes if s.at.date() in requested]


class TachographArchive:
    """Builds the files of the two routes; holds bounded caches that `forget` drops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (account, world seed) -> the account's crew; exact while the crew was made from this very Account object
        # (checked on every hit: a new world or tenant makes new Account objects).
        self._crews: Memo[tuple[str, int], Crew] = Memo(MAX_CREWS, "crews")
        # (account, card, card period, world seed) -> the card's history; exact while it was made from this crew.
        self._histories: Memo[tuple[str, str, int, int], CardHistory] = Memo(MAX_CARD_HISTORIES, "card histories")
        # deflated ZIP members, bounded by bytes rather than entries (a member is 1 KB to 1 MB), hence its own class
        self._members = MemberCache(MEMBER_CACHE_BYTES)

    def forget(self) -> None:
        with self._lock:
            self._crews.clear()
            self._histories.clear()
        self._members.clear()

    def crew(self, world: World, account: Account) -> Crew:
        with self._lock:
            key = (account.name, world.seed)
            crew = self._crews.get(key)
            if crew is None or crew.account is not account:  # none yet, or the account's facts changed
                self._crews.discard(key)
                crew = self._crews.put(key, Crew(world.seed, account, world.start.date()))
            return crew

    @staticmethod
    def signer(world: World) -> Signer:
        return simulator_pki(world.seed) if world.signing else ZERO_SIGNER

    # -- vehicles ------------------------------------------------------------------------------------------
    def vehicle_file(
        self,
        world: World,
        account: Account,
        vehicle: Vehicle,
        downloads: DownloadSummary,
        requested: files.DateRange,
        file_format: files.FileFormat,
    ) -> FileAnswer | None:
        """The VU file of the archived days in `requested`; None when there are none (204)."""
        available = available_days(downloads)
        days = requested.clip(available.start, available.end) if available else None
        if days is None:
            return None
        changes = [(p.since, p.generation) for p in vehicle.generations if days.start < p.since < days.end]
        files.check_single_generation([(days.start, vehicle.generation_on(days.start)), *changes], files.VEHICLE_RANGE)
        period, period_end = period_of(vehicle.generations, days.start)
        download = next(s for s in downloads.successes if s.at.date() >= days.end)
        at = download.at
        if period_end is not None and at >= day_start(period_end):
            at = day_start(period_end) - timedelta(minutes=1)  # the old unit's last moment
        previous = max((s.at for s in downloads.successes if s.at < at), default=None)
        crew = self.crew(world, account)
        content = build_vu_download(crew, vehicle.vin, days.start, days.end, at, previous, account.speed_details)
        name = files.vehicle_file_name(at, vehicle.license_plate, vehicle.vin, file_format.extension(period.generation))
        return FileAnswer(name, (write_vu_file(content, self.signer(world)),))

    # -- drivers -------------------------------------------------------------------------------------------
    def _history(self, world: World, account: Account, driver: Driver, card: DriverCard) -> CardHistory:
        crew = self.crew(world, account)
        key = (account.name, driver.card_key, card.period_index, world.seed)
        with self._lock:
            history = self._histories.get(key)
            if history is None or history.rota is not crew:
                self._histories.discard(key)
                history = self._histories.put(key, card_history(crew, driver, card))
            return history

    def driver_files(
        self,
        world: World,
        account: Account,
        driver: Driver,
        downloads: DownloadSummary,
        requested: files.DateRange,
        file_format: files.FileFormat,
    ) -> FileAnswer | None:
        """A ZIP with one card file per successful card download in `requested`; None when there is none."""
        moments = card_downloads_in(downloads, requested)
        if not moments:
            return None
        cards = [driver_card(driver, m.at.date()) for m in moments]
        change = files.first_generation_change((m.at.date(), c.generation) for m, c in zip(moments, cards, strict=True))
        if change is not None:
            renewal = driver_card(driver, change).valid_from
            raise BadRequest(files.generation_split_message(renewal, files.DRIVER_RANGE))
        holder = files.CardHolder(driver.first_names, driver.surname, driver.card_key)
        extension = file_format.extension(cards[0].generation)
        names = [files.card_file_name(m.at, holder, extension) for m in moments]
        members = self._card_members(
            world, account, driver, [(card, m.at) for m, card in zip(moments, cards, strict=True)]
        )
        name = files.card_zip_name(moments[-1].at, moments[0].at, holder)
        return FileAnswer(name, zip_parts(zip(names, members, strict=True)))

    def _card_members(
        self, world: World, account: Account, driver: Driver, downloads: list[tuple[DriverCard, datetime]]
    ) -> Iterator[Member]:
        """The deflated card file of each download, in order: cached ones as they are, the others written here
        `BATCH` at a time, each batch then deflated by this thread and a compression thread together.

        Writing and deflating take turns instead of overlapping: a thread coming back from ISA-L while another
        runs Python waits for the interpreter lock for up to the switch interval, which costs more than it saves.
        """
        batch: list[Member | tuple[MemberKey, bytes]] = []
        histories: dict[str, CardHistory] = {}
        signer = self.signer(world)
        for card, moment in downloads:
            key = (world.seed, world.signing, account.name, card.number, moment)
            member = self._members.get(key)
            if member is None:
                history = histories.get(card.number)
                if history is None:
                    history = histories[card.number] = self._history(world, account, driver, card)
                with history.lock:
                    content = build_card_download(history, moment)
                batch.append((key, write_card_file(content, signer)))
            else:
                batch.append(member)
            if len(batch) >= BATCH:
                yield from self._deflated(batch)
                batch = []
        yield from self._deflated(batch)

    def _deflated(self, batch: list[Member | tuple[MemberKey, bytes]]) -> Iterator[Member]:
        written = [entry[1] for entry in batch if not isinstance(entry, Member)]
        deflated = iter(_deflate_all(written))
        for entry in batch:
            if isinstance(entry, Member):
                yield entry
            else:
                member = next(deflated)
                self._members.put(entry[0], member)
                yield member


def _deflate_all(datas: list[bytes]) -> list[Member]:
    """Deflate `datas` in two contiguous shares at once: the later share on the compression thread, the earlier
    one here. Each side runs its share in one loop, so it needs the interpreter lock only between members, and
    the caller does useful work instead of waiting for two threads to wake up and finish."""
    if len(datas) < 2:
        return [deflate(data) for data in datas]
    half = (len(datas) + 1) // 2
    later = _compressor().submit(_deflate_share, datas[half:])
    return [*_deflate_share(datas[:half]), *later.result()]


def _deflate_share(datas: list[bytes]) -> list[Member]:
    return [deflate(data) for data in datas]


_COMPRESSOR: list[ThreadPoolExecutor] = []
_COMPRESSOR_LOCK = threading.Lock()


def _compressor() -> ThreadPoolExecutor:
    """The process's compression threads (ISA-L deflates without the GIL: a batch is deflated in parallel)."""
    with _COMPRESSOR_LOCK:
        if not _COMPRESSOR:
            _COMPRESSOR.append(ThreadPoolExecutor(COMPRESSION_THREADS, thread_name_prefix="card-deflate"))
        return _COMPRESSOR[0]
