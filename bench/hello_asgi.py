"""The floor of the HTTP benchmark: a raw ASGI hello-world served exactly as `fleetmock serve` serves its app.

`python bench/hello_asgi.py --port N` runs uvicorn with the settings of `mockserver/cli/serve.py` (same loop and
HTTP implementations chosen by uvicorn's "auto", no access log, no lifespan), so the gap between this and fleetmock
is the cost of Connexion, routing, security and the handler rather than of the server.
"""

from __future__ import annotations

import argparse

from starlette.types import Receive, Scope, Send

BODY = b'{"hello":"world"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode("ascii"))]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers every HTTP request with a fixed 200 JSON body."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False, lifespan="off")


if __name__ == "__main__":
    main()
