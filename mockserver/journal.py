"""The request journal: every exchange with simulated and wall time, who made it, what it got, which fault fired.

Kept in memory, bounded (oldest entries fall off), per server process; or, with a `shared` backend (PostgreSQL),
in the database every instance writes to, numbered there in the order the entries arrive. Entries are numbered so a
follower (`fleetmock journal`) can ask for what came after the last one it saw.
"""

from __future__ import annotations

import fnmatch
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from starlette.types import Message, Receive, Send

from mockserver.clock import format_instant

FIELD_LIMIT = 1024  # characters of a path or query string the journal keeps (the rest is cut, marked with "...")


def bounded(text: str) -> str:
    """`text` cut to `FIELD_LIMIT` characters, so a journal of long URLs stays small."""
    return text if len(text) <= FIELD_LIMIT else text[: FIELD_LIMIT - 3] + "..."


BODY_LIMIT = 2048  # bytes of each body kept per entry: 10,000 entries hold at most about 40 MB of bodies
HEADERS_LIMIT = 2048  # characters of request header names and values kept per entry (about 20 MB in 10,000)
HEADER_VALUE_LIMIT = 512  # characters of one header value, so one long cookie or token cannot crowd out the rest

Headers = tuple[tuple[str, str], ...]


def kept_headers(raw: list[tuple[bytes, bytes]]) -> tuple[Headers, bool]:
    """The request headers the journal keeps (names in lower case, in arrival order) and whether some were left out:
    each value cut at HEADER_VALUE_LIMIT characters (marked "..."), none kept past HEADERS_LIMIT in all."""
    kept: list[tuple[str, str]] = []
    room = HEADERS_LIMIT
    for name, value in raw:  # latin-1: one character a byte, so lengths in bytes are lengths in characters
        if len(value) > HEADER_VALUE_LIMIT:
            value = value[: HEADER_VALUE_LIMIT - 3] + b"..."
        room -= len(name) + len(value)
        if room < 0:
            return tuple(kept), True
        kept.append((name.decode("latin-1").lower(), value.decode("latin-1")))
    return tuple(kept), False  # about 5 us for a client's usual six headers


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One exchange; times are kept raw and formatted only when the journal is read (it is written far more)."""

    seq: int
    simulated: datetime
    wall: float  # seconds since the epoch
    api: str
    method: str
    path: str
    query: str
    status: int
    account: str | None
    operation_id: str | None
    fault: str | None
    trace_id: str
    duration_ms: float
    warnings: tuple[str, ...] = ()  # e.g. unknown query parameters ignored (mockserver.queryparams)
    request_body: str | None = None
    response_body: str | None = None
    request_cut: bool = False  # the request body was longer than BODY_LIMIT: `request_body` holds its start only
    headers: Headers = ()
    headers_cut: bool = False  # headers past HEADERS_LIMIT were not kept

    def header_values(self, name: str) -> list[str]:
        """The kept values of header `name` (any case), in arrival order."""
        lowered = name.lower()
        return [value for key, value in self.headers if key == lowered]

    def to_json(self, bodies: bool = True) -> dict[str, Any]:
        """The entry as `GET /_sim/journal` shows it; without `bodies`, no request and response bodies or headers
        (a list of many entries is then a few hundred bytes each rather than up to 6 KiB)."""
        head = {
            "seq": self.seq,
            "simulatedTime": format_instant(self.simulated),
            "wallTime": datetime.fromtimestamp(self.wall, UTC).isoformat(timespec="milliseconds"),
            "api": self.api,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "account": self.account,
            "operationId": self.operation_id,
            "fault": self.fault,
            "traceId": self.trace_id,
            "durationMs": round(self.duration_ms, 3),
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }
        if not bodies:
            return head
        return {
            **head,
            "requestBody": self.request_body,
            "responseBody": self.response_body,
            "requestHeaders": _joined(self.headers),
            **({"requestHeadersCut": True} if self.headers_cut else {}),
        }


def _joined(headers: Headers) -> dict[str, str]:
    """Headers as one object, repeated names joined with ", " as HTTP allows."""
    joined: dict[str, str] = {}
    for name, value in headers:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


def shown_body(head: bytes, size: int) -> str | None:
    """A body as the journal shows it: its text (cut at BODY_LIMIT bytes, and said so), or what binary data it was."""
    if not size:
        return None
    cut = size > len(head)
    for trim in range(4 if cut else 1):  # a cut may fall inside a character of up to 4 bytes
        try:
            text = head[: len(head) - trim].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return f"{text}... <{size} bytes in all>" if cut else text
    return f"<{size} bytes of binary data>"


class BodyTap:
    """Passes an exchange's messages through, keeping the first BODY_LIMIT bytes of each body for the journal."""

    __slots__ = ("_receive", "_request", "_request_size", "_response", "_response_size", "_send")

    def __init__(self, receive: Receive, send: Send) -> None:
        self._receive, self._send = receive, send
        self._request, self._response = bytearray(), bytearray()
        self._request_size = self._response_size = 0

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            self._request_size += len(chunk)
            self._request += chunk[: BODY_LIMIT - len(self._request)]
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            self._response_size += len(chunk)
            self._response += chunk[: BODY_LIMIT - len(self._response)]
        await self._send(message)

    @property
    def request_cut(self) -> bool:
        return self._request_size > len(self._request)

    def bodies(self) -> tuple[str | None, str | None]:
        request = shown_body(bytes(self._request), self._request_size)
        return request, shown_body(bytes(self._response), self._response_size)


@dataclass(frozen=True)
class JournalFilter:
    api: str | None = None
    method: str | None = None
    path: str | None = None  # glob on the full path
    status: int | None = None
    account: str | None = None
    since: int | None = None  # entries with seq greater than this
    limit: int | None = None
    before: int | None = None  # entries with seq less than this (the console pages back through older entries)

    def accepts(self, entry: JournalEntry) -> bool:
        return (
            (self.api is None or entry.api == self.api)
            and (self.method is None or entry.method == self.method.upper())
            and (self.path is None or fnmatch.fnmatchcase(entry.path, self.path))
            and (self.status is None or entry.status == self.status)
            and (self.account is None or entry.account == self.account)
            and (self.since is None or entry.seq > self.since)
            and (self.before is None or entry.seq < self.before)
        )


class JournalBackend(Protocol):
    """Where a journal shared by several instances lives; it numbers the entries itself."""

    def add(self, entry: JournalEntry) -> None: ...

    def entries(self, since: int | None) -> list[JournalEntry]: ...

    def clear(self) -> int: ...


class Journal:
    def __init__(self, capacity: int = 10_000, enabled: bool = True, shared: JournalBackend | None = None) -> None:
        self.enabled = enabled
        self.capacity = capacity
        self.shared = shared
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._seq = 0
        self._lock = threading.Lock()

    def next_seq(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def add(self, entry: JournalEntry) -> None:
        if self.enabled and self.shared is not None:
            self.shared.add(entry)
        elif self.enabled:
            with self._lock:
                self._entries.append(entry)

    def entries(self, where: JournalFilter = JournalFilter()) -> list[JournalEntry]:
        if self.shared is not None:
            chosen = [e for e in self.shared.entries(where.since) if where.accepts(e)]
            return chosen[-where.limit :] if where.limit else chosen
        with self._lock:
            chosen = [e for e in self._entries if where.accepts(e)]
        return chosen[-where.limit :] if where.limit else chosen

    def clear(self) -> int:
        if self.shared is not None:
            return self.shared.clear()
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count
