"""The control plane's Reveal operation: `PUT /_sim/reveal/drivers/{driverNumber}/log`.

Declared in specs/control.yaml; served here through the Reveal plugin's `control_operations`.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver import runtime
from mockserver.http import json_response
from mockserver.reveal.hos.codec import format_utc
from mockserver.reveal.service import RevealService


async def replace_reveal_driver_log(driver_number: str, body: Any, account: str | None = None) -> Response:
    """Replace a Reveal driver's duty log (until the next reset); 400 names the bad entry, 404 an unknown driver."""
    service: RevealService = runtime.current().services["reveal"]
    summary = service.replace_log(driver_number, body, account)
    return json_response(
        {
            "account": summary.account,
            "driverNumber": summary.driver_number,
            "events": summary.events,
            "first": format_utc(summary.first),
            "last": format_utc(summary.last),
            "clocks": summary.clocks.to_json(),
        }
    )
