"""Error bodies any API may answer with, for the plugins' `error` renderers (`mockserver.apis.ApiPlugin.error`).

`described_error` is the `{description, url, traceId}` shape (TachoShare's, which the control plane and the site
share); an API with its own shape writes its renderer in its package (its `errors.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connexion.lifecycle import ConnexionRequest, ConnexionResponse

from mockserver import runtime
from mockserver.errors import ApiError
from mockserver.http import dumps

if TYPE_CHECKING:
    from mockserver.simulator import Simulator


def json_error(status: int, body: Any, headers: dict[str, str]) -> ConnexionResponse:
    return ConnexionResponse(
        status_code=status,
        mimetype="application/json",
        content_type="application/json",
        body=dumps(body),
        headers=headers,
    )


def described_error(sim: Simulator, request: ConnexionRequest, error: ApiError) -> ConnexionResponse:
    """`{description, url, traceId}`: the trace id the journal records for the same request."""
    trace_id = runtime.trace_id() or sim.next_trace_id()
    body = {"description": error.description, "url": str(request.url), "traceId": trace_id}
    return json_error(error.status, body, error.headers)
