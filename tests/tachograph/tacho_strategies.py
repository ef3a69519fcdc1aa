"""Hypothesis strategies for tachograph downloads, canonical per generation (what a file of that generation
can carry), so that write -> read gives back the very same dataclasses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from hypothesis import strategies as st

from mockserver.tachograph.card.ef_codec import GEN1_EVENT_GROUPS, GEN2_EVENT_GROUPS
from mockserver.tachograph.card_model import (
    CardActivityDay,
    CardBorderCrossing,
    CardChip,
    CardControlActivity,
    CardEventOrFault,
    CardGnssAccumulatedDriving,
    CardLoadTypeEntry,
    CardLoadUnload,
    CardVehicleUnitUsed,
    CardVehicleUsed,
    CurrentUsage,
    DriverCardDownload,
    DrivingLicence,
)
from mockserver.tachograph.types import (
    Activity,
    ActivityChange,
    EquipmentType,
    ExtendedSerialNumber,
    FullCardNumber,
    Generation,
    GnssPlace,
    HolderName,
    PlaceRecord,
    Slot,
    SpecificCondition,
    VehicleRegistration,
)
from mockserver.tachograph.vu_model import (
    Calibration,
    CardSlots,
    CompanyLock,
    ControlActivity,
    OverspeedControl,
    OverspeedEvent,
    PreviousDownload,
    SensorPairing,
    SpeedBlock,
    VehicleUnitDownload,
    VuActivityDay,
    VuBorderCrossing,
    VuCardInsertion,
    VuEventOrFault,
    VuEventsAndFaults,
    VuGnssAccumulatedDriving,
    VuIdentification,
    VuLoadUnload,
    VuOverview,
    VuPlace,
    VuTechnicalData,
    VuTimeAdjustment,
)

T = TypeVar("T")

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzäöüßéÉ-"


def text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(LETTERS, min_size=1, max_size=max_size)


def ascii_text(max_size: int, alphabet: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=max_size)


moments = st.integers(946684800, 2_000_000_000).map(lambda s: datetime.fromtimestamp(s, UTC))
days = st.dates(date(2000, 1, 2), date(2033, 1, 1))
nations = st.integers(1, 0x2E)
registrations = st.builds(VehicleRegistration, nations, ascii_text(13))
serials = st.builds(
    ExtendedSerialNumber,
    st.integers(0, 2**32 - 1),
    st.integers(1, 12),
    st.integers(2000, 2099),
    st.integers(0, 255),
    st.integers(0, 255),
)


def cards(gen2: bool, card_type: EquipmentType = EquipmentType.DRIVER_CARD) -> st.SearchStrategy[FullCardNumber]:
    generation = st.sampled_from((1, 2)) if gen2 else st.just(1)
    return st.builds(
        FullCardNumber, st.just(card_type), nations, ascii_text(16).map(lambda s: s.ljust(16, "0")), generation
    )


def gnss(v2: bool) -> st.SearchStrategy[GnssPlace]:
    return st.builds(
        GnssPlace,
        moments,
        st.integers(0, 255),
        st.integers(-90000, 90000),
        st.integers(-180000, 180000),
        st.integers(0, 3) if v2 else st.just(0),
    )


def places(gen2: bool, v2: bool = False) -> st.SearchStrategy[PlaceRecord]:
    return st.builds(
        PlaceRecord,
        moments,
        st.integers(0, 5),
        nations,
        st.integers(0, 255),
        st.integers(0, 2**24 - 1),
        gnss(v2) | st.none() if gen2 else st.none(),
    )


conditions = st.builds(SpecificCondition, moments, st.integers(1, 4))


def activity_changes(slots: tuple[Slot, ...]) -> st.SearchStrategy[tuple[ActivityChange, ...]]:
    change = st.builds(
        ActivityChange,
        st.integers(0, 1439),
        st.sampled_from(list(Activity)),
        st.sampled_from(slots),
        st.booleans(),
        st.booleans(),
    )
    return st.lists(change, max_size=30).map(tuple)


gen2_card = cards(True) | st.none()
odometers = st.integers(0, 2**24 - 1)


def gnss_ad(v2: bool) -> st.SearchStrategy[VuGnssAccumulatedDriving]:
    return st.builds(VuGnssAccumulatedDriving, moments, gen2_card, gen2_card, gnss(v2), odometers)


border_crossings = st.builds(VuBorderCrossing, gen2_card, gen2_card, nations, nations, gnss(True), odometers)
load_operations = st.builds(VuLoadUnload, moments, st.integers(1, 3), gen2_card, gen2_card, gnss(True), odometers)
time_adjustments = st.builds(
    VuTimeAdjustment, moments, moments, text(35), text(35), cards(True, EquipmentType.WORKSHOP_CARD)
)


def _records(strategy: st.SearchStrategy[T], present: bool) -> st.SearchStrategy[tuple[T, ...]]:
    """Up to three records where the generation has the array, none elsewhere."""
    return st.lists(strategy, max_size=3).map(tuple) if present else st.just(())


def vu_downloads(generation: Generation) -> st.SearchStrategy[VehicleUnitDownload]:
    gen2, v2 = generation.is_gen2, generation is Generation.GEN2V2
    card = cards(gen2)
    opt_card = card | st.none()
    insertion = st.builds(
        VuCardInsertion,
        st.builds(HolderName, text(35), text(35)),
        card,
        days,
        moments,
        st.integers(0, 2**24 - 1),
        st.sampled_from(list(Slot)),
        moments | st.none(),
        st.integers(0, 2**24 - 1),
        registrations | st.none(),
        moments | st.none(),
        st.integers(1, 2) if gen2 else st.just(0),
        st.booleans(),
    )
    vu_day = st.builds(
        VuActivityDay,
        days,
        st.integers(0, 2**24 - 1),
        st.lists(insertion, max_size=3).map(tuple),
        activity_changes((Slot.DRIVER, Slot.CO_DRIVER)),
        st.lists(st.builds(VuPlace, card, places(gen2, v2)), max_size=4).map(tuple),
        st.lists(conditions, max_size=3).map(tuple),
        _records(gnss_ad(v2), gen2),
        _records(border_crossings, v2),
        _records(load_operations, v2),
    )
    day_list = st.lists(vu_day, max_size=5, unique_by=lambda d: d.day).map(
        lambda ds: tuple(sorted(ds, key=lambda d: d.day))
    )
    event = st.builds(
        VuEventOrFault,
        st.integers(0, 255),
        st.integers(0, 255),
        moments,
        moments,
        opt_card,
        opt_card,
        opt_card,
        opt_card,
        st.integers(0, 255),
    )
    fault = event.map(
        lambda e: VuEventOrFault(
            e.event_type, e.purpose, e.begin, e.end, e.driver_begin, e.co_driver_begin, e.driver_end, e.co_driver_end, 0
        )
    )
    events = st.builds(
        VuEventsAndFaults,
        st.lists(fault, max_size=3).map(tuple),
        st.lists(event, max_size=3).map(tuple),
        st.builds(OverspeedControl, moments | st.none(), moments | st.none(), st.integers(0, 255)),
        st.lists(
            st.builds(
                OverspeedEvent,
                st.integers(0, 255),
                st.integers(0, 255),
                moments,
                moments,
                st.integers(0, 255),
                st.integers(0, 255),
                opt_card,
                st.integers(0, 255),
            ),
            max_size=2,
        ).map(tuple),
        _records(time_adjustments, gen2),
    )
    speed = st.lists(st.builds(SpeedBlock, moments, st.binary(min_size=60, max_size=60)), max_size=4).map(tuple)
    ident = st.builds(
        VuIdentification,
        text(35),
        text(35),
        ascii_text(16),
        serials,
        ascii_text(4),
        moments,
        moments,
        ascii_text(16 if gen2 else 8),
        ascii_text(12) if v2 else st.just(""),
    )
    calibration = st.builds(
        Calibration,
        st.integers(0, 255),
        text(35),
        text(35),
        cards(False, EquipmentType.WORKSHOP_CARD),
        days,
        ascii_text(17),
        registrations,
        st.integers(0, 65535),
        st.integers(0, 65535),
        st.integers(0, 65535),
        ascii_text(15),
        st.integers(0, 255),
        st.integers(0, 2**24 - 1),
        st.integers(0, 2**24 - 1),
        moments,
        moments,
        days,
        nations if v2 else st.just(0),
    )
    technical = st.builds(
        VuTechnicalData,
        ident,
        st.builds(SensorPairing, serials, ascii_text(16 if gen2 else 8), moments),
        st.lists(calibration, max_size=3).map(tuple),
    )
    overview = st.builds(
        VuOverview,
        ascii_text(17),
        registrations,
        moments,
        moments,
        moments,
        st.builds(CardSlots, st.integers(0, 4), st.integers(0, 4)),
        st.builds(PreviousDownload, moments, cards(gen2, EquipmentType.COMPANY_CARD), text(35)) | st.none(),
        st.lists(
            st.builds(
                CompanyLock, moments, moments | st.none(), text(35), text(35), cards(gen2, EquipmentType.COMPANY_CARD)
            ),
            max_size=3,
        ).map(tuple),
        st.lists(
            st.builds(
                ControlActivity,
                st.integers(0, 255),
                moments,
                cards(gen2, EquipmentType.CONTROL_CARD),
                moments | st.none(),
                moments | st.none(),
            ),
            max_size=2,
        ).map(tuple),
    )
    download = st.builds(VehicleUnitDownload, st.just(generation), overview, day_list, events, speed, technical)
    if generation is Generation.GEN2V1:
        # A v1 overview stores the plate without its nation; the reader takes the nation from a calibration.
        return download.map(_with_matching_calibration)
    return download


def _with_matching_calibration(download: VehicleUnitDownload) -> VehicleUnitDownload:
    registration = download.overview.registration
    base = Calibration(
        1,
        "W",
        "A",
        FullCardNumber(EquipmentType.WORKSHOP_CARD, 1, "W" * 16),
        date(2030, 1, 1),
        download.overview.vin,
        registration,
        1,
        1,
        1,
        "T",
        90,
        0,
        0,
        datetime(2020, 1, 1, tzinfo=UTC),
        datetime(2020, 1, 1, tzinfo=UTC),
        date(2022, 1, 1),
    )
    technical = replace(download.technical, calibrations=(*download.technical.calibrations, base))
    return replace(download, technical=technical)


def card_days(max_days: int = 40) -> st.SearchStrategy[tuple[CardActivityDay, ...]]:
    @st.composite
    def build(draw: st.DrawFn) -> tuple[CardActivityDay, ...]:
        count = draw(st.integers(0, max_days))
        first = draw(st.dates(date(2001, 1, 1), date(2030, 1, 1)))
        counter = draw(st.integers(0, 9999))
        result = []
        day = first
        for index in range(count):
            day = day + timedelta(days=draw(st.integers(1, 3)))
            changes = draw(activity_changes((Slot.DRIVER,)))
            result.append(CardActivityDay(day, (counter + index) % 10000, draw(st.integers(0, 65535)), changes))
        return tuple(result)

    return build()


def card_downloads(generation: Generation) -> st.SearchStrategy[DriverCardDownload]:
    gen2, v2 = generation.is_gen2, generation is Generation.GEN2V2
    vehicle = st.builds(
        CardVehicleUsed,
        st.integers(0, 2**24 - 1),
        st.integers(0, 2**24 - 1),
        moments,
        moments | st.none(),
        registrations,
        st.integers(0, 9999),
        ascii_text(17) if gen2 else st.just(""),
    )
    event_types = st.sampled_from(
        (0x03, 0x05, 0x06, 0x08, 0x09, 0x11, 0x0A, 0x0D) if gen2 else (0x03, 0x05, 0x06, 0x08, 0x09, 0x11)
    )
    event = st.builds(CardEventOrFault, event_types, moments, moments, registrations)
    fault = st.builds(CardEventOrFault, st.sampled_from((0x30, 0x35, 0x40, 0x41)), moments, moments, registrations)
    return st.builds(
        DriverCardDownload,
        generation=st.just(generation),
        card_number=ascii_text(16).map(lambda s: s.ljust(16, "0")),
        issuing_nation=nations,
        holder=st.builds(HolderName, text(35), text(35)),
        birth_date=days,
        preferred_language=ascii_text(2, "abcdefghijklmnopqrstuvwxyz").map(lambda s: s.ljust(2, "x")),
        issuing_authority=text(35),
        issue_date=moments,
        validity_begin=moments,
        expiry=moments,
        licence=st.builds(DrivingLicence, text(35), nations, ascii_text(16)),
        chip=st.builds(
            CardChip,
            serials,
            ascii_text(8),
            st.integers(0, 255),
            ascii_text(2),
            st.integers(0, 9999),
            st.integers(0, 255),
            st.integers(0, 65535),
            st.integers(0, 2**32 - 1),
            st.integers(0, 2**32 - 1),
        ),
        downloaded_at=moments,
        activity_days=card_days(),
        activity_ring_offset=st.integers(0, 13775),
        vehicles_used=st.lists(vehicle, max_size=5).map(tuple),
        places=st.lists(places(gen2, v2), max_size=5).map(tuple),
        events=st.lists(event, max_size=4).map(lambda es: tuple(sorted(es, key=_event_group(gen2)))),
        faults=st.lists(fault, max_size=3).map(lambda fs: tuple(sorted(fs, key=lambda f: f.event_type >= 0x40))),
        current_usage=st.builds(CurrentUsage, moments, registrations) | st.none(),
        specific_conditions=st.lists(conditions, max_size=4).map(tuple),
        vehicle_units_used=st.lists(
            st.builds(CardVehicleUnitUsed, moments, st.integers(0, 255), st.integers(0, 255), ascii_text(4)), max_size=3
        ).map(tuple)
        if gen2
        else st.just(()),
        gnss_accumulated_driving=st.lists(gnss_driving(v2), max_size=4).map(tuple) if gen2 else st.just(()),
        control_activity=controls | st.none(),
        **(v2_sequences() if v2 else {}),
    )


def gnss_driving(v2: bool) -> st.SearchStrategy[CardGnssAccumulatedDriving]:
    return st.builds(CardGnssAccumulatedDriving, moments, gnss(v2), st.integers(0, 2**24 - 1))


controls = st.builds(
    CardControlActivity,
    st.sampled_from((0x80, 0x40, 0x20, 0x10, 0x08, 0xC0, 0xF8)),
    moments,
    cards(False, EquipmentType.CONTROL_CARD),
    registrations,
    moments | st.none(),
    moments | st.none(),
)


def v2_sequences(max_size: int = 5) -> dict[str, st.SearchStrategy[Any]]:
    """The Gen2v2-only sequences of a card download (border crossings, load/unload operations, load types)."""
    crossing = st.builds(CardBorderCrossing, nations, nations, gnss(True), st.integers(0, 2**24 - 1))
    operation = st.builds(
        CardLoadUnload, moments, st.integers(1, 3), gnss(True) | st.none(), st.integers(0, 2**24 - 1)
    )
    load_type = st.builds(CardLoadTypeEntry, moments, st.integers(0, 2))
    return {
        "border_crossings": st.lists(crossing, max_size=max_size).map(tuple),
        "load_unload_operations": st.lists(operation, max_size=max_size).map(tuple),
        "load_type_entries": st.lists(load_type, max_size=max_size).map(tuple),
    }


def _event_group(gen2: bool) -> Callable[[CardEventOrFault], int]:
    groups = GEN2_EVENT_GROUPS if gen2 else GEN1_EVENT_GROUPS
    return lambda event: next(i for i, codes in enumerate(groups) if event.event_type in codes)


def simple_days(count: int, first: date = date(2024, 1, 1)) -> tuple[CardActivityDay, ...]:
    """Deterministic card days with a few changes each (for example-based tests)."""
    result = []
    for index in range(count):
        changes = tuple(
            ActivityChange(minute, activity)
            for minute, activity in ((0, Activity.BREAK_REST), (360 + index, Activity.WORK), (400, Activity.DRIVING))
        )
        result.append(CardActivityDay(first + timedelta(days=index), 100 + index, 300 + index, changes))
    return tuple(result)
