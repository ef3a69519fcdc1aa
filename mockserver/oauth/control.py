"""The control plane's OAuth operation: `POST /_sim/tokens` (a TachoShare token without the browser step, for CI).

Declared in specs/control.yaml; served here through the OAuth plugin's `control_operations`.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver import runtime
from mockserver.http import json_response
from mockserver.oauth.service import OAuthService


async def issue_token(body: Any = None) -> Response:
    body = body if isinstance(body, dict) else {}  # an empty body without a content type arrives as bytes
    service: OAuthService = runtime.current().services["oauth"]
    token = service.issue_token(body.get("account"), body.get("scopes"), body.get("user"))
    return json_response(token.to_json())
