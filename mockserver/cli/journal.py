"""`fleetmock journal`: follow a running simulator's request journal in a terminal (like `tail -f`)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

import requests

from mockserver.apis import registry


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("journal", help="follow the request journal of a running simulator")
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    parser.add_argument("--api", choices=sorted(registry().names()))
    parser.add_argument("--account")
    parser.add_argument("--status", type=int)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between polls")
    parser.add_argument("--once", action="store_true", help="print what is there and stop")
    parser.set_defaults(handler=run)


def line(entry: dict[str, Any]) -> str:
    fault = f"  fault={entry['fault']}" if entry.get("fault") else ""
    query = f"?{entry['query']}" if entry.get("query") else ""
    account = entry.get("account") or "-"
    return (
        f"{entry['seq']:>6} {entry['simulatedTime']} {entry['status']:>3} {entry['method']:<6} "
        f"{entry['path']}{query}  account={account} {entry['durationMs']:.1f}ms trace={entry['traceId']}{fault}"
    )


def run(args: argparse.Namespace) -> int:
    since = 0
    params: dict[str, Any] = {
        k: v for k, v in (("api", args.api), ("account", args.account), ("status", args.status)) if v is not None
    }
    session = requests.Session()
    if os.environ.get("FLEETMOCK_CONTROL_TOKEN"):  # a simulator started with --control-token
        session.headers["Authorization"] = f"Bearer {os.environ['FLEETMOCK_CONTROL_TOKEN']}"
    try:
        while True:
            try:
                response = session.get(f"{args.base_url}/_sim/journal", params={**params, "since": since}, timeout=10)
                response.raise_for_status()
            except requests.RequestException as exc:
                print(f"fleetmock: cannot read the journal at {args.base_url}: {exc}", file=sys.stderr)
                return 2
            for entry in response.json()["entries"]:
                print(line(entry), flush=True)
                since = max(since, int(entry["seq"]))
            if args.once:
                return 0
            time.sleep(args.interval)
    except KeyboardInterrupt:
        return 0
