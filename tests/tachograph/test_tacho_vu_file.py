"""VU files: write -> read gives back the same download, every byte is accounted for."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tacho_strategies import vu_downloads

from mockserver.tachograph.codec.primitives import TachoFormatError
from mockserver.tachograph.types import Generation
from mockserver.tachograph.vu.family import BlockKind
from mockserver.tachograph.vu.file import read_vu_file, write_vu_file
from mockserver.tachograph.vu_model import VehicleUnitDownload, VuOverview

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIRST_TREP = {Generation.GEN1: 0x01, Generation.GEN2V1: 0x21, Generation.GEN2V2: 0x31}
FAMILY_TREPS = {
    Generation.GEN1: {0x01, 0x02, 0x03, 0x04, 0x05},
    Generation.GEN2V1: {0x21, 0x22, 0x23, 0x24, 0x25},
    Generation.GEN2V2: {0x31, 0x32, 0x33, 0x24, 0x35},
}


@pytest.mark.parametrize("generation", list(Generation))
@SETTINGS
@given(data=st.data())
def test_round_trip_gives_back_the_download(generation: Generation, data: st.DataObject) -> None:
    download = data.draw(vu_downloads(generation))
    encoded = write_vu_file(download)
    parsed = read_vu_file(encoded)
    assert parsed.download == download
    assert parsed.size == len(encoded)
    assert write_vu_file(parsed.download) == encoded
    assert encoded[:2] == bytes([0x76, FIRST_TREP[generation]])


@pytest.mark.parametrize("generation", list(Generation))
@SETTINGS
@given(data=st.data())
def test_one_family_per_file_and_one_signature_per_block(generation: Generation, data: st.DataObject) -> None:
    download = data.draw(vu_downloads(generation))
    parsed = read_vu_file(write_vu_file(download))
    kinds = [region.kind for region in parsed.security.signed]
    assert kinds == [
        BlockKind.OVERVIEW,
        *[BlockKind.ACTIVITIES] * len(download.days),
        BlockKind.EVENTS_FAULTS,
        BlockKind.DETAILED_SPEED,
        BlockKind.TECHNICAL,
    ]
    encoded = write_vu_file(download)
    treps = {
        encoded[region.block_offset - 1] for region in parsed.security.signed if region.kind is not BlockKind.OVERVIEW
    }
    assert treps <= FAMILY_TREPS[generation]
    assert all(not any(region.signature) for region in parsed.security.signed)


@pytest.mark.parametrize("generation", list(Generation))
@SETTINGS
@given(data=st.data())
def test_truncated_or_extended_files_fail_with_an_offset(generation: Generation, data: st.DataObject) -> None:
    encoded = write_vu_file(data.draw(vu_downloads(generation)))
    cut = data.draw(st.integers(1, len(encoded) - 1))
    with pytest.raises(TachoFormatError) as truncated:
        read_vu_file(encoded[:cut])
    assert 0 <= truncated.value.offset <= cut
    with pytest.raises(TachoFormatError) as extended:
        read_vu_file(encoded + b"\x76")
    assert extended.value.offset >= len(encoded)
    assert "offset" in str(extended.value)


@settings(max_examples=5, deadline=None)
@given(download=vu_downloads(Generation.GEN1))
def test_gen1_minimal_overview_has_the_documented_size(download: VehicleUnitDownload) -> None:
    overview = download.overview
    bare = replace(
        download,
        overview=VuOverview(
            overview.vin,
            overview.registration,
            overview.current_time,
            overview.downloadable_from,
            overview.downloadable_to,
        ),
    )
    parsed = read_vu_file(write_vu_file(bare))
    overview_region = parsed.security.signed[0]
    # 2 certificates (388) + signed data + signature (128) = 621 bytes after the 2-byte tag.
    assert overview_region.block_offset == 2 + 388
    assert len(overview_region.data) + 388 + 128 == 621


@settings(max_examples=5, deadline=None)
@given(download=vu_downloads(Generation.GEN2V2).filter(lambda d: len(d.days) >= 2))
def test_days_must_increase(download: VehicleUnitDownload) -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        write_vu_file(replace(download, days=tuple(reversed(download.days))))
