"""Runs of a card's record logs write exactly what plain tuples of the same records write, in any order of
downloads, from eager and lazy logs; the static-element cache of the card writer never leaks between cards."""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields, replace

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tacho_strategies import card_days, card_downloads

from mockserver.tachograph.card.ef_codec import EF_CODECS, GEN1_CAPACITY, GEN2_CAPACITY, EfContext
from mockserver.tachograph.card.file import ZERO_SIGNER, clear_static_elements, write_card_file
from mockserver.tachograph.card.ring import ActivityLog, encode_activity_buffer, record_length
from mockserver.tachograph.card.runs import RecordLog, RecordRun
from mockserver.tachograph.card.template import DYNAMIC_FIELDS
from mockserver.tachograph.card_model import CardActivityDay, DriverCardDownload
from mockserver.tachograph.codec.primitives import ByteWriter
from mockserver.tachograph.types import Generation

SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CARD_GENERATIONS = [Generation.GEN1, Generation.GEN2V1]


def _log(items: tuple[object, ...], lazy: bool) -> RecordLog[object]:
    if lazy:
        log: RecordLog[object] = RecordLog(lambda index: items[index])
        log.grow(len(items))
        return log
    log = RecordLog()
    for item in items:
        log.append(item)
    return log


def _as_run(log: RecordLog[object], older: int, count: int) -> RecordRun[object]:
    return log.run(older, older + count)


@pytest.mark.parametrize("generation", CARD_GENERATIONS)
@SETTINGS
@given(data=st.data())
def test_a_download_of_runs_writes_the_bytes_of_plain_tuples(generation: Generation, data: st.DataObject) -> None:
    """Each sequence of a download becomes a run in the middle of a longer log (older records before it)."""
    cards = data.draw(st.lists(card_downloads(generation), min_size=1, max_size=3))
    lazy = data.draw(st.booleans())
    for card in cards:
        older_days = data.draw(card_days(10))
        activity = ActivityLog()
        for day in (*older_days, *card.activity_days):
            activity.append(day)
        days = activity.run(len(older_days), len(older_days) + len(card.activity_days))
        runs: dict[str, RecordRun[object]] = {}
        for name in ("vehicles_used", "places", "vehicle_units_used"):
            plain: tuple[object, ...] = getattr(card, name)
            older = data.draw(st.integers(0, 3))
            padding = plain[:1] * older  # any records do: they are never shown
            runs[name] = _as_run(_log((*padding, *plain), lazy), older, len(plain))
            assert runs[name] == plain
        assert days == card.activity_days
        ran = replace(card, activity_days=days, **runs)
        assert write_card_file(ran) == write_card_file(card)


@SETTINGS
@given(data=st.data())
def test_long_runs_keep_the_newest_records_of_each_cyclic_ef(data: st.DataObject) -> None:
    card = data.draw(card_downloads(Generation.GEN2V1))
    vehicles = (card.vehicles_used or data.draw(card_downloads(Generation.GEN2V1)).vehicles_used)[:1]
    if not vehicles:
        return
    count = data.draw(st.integers(195, 260))
    log = _log(vehicles * count, data.draw(st.booleans()))
    start = data.draw(st.integers(0, 5))
    run = log.run(start, count)
    assert write_card_file(replace(card, vehicles_used=run)) == write_card_file(replace(card, vehicles_used=tuple(run)))


@SETTINGS
@given(days=card_days(60), data=st.data())
def test_ring_of_a_run_is_the_ring_of_its_days(days: tuple[CardActivityDay, ...], data: st.DataObject) -> None:
    log = ActivityLog()
    for day in days:
        log.append(day)
    start = data.draw(st.integers(0, len(days)))
    stop = data.draw(st.integers(start, len(days)))
    capacity = data.draw(st.integers(16, 3000))
    run = log.run(start, stop)
    kept = log.newest_fitting(stop, capacity, start)  # what a card keeps of days [start, stop)
    assert kept == _newest_fitting(days[start:stop], capacity)
    assert isinstance(kept, RecordRun) and kept.stop == stop
    offset = data.draw(st.integers(0, capacity - 1))
    assert encode_activity_buffer(kept, offset, capacity) == encode_activity_buffer(tuple(kept), offset, capacity)
    if sum(map(record_length, run)) > capacity:
        with pytest.raises(ValueError, match="buffer holds"):
            encode_activity_buffer(run, offset, capacity)


@SETTINGS
@given(size=st.integers(0, 80), windows=st.lists(st.tuples(st.integers(-5, 90), st.integers(0, 90)), max_size=8))
def test_a_lazy_log_makes_each_record_once_whatever_the_order_of_runs(
    size: int, windows: list[tuple[int, int]]
) -> None:
    made: list[int] = []

    def source(index: int) -> str:
        made.append(index)
        return f"record {index}"

    log: RecordLog[str] = RecordLog(source)
    log.grow(size)
    for start, stop in windows:
        run = log.run(start, stop)
        expected = tuple(f"record {i}" for i in range(max(start, 0), min(stop, size)))
        assert run == expected
        assert run.start == min(max(start, 0), size) and run.stop == run.start + len(expected)
        encoded = log.fixed_size("text", 12, lambda item: item.ljust(12).encode(), run.start, run.stop)
        assert encoded == b"".join(item.ljust(12).encode() for item in expected)
    assert len(made) == len(set(made))


def test_a_run_copies_and_pickles_as_a_plain_tuple() -> None:
    log: RecordLog[int] = RecordLog()
    for value in range(10):
        log.append(value)
    run = log.run(3, 7)
    assert run == (3, 4, 5, 6) and hash(run) == hash((3, 4, 5, 6))
    for copied in (copy.copy(run), copy.deepcopy(run), pickle.loads(pickle.dumps(run))):
        assert copied == run and type(copied) is tuple


def test_logs_refuse_the_other_way_of_filling() -> None:
    with pytest.raises(TypeError):
        RecordLog[int]().grow(3)
    with pytest.raises(TypeError):
        RecordLog[int](lambda index: index).append(1)


# -- the static-element cache --------------------------------------------------------------------------------


@pytest.mark.parametrize("generation", CARD_GENERATIONS)
@SETTINGS
@given(data=st.data())
def test_every_ef_reads_only_the_fields_it_declares(generation: Generation, data: st.DataObject) -> None:
    """Two downloads that agree on an EF's declared fields encode it alike (else the cache would go stale)."""
    first = data.draw(card_downloads(generation))
    other = data.draw(card_downloads(data.draw(st.sampled_from(CARD_GENERATIONS))))
    applications = ((False, GEN1_CAPACITY), (True, GEN2_CAPACITY)) if generation.is_gen2 else ((False, GEN1_CAPACITY),)
    for gen2, capacity in applications:
        for codec in EF_CODECS.values():
            if codec.gen2_only and not gen2:
                continue
            mixed = replace(
                other,
                **{f.name: getattr(first, f.name) for f in fields(DriverCardDownload) if f.name in codec.fields},
            )
            encoded = []
            for card in (first, mixed):
                w = ByteWriter()
                codec.encode(EfContext(card, capacity, gen2, ZERO_SIGNER), w)
                encoded.append(bytes(w.buf))
            assert encoded[0] == encoded[1], codec.name


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=card_downloads(Generation.GEN2V1))
def test_unhashable_static_fields_are_written_without_the_cache(card: DriverCardDownload) -> None:
    listed = replace(card, events=list(card.events))  # type: ignore[arg-type]
    assert write_card_file(listed) == write_card_file(card)


def test_dynamic_fields_are_fields_of_a_download() -> None:
    assert {f.name for f in fields(DriverCardDownload)} >= DYNAMIC_FIELDS
    assert all(codec.fields <= {f.name for f in fields(DriverCardDownload)} for codec in EF_CODECS.values())


@pytest.mark.parametrize("generation", CARD_GENERATIONS)
@SETTINGS
@given(data=st.data())
def test_cached_static_elements_never_cross_cards(generation: Generation, data: st.DataObject) -> None:
    """Files written one after another (static elements cached) equal files written alone, also when only one
    field differs between two downloads."""
    cards = data.draw(st.lists(card_downloads(generation), min_size=2, max_size=4))
    first = cards[0]
    for name in ("holder", "chip", "licence", "expiry", "events"):
        cards.append(replace(first, **{name: getattr(cards[1], name)}))
    alone = []
    for card in cards:
        clear_static_elements()
        alone.append(write_card_file(card))
    for card, expected in zip(reversed(cards), reversed(alone), strict=True):
        assert write_card_file(card) == expected


@pytest.mark.parametrize("generation", CARD_GENERATIONS)
@settings(SETTINGS, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking whole downloads takes minutes
@given(data=st.data())
def test_a_dynamic_element_is_reused_only_for_equal_inputs(generation: Generation, data: st.DataObject) -> None:
    """Downloads of one card that differ in a single dynamic field, written one after another (each dynamic EF
    remembers its last element), equal the same downloads written alone."""
    card, other = data.draw(st.lists(card_downloads(generation), min_size=2, max_size=2))
    variants = [card]
    for name in sorted(DYNAMIC_FIELDS):
        variants += [replace(card, **{name: getattr(other, name)}), card]
    alone = []
    for variant in variants:
        clear_static_elements()
        alone.append(write_card_file(variant))
    clear_static_elements()
    assert [write_card_file(variant) for variant in variants] == alone


def _newest_fitting(days: tuple[CardActivityDay, ...], capacity: int) -> tuple[CardActivityDay, ...]:
    """The reference: walk back from the newest day while the records still fit."""
    total = kept = 0
    for day in reversed(days):
        total += record_length(day)
        if total > capacity:
            break
        kept += 1
    return days[len(days) - kept :]
