"""Driver-card files: round trips, EF framing, the cyclic activity buffer and its wrap-around."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tacho_strategies import card_days, card_downloads, simple_days

from mockserver.tachograph.card.file import read_card_file, write_card_file
from mockserver.tachograph.card.ring import decode_activity_buffer, encode_activity_buffer, record_length
from mockserver.tachograph.card_model import CardActivityDay
from mockserver.tachograph.codec.primitives import ByteReader, TachoFormatError
from mockserver.tachograph.types import Generation

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CARD_GENERATIONS = [Generation.GEN1, Generation.GEN2V1, Generation.GEN2V2]


@pytest.mark.parametrize("generation", CARD_GENERATIONS)
@SETTINGS
@given(data=st.data())
def test_round_trip_gives_back_the_card(generation: Generation, data: st.DataObject) -> None:
    card = data.draw(card_downloads(generation))
    if not card.activity_days:
        card = replace(card, activity_ring_offset=0)
    encoded = write_card_file(card)
    parsed = read_card_file(encoded)
    assert parsed.download == card
    assert write_card_file(parsed.download) == encoded
    assert sum(5 + length for _, _, length in parsed.elements) == len(encoded)


@pytest.mark.parametrize("generation", CARD_GENERATIONS)
@SETTINGS
@given(data=st.data())
def test_every_signed_ef_is_followed_by_its_signature(generation: Generation, data: st.DataObject) -> None:
    card = replace(data.draw(card_downloads(generation)), activity_ring_offset=0)
    parsed = read_card_file(write_card_file(card))
    appendices = {appendix for _, appendix, _ in parsed.elements}
    assert appendices == ({0, 1, 2, 3} if generation.is_gen2 else {0, 1})
    for (fid, appendix, _), following in zip(parsed.elements, parsed.elements[1:], strict=False):
        if appendix in (1, 3):
            continue
        if fid not in (0x0002, 0x0005, 0xC100, 0xC101, 0xC108, 0xC109):
            assert following[:2] == (fid, appendix + 1)
            assert following[2] == (64 if appendix == 2 else 128)
    structure = parsed.elements[2]
    assert structure[:2] == (0x0501, 0)


@SETTINGS
@given(days=card_days(30), data=st.data())
def test_ring_pointers_and_wrap_around(days: tuple[CardActivityDay, ...], data: st.DataObject) -> None:
    capacity = data.draw(st.integers(max(sum(map(record_length, days)), 16), 4000))
    offset = data.draw(st.integers(0, capacity - 1))
    encoded = encode_activity_buffer(days, offset, capacity)
    assert len(encoded) == 4 + capacity
    oldest = int.from_bytes(encoded[0:2], "big")
    newest = int.from_bytes(encoded[2:4], "big")
    ring = encoded[4:]
    decoded, found_offset = decode_activity_buffer(ByteReader(encoded), capacity)
    assert decoded == days
    if not days:
        assert (oldest, newest) == (0, 0) and not any(ring)
        return
    assert found_offset == oldest == offset
    total = sum(map(record_length, days))
    assert newest == (offset + total - record_length(days[-1])) % capacity
    doubled = ring + ring
    assert doubled[oldest : oldest + 2] == b"\x00\x00"  # the oldest record's previous length is 0
    newest_wrapped = offset + total - record_length(days[-1]) >= capacity
    assert (newest < oldest) == newest_wrapped


def test_a_record_split_across_the_end_continues_at_offset_zero() -> None:
    days = simple_days(4)
    total = sum(map(record_length, days))
    capacity = total + 10
    offset = capacity - record_length(days[0]) - 3  # the second record starts 3 bytes before the end
    encoded = encode_activity_buffer(days, offset, capacity)
    ring = encoded[4:]
    second_length = record_length(days[1])
    header = ring[capacity - 3 :] + ring[:1]
    assert int.from_bytes(header[0:2], "big") == record_length(days[0])
    assert int.from_bytes(header[2:4], "big") == second_length
    assert decode_activity_buffer(ByteReader(encoded), capacity)[0] == days


def test_corrupted_previous_length_names_its_offset() -> None:
    days = simple_days(3)
    encoded = bytearray(encode_activity_buffer(days, 0, 2000))
    second = 4 + record_length(days[0])
    encoded[second] ^= 0x01
    with pytest.raises(TachoFormatError) as error:
        decode_activity_buffer(ByteReader(bytes(encoded)), 2000)
    assert error.value.offset == second


def test_left_over_bytes_in_free_space_are_rejected() -> None:
    days = simple_days(2)
    encoded = bytearray(encode_activity_buffer(days, 0, 2000))
    encoded[-1] = 0x42
    with pytest.raises(TachoFormatError, match="free activity space") as error:
        decode_activity_buffer(ByteReader(bytes(encoded)), 2000)
    assert error.value.offset == len(encoded) - 1


def test_days_that_do_not_fit_are_refused() -> None:
    days = simple_days(6)
    with pytest.raises(ValueError, match="buffer holds"):
        encode_activity_buffer(days, 0, sum(map(record_length, days)) - 1)


@pytest.mark.parametrize("generation", CARD_GENERATIONS)
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_unknown_ef_and_missing_signature_fail_with_offsets(generation: Generation, data: st.DataObject) -> None:
    card = replace(data.draw(card_downloads(generation)), activity_ring_offset=0)
    encoded = write_card_file(card)
    with pytest.raises(TachoFormatError, match="unknown EF") as unknown:
        read_card_file(encoded + b"\x0a\x0b\x00\x00\x01\x00")
    assert unknown.value.offset == len(encoded)
    # drop the signature of EF Identification (the element after 0520/00)
    parsed = read_card_file(encoded)
    position = 0
    for fid, appendix, length in parsed.elements:
        if (fid, appendix) == (0x0520, 1):
            broken = encoded[:position] + encoded[position + 5 + length :]
            with pytest.raises(TachoFormatError, match="not followed by its signature") as missing:
                read_card_file(broken)
            assert missing.value.offset == position
            break
        position += 5 + length
    else:
        pytest.fail("no signature of EF Identification")
