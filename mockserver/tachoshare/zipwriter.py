"""A minimal deterministic ZIP writer whose members are compressed once and can be reused.

A driver's card files do not change once downloaded, so their deflated bytes are cached (bounded by size) and a
later ZIP with the same downloads only copies them. `zipfile` cannot take pre-compressed members, hence this
writer: local headers, data, central directory, end record (no ZIP64; members and archive stay far below 4 GB).

Members are deflated with ISA-L (`isal`), not zlib: a 2-year ZIP of daily card downloads holds about 50 MB of
card files, which zlib's fastest level compresses in about 0.4 s and ISA-L's level 1 in under 0.1 s, at a
similar ratio. Any inflater reads the result (it is plain raw deflate). Its bytes are the same for the same
input and `isal` release on one kind of CPU; they may differ between CPU families (ISA-L picks its kernels at
run time), which is why the frozen-bytes tests pin the members' content and the ZIP's listing, not the deflate
stream.
"""

from __future__ import annotations

import struct
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass

from isal import igzip_lib

DOS_TIME, DOS_DATE = 0, (2000 - 1980) << 9 | 1 << 5 | 1  # 2000-01-01 00:00, like the rest of the simulator
VERSION = 20
DEFLATED = 8
LEVEL = 1  # ISA-L levels run 0-3; 1 is as small as zlib's level 1 at a fifth of the time
_TRAILER = struct.Struct("<II")


@dataclass(frozen=True)
class Member:
    crc: int
    size: int
    compressed: bytes


def deflate(data: bytes) -> Member:
    """`data` as a ZIP member: raw deflate, its CRC-32 and size. Releases the GIL while it works.

    ISA-L computes the CRC while it compresses when asked for a gzip trailer (`COMP_GZIP_NO_HDR`: the raw
    deflate stream, then CRC-32 and size, little-endian), which saves a second pass over the data."""
    out = igzip_lib.compress(data, LEVEL, igzip_lib.COMP_GZIP_NO_HDR)
    crc, size = _TRAILER.unpack_from(out, len(out) - _TRAILER.size)
    if size != len(data) & 0xFFFFFFFF:
        raise AssertionError(f"gzip trailer says {size} bytes, not {len(data)}")
    return Member(crc, len(data), out[: -_TRAILER.size])


def write_zip(entries: Iterable[tuple[str, Member]]) -> bytes:
    """The whole archive in one allocation."""
    return b"".join(zip_parts(entries))


def zip_parts(entries: Iterable[tuple[str, Member]], chunk_bytes: int = 1 << 20) -> Iterator[bytes]:
    """The archive in parts of about `chunk_bytes` (more where one member is larger), written as `entries` come:
    local headers and data first, then the central directory and the end record. Joined, the parts are
    `write_zip`'s bytes; a server may send each as soon as it exists."""
    pending: list[bytes] = []
    pending_bytes = 0
    central: list[bytes] = []
    offset = 0
    for name, member in entries:
        raw_name = name.encode("ascii")
        fields = (VERSION, 0, DEFLATED, DOS_TIME, DOS_DATE, member.crc, len(member.compressed), member.size)
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, len(raw_name), 0) + raw_name
        pending += (header, member.compressed)
        pending_bytes += len(header) + len(member.compressed)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, VERSION, *fields, len(raw_name), 0, 0, 0, 0, 0, offset)
            + raw_name
        )
        offset += len(header) + len(member.compressed)
        if pending_bytes >= chunk_bytes:
            yield b"".join(pending)
            pending, pending_bytes = [], 0
    size = sum(len(entry) for entry in central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, offset, 0)
    yield b"".join([*pending, *central, end])


class MemberCache:
    """Deflated members by key, least recently used dropped beyond `limit_bytes`."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._members: OrderedDict[Hashable, Member] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Member | None:
        with self._lock:
            member = self._members.get(key)
            if member is not None:
                self._members.move_to_end(key)
            return member

    def put(self, key: Hashable, member: Member) -> None:
        with self._lock:
            if key in self._members:
                return
            self._members[key] = member
            self._bytes += len(member.compressed)
            while self._bytes > self.limit_bytes and self._members:
                _, dropped = self._members.popitem(last=False)
                self._bytes -= len(dropped.compressed)

    def clear(self) -> None:
        with self._lock:
            self._members.clear()
            self._bytes = 0
