"""Gen2v2 driver cards in their own layout (Appendix 2 TCS_152/154/155): the EFs of version 2 after the Gen2v1
ones, sizes as Application_Identification and Application_Identification_V2 declare them, cyclic buffers whose
pointer and records agree, and a reader that refuses an EF of the wrong layout or authentication records that
do not match their places.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tacho_strategies import card_downloads, gnss_driving, places, v2_sequences

from mockserver.tachograph.card.ef_codec import EF_CODECS, GEN2V2_CAPACITY, CardFacts, EfContext
from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.card.v2_efs import (
    BorderCrossingsEf,
    GnssPlacesAuthenticationEf,
    LoadTypeEntriesEf,
    LoadUnloadOperationsEf,
    PlacesAuthenticationEf,
)
from mockserver.tachograph.card_model import (
    CardActivityDay,
    CardChip,
    CardGnssAccumulatedDriving,
    DriverCardDownload,
    DrivingLicence,
)
from mockserver.tachograph.codec.primitives import ByteReader, TachoFormatError
from mockserver.tachograph.inspect import minutes_per_activity, summarize
from mockserver.tachograph.security.signer import ZeroSigner
from mockserver.tachograph.types import (
    Activity,
    ActivityChange,
    ExtendedSerialNumber,
    Generation,
    GnssPlace,
    HolderName,
    PlaceRecord,
    Slot,
)

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# TCS_152: the Gen2 application of a version 2 card, in order (then each signed EF's signature)
V2_FIDS = [0x0501, 0xC100, 0xC101, 0xC108, 0xC109, 0x0520, 0x050E, 0x0521, 0x0502, 0x0503, 0x0504,
           0x0505, 0x0506, 0x0507, 0x0508, 0x0522, 0x0523, 0x0524, 0x0525, 0x0526, 0x0527, 0x0528, 0x0529,
           0x0530, 0x0540]  # fmt: skip
UNSIGNED = {0xC100, 0xC101, 0xC108, 0xC109}


def elements(data: bytes) -> list[tuple[int, int, bytes]]:
    """(FID, appendix, value) of every TLV of a card file, read with nothing but the framing."""
    found, at = [], 0
    while at < len(data):
        fid, appendix, length = struct.unpack_from(">HBH", data, at)
        found.append((fid, appendix, data[at + 5 : at + 5 + length]))
        at += 5 + length
    assert at == len(data)
    return found


def declared_sizes(gen2: dict[int, bytes]) -> dict[int, int]:
    """Each Gen2 EF's size from the counts the card declares in EFs 0501 and 0525 (TCS_154 record sizes)."""
    events, faults, activity, vehicles, places_, gnss, conditions, units = struct.unpack(">BBHHHHHH", gen2[0x0501][3:])
    following, crossings, operations, load_types, vu_configuration = struct.unpack(">HHHHH", gen2[0x0525])
    assert following == 8
    return {
        0x0502: 11 * events * 24, 0x0503: 2 * faults * 24, 0x0504: 4 + activity, 0x0505: 2 + vehicles * 48,
        0x0506: 2 + places_ * 21, 0x0507: 19, 0x0508: 46, 0x0522: 2 + conditions * 5, 0x0523: 2 + units * 10,
        0x0524: 2 + gnss * 18, 0x0526: 2 + places_ * 5, 0x0527: 2 + gnss * 5, 0x0528: 2 + crossings * 17,
        0x0529: 2 + operations * 20, 0x0530: 2 + load_types * 5, 0x0540: vu_configuration,
    }  # fmt: skip


@SETTINGS
@given(card=card_downloads(Generation.GEN2V2))
def test_gen2v2_layout_sizes_and_round_trip(card: DriverCardDownload) -> None:
    card = replace(card, activity_ring_offset=0 if not card.activity_days else card.activity_ring_offset)
    data = write_card_file(card)
    found = elements(data)
    gen2 = {fid: value for fid, appendix, value in found if appendix == 2}
    assert [fid for fid, appendix, _ in found if appendix == 2] == V2_FIDS
    assert gen2[0x0501][:3] == b"\x01\x01\x01"  # a driver card, cardStructureVersion 01 01
    assert struct.unpack(">HHHHH", gen2[0x0525]) == (8, 1120, 1624, 336, 3072)  # TCS_155 n10..n13
    for fid, size in declared_sizes(gen2).items():
        assert len(gen2[fid]) == size, f"{fid:04X}"
    signatures = [(fid, value) for fid, appendix, value in found if appendix == 3]
    assert [fid for fid, _ in signatures] == [fid for fid in V2_FIDS if fid not in UNSIGNED]
    assert all(len(value) == 64 for _, value in signatures)
    assert read_card_file(data).download == card
    [summary] = summarize(data, "card.ddd")
    assert summary.generation == "gen2v2"
    assert summary.extra["borderCrossings"] == len(card.border_crossings)
    assert summary.extra["loadUnloadOperations"] == len(card.load_unload_operations)


# Each v2 record EF with the download field it holds and the strategy of its records.
CYCLIC = [
    (BorderCrossingsEf(), "border_crossings", "border_crossing_records", 17),
    (LoadUnloadOperationsEf(), "load_unload_operations", "load_unload_records", 20),
    (LoadTypeEntriesEf(), "load_type_entries", "load_type_records", 5),
    (PlacesAuthenticationEf(), "places", "place_records", 5),
    (GnssPlacesAuthenticationEf(), "gnss_accumulated_driving", "gnss_records", 5),
]


@pytest.mark.parametrize(("codec", "field", "count_field", "size"), CYCLIC, ids=lambda c: getattr(c, "name", None))
@SETTINGS
@given(data=st.data(), capacity=st.integers(1, 6))
def test_cyclic_pointer_count_and_newest_last(
    codec: BorderCrossingsEf, field: str, count_field: str, size: int, data: st.DataObject, capacity: int
) -> None:
    """However many records the domain has, the EF keeps the newest `capacity`: slots 0..k-1 filled, the rest
    zero, the pointer on slot k-1 (0 when empty), and reading gives them back oldest first, newest last."""
    records = {
        **v2_sequences(12),
        "places": st.lists(places(True, True).filter(lambda p: p.gnss is not None), max_size=12).map(tuple),
        "gnss_accumulated_driving": st.lists(gnss_driving(True), max_size=12).map(tuple),
    }
    items = data.draw(records[field])
    card = replace(_card(), **{field: items})
    cap = replace(GEN2V2_CAPACITY, **{count_field: capacity})
    value = codec.value(EfContext(card, cap, True, ZeroSigner()))
    assert len(value) == codec.size(cap, True) == 2 + capacity * size
    kept = min(len(items), capacity)
    pointer = struct.unpack(">H", value[:2])[0]
    slots = [value[2 + i * size : 2 + (i + 1) * size] for i in range(capacity)]
    assert [any(slot) for slot in slots] == [True] * kept + [False] * (capacity - kept)
    assert pointer == max(kept - 1, 0)
    facts = CardFacts()
    reader = ByteReader(value)
    codec.decode(reader, cap, True, facts)
    reader.expect_end(codec.name)
    decoded = {"places": facts.place_auth, "gnss_accumulated_driving": facts.gnss_auth}.get(field)
    if decoded is None:
        decoded = getattr(facts, field)
        assert decoded == tuple(items[len(items) - kept :])
    else:
        newest = items[len(items) - kept :]
        times = [getattr(item, "entry_time", None) or getattr(item, "timestamp", None) for item in newest]
        assert [time for time, _ in decoded] == times


@functools.cache
def _card() -> DriverCardDownload:
    """A Gen2v2 card with no days, places or GNSS places (the tests give it what they need)."""
    moment = datetime(2025, 1, 6, tzinfo=UTC)
    return DriverCardDownload(
        generation=Generation.GEN2V2,
        card_number="DE00000012345600",
        issuing_nation=0x0D,
        holder=HolderName("Muster", "Erika"),
        birth_date=date(1980, 2, 3),
        preferred_language="de",
        issuing_authority="KBA",
        issue_date=moment,
        validity_begin=moment,
        expiry=moment + timedelta(days=5 * 365),
        licence=DrivingLicence("KBA", 0x0D, "L123"),
        chip=CardChip(ExtendedSerialNumber(7, 1, 2025, 1, 0xA1)),
        downloaded_at=moment + timedelta(days=30),
    )


def _without(data: bytes, fid: int) -> bytes:
    return b"".join(
        struct.pack(">HBH", f, a, len(v)) + v for f, a, v in elements(data) if not (f == fid and a in (2, 3))
    )


def test_reader_refuses_a_missing_v2_ef_and_a_v2_ef_on_a_v1_card() -> None:
    card = _card()
    with pytest.raises(TachoFormatError, match="missing: 0528/02, 0528/03"):
        read_card_file(_without(write_card_file(card), 0x0528))
    v1 = write_card_file(replace(card, generation=Generation.GEN2V1, border_crossings=(), load_unload_operations=(),
                                 load_type_entries=()))  # fmt: skip
    v2 = elements(write_card_file(card))
    extra = b"".join(struct.pack(">HBH", f, a, len(v)) + v for f, a, v in v2 if f == 0x0540)
    with pytest.raises(TachoFormatError, match="unknown EF 0540/02"):
        read_card_file(v1 + extra)


def test_reader_refuses_authentication_that_does_not_match_its_place() -> None:
    moment = datetime(2026, 5, 4, 7, 30, tzinfo=UTC)
    place = PlaceRecord(moment, 0, 0x0D, 0, 1234, GnssPlace(moment, 3, 52312, 4512, 1))
    card = replace(_card(), places=(place,))
    data = write_card_file(card)
    assert read_card_file(data).download.places[0].gnss == place.gnss  # the status comes back from EF 0526
    value = bytearray(EF_CODECS[0x0526].value(EfContext(card, GEN2V2_CAPACITY, True, ZeroSigner())))
    value[2:6] = struct.pack(">I", int(moment.timestamp()) + 60)  # an entry time that is not the place's
    tampered = b"".join(
        struct.pack(">HBH", f, a, len(v)) + (bytes(value) if (f, a) == (0x0526, 2) else v) for f, a, v in elements(data)
    )
    with pytest.raises(TachoFormatError, match="Places_Authentication does not match Places"):
        read_card_file(tampered)


def test_a_gnss_place_authentication_status_needs_a_gen2v2_card() -> None:
    """Gen2v1 cards have nowhere to keep a status: written as 0, read back as 0."""
    moment = datetime(2026, 5, 4, 7, 30, tzinfo=UTC)
    record = CardGnssAccumulatedDriving(moment, GnssPlace(moment, 5, 52312, 4512, 2), 5678)
    v2 = replace(_card(), gnss_accumulated_driving=(record,))
    assert read_card_file(write_card_file(v2)).download.gnss_accumulated_driving == (record,)
    v1 = replace(v2, generation=Generation.GEN2V1, border_crossings=(), load_unload_operations=(),
                 load_type_entries=())  # fmt: skip
    back = read_card_file(write_card_file(v1)).download.gnss_accumulated_driving
    assert back[0].place.auth_status == 0


def test_inspect_counts_a_day_spent_only_in_the_co_driver_slot() -> None:
    """A co-driver's day has no change in slot 1: a VU slot's minutes are that slot's (was a ValueError), a card's
    its own in whichever slot (inspect showed 0 minutes for a co-driver's card day before crews took turns)."""
    changes = (
        ActivityChange(0, Activity.BREAK_REST, Slot.CO_DRIVER, True, False),
        ActivityChange(360, Activity.AVAILABILITY, Slot.CO_DRIVER, True),
        ActivityChange(900, Activity.BREAK_REST, Slot.CO_DRIVER, True, False),
    )
    assert minutes_per_activity(changes)["availability"] == 0
    assert minutes_per_activity(changes, Slot.CO_DRIVER)["availability"] == 540
    card = replace(_card(), activity_days=(CardActivityDay(date(2026, 5, 4), 1, 0, changes),))
    [summary] = summarize(write_card_file(card), "co-driver.ddd")
    assert summary.days[0].minutes["availability"] == 540
