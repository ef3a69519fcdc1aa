"""The ZIP writer of driver-file answers: any inflater and `zipfile` read what it writes, and its member cache
stays within its byte bound."""

from __future__ import annotations

import io
import zipfile
import zlib

from hypothesis import given
from hypothesis import strategies as st

from mockserver.tachoshare.zipwriter import Member, MemberCache, deflate, write_zip, zip_parts

NAMES = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30)
REPEATED = st.builds(lambda chunk, times: chunk * times, st.binary(min_size=1, max_size=40), st.integers(1, 3000))
CONTENT = st.one_of(st.binary(max_size=5000), REPEATED)


@given(st.dictionaries(NAMES, CONTENT, max_size=12))
def test_zipfile_reads_back_every_member(files: dict[str, bytes]) -> None:
    data = write_zip((name, deflate(content)) for name, content in files.items())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC checks
        assert archive.namelist() == list(files)
        assert {name: archive.read(name) for name in files} == files
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


@given(st.dictionaries(NAMES, CONTENT, max_size=12), st.integers(1, 20_000))
def test_parts_join_to_the_zip_and_come_in_chunks_of_about_the_asked_size(files: dict[str, bytes], chunk: int) -> None:
    members = [(name, deflate(content)) for name, content in files.items()]
    parts = list(zip_parts(members, chunk_bytes=chunk))
    assert b"".join(parts) == write_zip(members)
    largest = max((30 + len(name) + len(m.compressed) for name, m in members), default=0)
    assert all(chunk <= len(part) < chunk + largest for part in parts[:-1])  # at most one member past the size


@given(CONTENT)
def test_a_member_is_plain_raw_deflate_with_the_zlib_crc(content: bytes) -> None:
    member = deflate(content)
    assert zlib.decompress(member.compressed, -15) == content
    assert (member.crc, member.size) == (zlib.crc32(content), len(content))
    assert deflate(content) == member


def test_repetitive_card_like_content_compresses() -> None:
    content = (bytes(200) + bytes(range(56))) * 256
    assert len(deflate(content).compressed) < len(content) // 20


def test_member_cache_drops_the_least_recently_used_beyond_its_bound() -> None:
    cache = MemberCache(limit_bytes=250)
    members = {key: Member(0, 1000, bytes(100)) for key in "abc"}
    cache.put("a", members["a"])
    cache.put("b", members["b"])
    assert cache.get("a") is members["a"]  # a is now the most recently used
    cache.put("c", members["c"])
    assert cache.get("b") is None
    assert cache.get("a") is members["a"] and cache.get("c") is members["c"]
    cache.clear()
    assert cache.get("a") is None
