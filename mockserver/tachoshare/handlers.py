"""TachoShare's HTTP handlers: parse, call one domain method, format. Resolved from specs/tachoshare.yaml.

Authentication and scope checks happen before these run (Connexion's security with
`mockserver.oauth.tokeninfo.token_info`); the principal arrives in `token_info`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.responses import Response, StreamingResponse

from mockserver import runtime
from mockserver.http import json_response, negotiate, request_header
from mockserver.principal import Principal
from mockserver.tachoshare import views
from mockserver.tachoshare.archive import FileAnswer
from mockserver.tachoshare.files import FileQuery
from mockserver.tachoshare.readmodels import Listing

JSON_ONLY = ("application/json",)
# A file answer is octet-stream: an Accept that does not allow it is a 406, even if it allows the JSON of errors
# (the reference's file examples send `Accept: application/octet-stream, application/json`).
FILE_TYPES = ("application/octet-stream",)


def _principal(token_info: dict[str, Any]) -> Principal:
    principal = token_info["principal"]
    assert isinstance(principal, Principal)
    return principal


def _json(body: Any) -> Response:
    negotiate(request_header(b"accept"), JSON_ONLY)
    return json_response(body)


def _listing(listing: Listing, to_json: Callable[[Any], dict[str, Any]]) -> Response:
    """A list's `{"items": [...]}`: whole (its bytes kept while the list is), or streamed (chunked) for a large
    fleet, the same bytes written as each view is made."""
    negotiate(request_header(b"accept"), JSON_ONLY)
    if listing.kept is not None:
        return Response(views.encoded_items(listing.kept, to_json), media_type=JSON_ONLY[0])
    assert listing.lazy is not None
    return StreamingResponse(views.streamed_items(listing.lazy, to_json), media_type=JSON_ONLY[0])


async def list_vehicles(token_info: dict[str, Any]) -> Response:
    return _listing(runtime.current().tachoshare.vehicle_listing(_principal(token_info)), views.vehicle_json)


async def get_vehicle(vin: str, token_info: dict[str, Any]) -> Response:
    vehicle = runtime.current().tachoshare.vehicle(_principal(token_info), vin)
    negotiate(request_header(b"accept"), JSON_ONLY)
    return Response(views.encoded_one(vehicle, views.vehicle_json), media_type=JSON_ONLY[0])


async def list_drivers(token_info: dict[str, Any]) -> Response:
    return _listing(runtime.current().tachoshare.driver_listing(_principal(token_info)), views.driver_json)


async def list_company_cards(token_info: dict[str, Any]) -> Response:
    cards = runtime.current().tachoshare.company_cards(_principal(token_info))
    return _json(views.items([views.company_card_json(c) for c in cards]))


async def list_company_card_groups(token_info: dict[str, Any]) -> Response:
    groups = runtime.current().tachoshare.company_card_groups(_principal(token_info))
    return _json(views.items([views.group_json(g) for g in groups]))


def _file(answer: FileAnswer | None) -> Response:
    """204 for no data; a file at hand with its length; a driver ZIP streamed while it is written (chunked), so the
    client receives the first members while the last are being built and the server never holds the whole ZIP."""
    if answer is None:
        return Response(status_code=204)
    headers = {"Content-Disposition": f'attachment; filename="{answer.name}"'}
    if answer.streamed:  # Starlette takes each part on a worker thread: the event loop keeps serving meanwhile
        return StreamingResponse(iter(answer.parts), media_type=FILE_TYPES[0], headers=headers)
    return Response(answer.data, media_type=FILE_TYPES[0], headers=headers)


async def get_vehicle_files(
    vin: str,
    token_info: dict[str, Any],
    activity_date_from: str | None = None,
    activity_date_to: str | None = None,
    format_: str | None = None,  # Connexion shadows the builtin name `format`
) -> Response:
    negotiate(request_header(b"accept"), FILE_TYPES)
    sim = runtime.current()
    query = FileQuery(activity_date_from, activity_date_to, format_)
    # Files take tens of milliseconds to build: off the event loop, so other requests keep flowing.
    answer = await asyncio.to_thread(sim.tachoshare.vehicle_file, _principal(token_info), vin, query, sim.world)
    return _file(answer)


async def get_driver_files(
    card_number: str,
    country_code: str,
    token_info: dict[str, Any],
    download_date_from: str | None = None,
    download_date_to: str | None = None,
    format_: str | None = None,
) -> Response:
    negotiate(request_header(b"accept"), FILE_TYPES)
    sim = runtime.current()
    query = FileQuery(download_date_from, download_date_to, format_)
    principal = _principal(token_info)
    answer = await asyncio.to_thread(
        sim.tachoshare.driver_files, principal, card_number, country_code, query, sim.world
    )
    return _file(answer)


async def request_vehicle_rdl(vin: str, token_info: dict[str, Any]) -> Response:
    negotiate(request_header(b"accept"), JSON_ONLY)
    vehicle = runtime.current().tachoshare.request_rdl(_principal(token_info), vin)
    return json_response(views.vehicle_json(vehicle))
