"""The container's health check: `python -m mockserver.healthcheck` exits 0 when `GET /_sim/health` answers 200.

It asks the port the server was told to use: `FLEETMOCK_PORT` (the image sets it; `docker run -e FLEETMOCK_PORT=9000`
moves both), else 8080, on loopback. It needs nothing beyond the standard library and answers within
`FLEETMOCK_HEALTHCHECK_TIMEOUT` seconds (default 2), so Docker's own timeout never has to kill it.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping


def health_url(environ: Mapping[str, str]) -> str:
    port = environ.get("FLEETMOCK_PORT", "").strip() or "8080"
    return f"http://127.0.0.1:{port}/_sim/health"


def check(environ: Mapping[str, str]) -> tuple[bool, str]:
    """(healthy, one line saying why)."""
    url = health_url(environ)
    timeout = float(environ.get("FLEETMOCK_HEALTHCHECK_TIMEOUT", "2"))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status == 200, f"{url}: {answer.status}"
    except urllib.error.HTTPError as exc:
        return False, f"{url}: {exc.code}"
    except (OSError, ValueError) as exc:
        return False, f"{url}: {getattr(exc, 'reason', exc)}"


def main() -> int:
    healthy, why = check(os.environ)
    print(why, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
