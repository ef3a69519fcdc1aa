"""One story told three ways: VU files, driver-card files and the JSON views agree day by day; bytes are
deterministic; files round-trip through the project's readers for random worlds, generations and ranges."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.clock import SimClock
from mockserver.principal import Principal
from mockserver.simulator import Simulator
from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.types import Slot
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from mockserver.tachograph.vu_model import VuActivityDay
from mockserver.tachoshare import files
from mockserver.tachoshare.archive import TachographArchive, available_days, card_downloads_in
from mockserver.tachoshare.identity import period_of
from mockserver.world.build import build_world
from mockserver.world.models import Account, Vehicle, World
from mockserver.world.schema import WorldSpec

DDD = files.VEHICLE_FORMATS["DDD"]
CARD_DDD = files.DRIVER_FORMATS["DDD"]


def last_period_range(vehicle: Vehicle, available: files.DateRange) -> files.DateRange:
    """The archived days of the vehicle's newest generation, at most a year."""
    start = max(available.start, period_of(vehicle.generations, available.end - timedelta(days=1))[0].since)
    start = max(start, available.end - timedelta(days=365))  # a year keeps the test fast; the bench does two
    return files.DateRange(start, available.end)


def demo(sim: Simulator) -> Account:
    account = sim.world.account("demo")
    assert account is not None
    return account


def test_vu_days_are_the_json_range_and_insertions_name_world_drivers(sim: Simulator) -> None:
    account, now, archive = demo(sim), sim.clock.now(), TachographArchive()
    views = {v.vin: v for v in sim.tachoshare.vehicles(_principal(account))}
    cards = {d.card_key: d for d in account.drivers}
    checked = 0
    for vehicle in account.vehicles:
        view = views[vehicle.vin]
        downloads = sim.tachoshare.vehicle_downloads(account, vehicle, now)
        available = available_days(downloads)
        if available is None:
            assert view.last_activity_date is None
            continue
        assert (available.start, available.end - timedelta(days=1)) == (
            view.first_available_activity_date,
            view.last_activity_date,
        )
        wanted = last_period_range(vehicle, available)
        answer = archive.vehicle_file(sim.world, account, vehicle, downloads, wanted, DDD)
        assert answer is not None
        parsed = read_vu_file(answer.data).download
        assert [d.day for d in parsed.days] == [wanted.start + timedelta(days=i) for i in range(wanted.days)]
        assert parsed.overview.vin == vehicle.vin
        for day in parsed.days:
            for insertion in day.card_insertions:
                assert insertion.card.number[:14] in cards
                holder = cards[insertion.card.number[:14]]
                assert insertion.holder.surname == holder.surname
        checked += 1
    assert checked >= 15


def _principal(account: Account) -> Principal:
    return Principal(account.name, account.users[0].username, "demo-partner", frozenset({"tachoshare"}))


def test_card_files_agree_with_the_vu_files_of_the_vehicles_they_name(sim: Simulator) -> None:
    account, now, archive, world = demo(sim), sim.clock.now(), TachographArchive(), sim.world
    today = now.date()
    window = files.DateRange(today - timedelta(days=28), today + timedelta(days=1))
    by_plate = {v.license_plate: v for v in account.vehicles}
    vu_days: dict[tuple[str, date], VuActivityDay] = {}
    for vehicle in account.vehicles:
        downloads = sim.tachoshare.vehicle_downloads(account, vehicle, now)
        available = available_days(downloads)
        span = window.clip(available.start, available.end) if available else None
        if span is None or len({vehicle.generation_on(span.start), vehicle.generation_on(span.end)}) > 1:
            continue
        answer = archive.vehicle_file(world, account, vehicle, downloads, span, DDD)
        assert answer is not None
        for day in read_vu_file(answer.data).download.days:
            vu_days[(vehicle.vin, day.day)] = day
    compared = compared_drivers = 0
    for driver in account.drivers:
        downloads = sim.tachoshare.driver_downloads(account, driver, now)
        moments = card_downloads_in(downloads, window)
        if not moments or driver.generations[-1].since > window.start or compared_drivers == 8:
            continue
        compared_drivers += 1
        last_day = moments[-1].at.date()  # the newest card file holds the whole window
        answer = archive.driver_files(
            world, account, driver, downloads, files.DateRange(last_day, last_day + timedelta(days=1)), CARD_DDD
        )
        assert answer is not None
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive_zip:
            newest = read_card_file(archive_zip.read(archive_zip.namelist()[-1])).download
        assert newest.downloaded_at == moments[-1].at
        used = {record.first_use.date(): record for record in newest.vehicles_used}
        for card_day in newest.activity_days:
            if card_day.day < window.start:  # older days: the card keeps only its last 200 vehicle records
                continue
            record = used[card_day.day]
            vehicle = by_plate[record.registration.plate]
            vu_day = vu_days.get((vehicle.vin, card_day.day))
            if vu_day is None:
                continue
            (insertion,) = vu_day.card_insertions
            assert insertion.card.number == newest.card_number
            assert insertion.odometer_at_insertion == record.odometer_begin
            assert insertion.odometer_at_withdrawal == record.odometer_end
            inserted = insertion.inserted_at.hour * 60 + insertion.inserted_at.minute
            # the card's session; a Gen2v2 VU also records driving with no card before it (not on the card)
            driver_changes = [
                c for c in vu_day.activity_changes[2:] if c.slot is Slot.DRIVER and c.minute >= inserted
            ]
            assert [(c.minute, c.activity, c.card_present) for c in driver_changes] == [
                (c.minute, c.activity, c.card_present) for c in card_day.changes[1:]
            ]
            compared += 1
    assert compared >= 40


def test_bytes_are_deterministic_and_do_not_depend_on_the_request_instant(world: World) -> None:
    def files_of(sim: Simulator) -> tuple[bytes, bytes]:
        account = demo(sim)
        vehicle, driver = account.vehicles[0], account.drivers[0]
        now = sim.clock.now()
        archive = TachographArchive()
        span = files.DateRange(date(2026, 8, 1), date(2026, 10, 1))
        vu = archive.vehicle_file(
            sim.world, account, vehicle, sim.tachoshare.vehicle_downloads(account, vehicle, now), span, DDD
        )
        cards = archive.driver_files(
            sim.world, account, driver, sim.tachoshare.driver_downloads(account, driver, now), span, CARD_DDD
        )
        assert vu is not None and cards is not None
        return vu.data, cards.data

    first = files_of(Simulator(world, SimClock(world.start, rate=0)))
    again = files_of(Simulator(world, SimClock(world.start, rate=0)))
    later = Simulator(world, SimClock(world.start, rate=0))
    later.clock.advance(20 * 86400)
    assert first == again
    assert files_of(later) == first


# -- random worlds ------------------------------------------------------------------------------------------

GENERATIONS = ("gen1", "gen2v1", "gen2v2")


def small_world(seed: int, vehicle_generation: str, card_generation: str, plus: bool) -> World:
    variant = "TACHOSHARE PLUS" if plus else "TACHOSHARE"
    spec = WorldSpec.model_validate(
        {
            "seed": seed,
            "start": "2026-03-02T08:00:00Z",
            "clients": [{"clientId": "c", "secret": "s", "name": "C"}],
            "accounts": [
                {
                    "name": "tiny",
                    "users": [{"username": "u", "password": "p", "displayName": "U"}],
                    "vehicles": [
                        {
                            "key": f"v{i}",
                            "variant": variant,
                            "firstDownload": "-300d",
                            "drivingDays": "Mon-Fri",
                            "generations": [{"since": "-2000d", "generation": vehicle_generation}],
                        }
                        for i in range(2)
                    ],
                    "drivers": [
                        {
                            "key": f"d{i}",
                            "variant": variant,
                            "firstDownload": "-200d",
                            "generations": [{"since": "-2000d", "generation": card_generation}],
                        }
                        for i in range(2)
                    ],
                }
            ],
        }
    )
    return build_world(spec)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    vehicle_generation=st.sampled_from(GENERATIONS),
    card_generation=st.sampled_from(GENERATIONS),
    plus=st.booleans(),
    offset=st.integers(0, 280),
    length=st.integers(1, 40),
)
def test_files_round_trip_through_the_readers(
    seed: int, vehicle_generation: str, card_generation: str, plus: bool, offset: int, length: int
) -> None:
    world = small_world(seed, vehicle_generation, card_generation, plus)
    sim = Simulator(world, SimClock(world.start, rate=0))
    account, now, archive = world.accounts[0], sim.clock.now(), TachographArchive()
    start = world.start.date() - timedelta(days=300 - offset)
    span = files.DateRange(start, start + timedelta(days=length))
    cards = {d.card_key for d in account.drivers}
    for vehicle in account.vehicles:
        downloads = sim.tachoshare.vehicle_downloads(account, vehicle, now)
        answer = archive.vehicle_file(world, account, vehicle, downloads, span, DDD)
        available = available_days(downloads)
        expected = span.clip(available.start, available.end) if available else None
        if expected is None:
            assert answer is None
            continue
        assert answer is not None
        parsed = read_vu_file(answer.data)
        assert parsed.download.generation.value == vehicle_generation
        assert [d.day for d in parsed.download.days] == [
            expected.start + timedelta(days=i) for i in range(expected.days)
        ]
        assert {i.card.number[:14] for d in parsed.download.days for i in d.card_insertions} <= cards
        assert write_vu_file(parsed.download) == answer.data
    for driver in account.drivers:
        downloads = sim.tachoshare.driver_downloads(account, driver, now)
        answer = archive.driver_files(world, account, driver, downloads, span, CARD_DDD)
        moments = card_downloads_in(downloads, span)
        assert (answer is None) == (not moments)
        if answer is None:
            continue
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive_zip:
            names = archive_zip.namelist()
            assert len(names) == len(moments)
            for name, moment in list(zip(names, moments, strict=True))[:: max(1, len(names) - 1)]:  # first, last
                data = archive_zip.read(name)
                parsed_card = read_card_file(data).download
                assert parsed_card.downloaded_at == moment.at
                assert all(day.day < moment.at.date() + timedelta(days=1) for day in parsed_card.activity_days)
                assert write_card_file(parsed_card) == data


def test_time_travel_does_not_change_past_vehicle_files() -> None:
    world = small_world(7, "gen2v2", "gen2v1", False)
    sim = Simulator(world, SimClock(world.start, rate=0))
    account, vehicle = world.accounts[0], world.accounts[0].vehicles[0]
    span = files.DateRange(date(2025, 12, 1), date(2026, 1, 15))
    before = TachographArchive().vehicle_file(
        world, account, vehicle, sim.tachoshare.vehicle_downloads(account, vehicle, sim.clock.now()), span, DDD
    )
    sim.clock.set(datetime(2026, 6, 1, tzinfo=UTC), None)
    after = TachographArchive().vehicle_file(
        world, account, vehicle, sim.tachoshare.vehicle_downloads(account, vehicle, sim.clock.now()), span, DDD
    )
    assert before is not None and after is not None and before.data == after.data
