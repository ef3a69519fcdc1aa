"""Control-plane handlers for request verification: `POST /_sim/journal/count` and `POST /_sim/journal/find`.

Re-exported by `mockserver.control.handlers`, which Connexion resolves the control spec against.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver import runtime
from mockserver.errors import BadRequest
from mockserver.http import json_response
from mockserver.journal_match import near_misses, parse_match


async def count_journal(body: Any) -> Response:
    match = parse_match(body)
    entries = runtime.current().journal.entries()
    return json_response({"count": sum(1 for e in entries if not match.mismatches(e))})


async def find_journal(body: Any) -> Response:
    match = parse_match(body)
    wanted = body.get("nearMisses", 0)
    if not isinstance(wanted, int) or isinstance(wanted, bool) or not 0 <= wanted <= 100:
        raise BadRequest("nearMisses: an integer from 0 to 100 is expected")
    entries = runtime.current().journal.entries()
    answer: dict[str, Any] = {"entries": [e.to_json() for e in entries if not match.mismatches(e)]}
    if wanted:
        answer["nearMisses"] = [miss.to_json() for miss in near_misses(match, entries, wanted)]
    return json_response(answer)
