"""The container's health check: `python -m mockserver.healthcheck` exits 0 when `GET /_sim/health` answers 200.

It asks the port the server was told to use, as `fleetmock serve` decides it: a `--port` on the server's command
line (`docker run IMAGE --port 9000`: the container's process 1, read from `/proc/1/cmdline`) wins over
`FLEETMOCK_PORT` (the image sets it; `docker run -e FLEETMOCK_PORT=9000` moves both), else 8080, on loopback.
It needs nothing beyond the standard library and answers within `FLEETMOCK_HEALTHCHECK_TIMEOUT` seconds (default
2), so Docker's own timeout never has to kill it.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

SERVER_COMMAND_LINE = Path("/proc/1/cmdline")  # in the image, process 1 is `fleetmock serve ...` (exec form)


def server_argv(path: Path = SERVER_COMMAND_LINE) -> list[str]:
    """The server's arguments, or none when they cannot be read (not in a container, another OS)."""
    try:
        return path.read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return []


def _port_flag(argv: Sequence[str]) -> str | None:
    """The last `--port N` or `--port=N` of `argv` (as argparse takes it), if any."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--port" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--port="):
            found = arg.removeprefix("--port=")
    return found.strip() if found is not None and found.strip().isdigit() else None


def health_url(environ: Mapping[str, str], argv: Sequence[str] = ()) -> str:
    port = _port_flag(argv) or environ.get("FLEETMOCK_PORT", "").strip() or "8080"
    return f"http://127.0.0.1:{port}/_sim/health"


def check(environ: Mapping[str, str], argv: Sequence[str] = ()) -> tuple[bool, str]:
    """(healthy, one line saying why)."""
    url = health_url(environ, argv)
    timeout = float(environ.get("FLEETMOCK_HEALTHCHECK_TIMEOUT", "2"))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status == 200, f"{url}: {answer.status}"
    except urllib.error.HTTPError as exc:
        return False, f"{url}: {exc.code}"
    except (OSError, ValueError) as exc:
        return False, f"{url}: {getattr(exc, 'reason', exc)}"


def main() -> int:
    healthy, why = check(os.environ, server_argv())
    print(why, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
