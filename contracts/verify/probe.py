"""Before a verify run: is there a server at the base URL, and is it the API? One clear line when not, instead of
a run of connection errors or of 404 failures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests


class ServerProblem(Exception):
    """The base URL does not lead to the API (unreachable, or answering 404 where the API has a route)."""


def probe_path(document: Mapping[str, Any]) -> str:
    """The spec's first GET path without parameters (`/vehicles`, `/token`)."""
    for path, item in (document.get("paths") or {}).items():
        if "{" not in path and isinstance(item, dict) and "get" in item:
            return str(path)
    return "/"


def probe(root: str, document: Mapping[str, Any], title: str, timeout: float) -> None:
    path = probe_path(document)
    url = f"{root}{path}"
    try:
        answer = requests.get(url, timeout=min(timeout, 10.0), allow_redirects=False)
    except requests.RequestException as exc:
        raise ServerProblem(f"cannot reach {root}: {_reason(exc, timeout)}") from exc
    if answer.status_code == 404:
        raise ServerProblem(
            f"no {title} at {root}: GET {url} answered 404; the base URL includes the API's prefix "
            "(for the simulator, e.g. http://127.0.0.1:8080/tachoshare or http://127.0.0.1:8080/reveal)"
        )


def _reason(exc: requests.RequestException, timeout: float) -> str:
    text = str(exc).lower()
    if isinstance(exc, requests.Timeout):
        return f"no answer within {min(timeout, 10.0):g} s"
    if "refused" in text:
        return "connection refused (is the server running, on this port?)"
    if "name or service not known" in text or "nodename nor servname" in text or "resolution" in text:
        return "unknown host"
    return type(exc).__name__
