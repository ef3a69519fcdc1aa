"""`fleetmock ddd inspect FILE [--json]`: look inside a VU file, a driver-card file or a ZIP of card files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mockserver.tachograph.codec.primitives import TachoFormatError
from mockserver.tachograph.inspect import summarize

EXIT_BAD_FILE = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    ddd = subparsers.add_parser("ddd", help="tachograph download files (.DDD, .V1B, .C1B, .TGD, card ZIPs)")
    actions = ddd.add_subparsers(dest="ddd_command", required=True)
    inspect = actions.add_parser("inspect", help="parse a file byte for byte and summarise it")
    inspect.add_argument("file", type=Path, help="a VU file, a driver-card file or a ZIP of card files")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of text")
    inspect.set_defaults(handler=run_inspect)


def run_inspect(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_FILE
    try:
        summaries = summarize(data, path.name)
    except TachoFormatError as exc:
        print(f"error: {path.name}: {exc}", file=sys.stderr)
        return EXIT_BAD_FILE
    if args.json:
        payload: object = [s.to_json() for s in summaries]
        if len(summaries) == 1:
            payload = summaries[0].to_json()
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print("\n".join(s.to_text() for s in summaries))
    return 0
