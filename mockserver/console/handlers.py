"""The console's handlers, resolved from specs/console.yaml. Thin: pages and assets are files, charts are drawn by
`mockserver.charts` from what the browser sends, the stream reads the journal as `GET /_sim/journal` does. The ELD
grid is Reveal's to draw (its HOS engine): `mockserver.reveal.console_chart`, registered through `ApiPlugin.serves`."""

from __future__ import annotations

import asyncio
import struct
import zipfile
from collections.abc import AsyncIterator
from datetime import date
from importlib import resources

from starlette.responses import HTMLResponse, Response, StreamingResponse

from mockserver import runtime, timelines
from mockserver.charts import NoSuchDay, render_tacho_day, tacho_day
from mockserver.charts.timeline import render_timeline
from mockserver.console.pages import page_html
from mockserver.errors import BadRequest, NotFound
from mockserver.http import dumps, json_response
from mockserver.journal import JournalFilter
from mockserver.tachograph.codec.primitives import TachoFormatError

MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# What a file that is not a tachograph file can make the parsers raise; each is the client's mistake (a 400).
UNREADABLE = (TachoFormatError, ValueError, IndexError, KeyError, struct.error, zipfile.BadZipFile, EOFError)
STREAM_POLL_SECONDS = 0.1


async def console_index() -> HTMLResponse:
    return HTMLResponse(page_html("overview"))


async def console_page(page: str) -> HTMLResponse:
    return HTMLResponse(page_html(page))


async def console_asset(name: str) -> Response:
    text = resources.files("mockserver.console").joinpath("static", name).read_text(encoding="utf-8")
    media = MEDIA["." + name.rpartition(".")[2]]
    return Response(text, media_type=media.split(";")[0], headers={"Cache-Control": "no-cache"})


async def chart_tachograph_day(body: bytes, day: date | str, name: str = "file") -> Response:
    try:
        wanted = day if isinstance(day, date) else date.fromisoformat(day)
    except ValueError:
        raise BadRequest(f"A request parameter is missing or is not properly specified: day {day!r}") from None
    try:
        chart = tacho_day(body or b"", name, wanted)
    except NoSuchDay as exc:
        raise NotFound(str(exc)) from None
    except UNREADABLE as exc:
        raise BadRequest(f"The body is not a tachograph file: {exc}") from None
    return json_response(
        {"day": wanted.isoformat(), "svg": render_tacho_day(chart), "bars": len(chart.bars), "totals": chart.totals()}
    )


async def get_timeline(
    kind: str, key: str, account: str, from_: date | None = None, to: date | None = None
) -> Response:
    """A subject's download timeline (`mockserver.timelines`, filled by the APIs) as JSON with its SVG drawing."""
    sim = runtime.current()
    try:
        start, end = timelines.window(sim.clock.now(), _day(from_), _day(to))
    except ValueError as exc:
        raise BadRequest(f"A request parameter is missing or is not properly specified: {exc}") from None
    try:
        line = timelines.timeline(sim, kind, account, key, start, end)
    except timelines.UnknownSubject as exc:
        raise NotFound(str(exc)) from None
    return json_response({**timelines.to_json(line), "svg": render_timeline(line)})


def _day(value: date | str | None) -> date | None:
    """A `format: date` parameter (Connexion may hand it over as text)."""
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


async def stream_journal(since: int = 0, wait: float = 0.5) -> StreamingResponse:
    journal = runtime.current().journal

    async def events() -> AsyncIterator[str]:
        waited = 0.0
        while True:
            entries = journal.entries(JournalFilter(since=since))
            if entries or waited >= wait:
                break
            await asyncio.sleep(STREAM_POLL_SECONDS)
            waited += STREAM_POLL_SECONDS
        yield "retry: 250\n\n"
        for entry in entries:
            yield f"id: {entry.seq}\ndata: {dumps(entry.to_json()).decode()}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
