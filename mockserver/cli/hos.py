"""`fleetmock hos clocks`: the hours-of-service clocks of a duty log at one instant, as one line of JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mockserver.reveal.hos import (
    CarrierType,
    HosOptions,
    LogFormatError,
    clocks_for_events,
    parse_log,
    parse_utc,
)

EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    hos = subparsers.add_parser("hos", help="US hours-of-service tools")
    hos_commands = hos.add_subparsers(dest="hos_command", required=True)
    clocks = hos_commands.add_parser(
        "clocks",
        help="print the driving, window, break and cycle time left at an instant",
        description=(
            'Prints {"driveLeft": m, "windowLeft": m, "breakLeft": m|null, "cycleLeft": m} in whole minutes.'
        ),
    )
    clocks.add_argument(
        "--log", required=True, help="JSON list of [timestampUtc, status] or [.., status, subStatus]"
    )
    clocks.add_argument(
        "--at", required=True, help="evaluation instant, ISO 8601 (UTC when no offset is given)"
    )
    clocks.add_argument(
        "--cycle-days", type=int, choices=(7, 8), default=8, help="7 (60 h) or 8 (70 h); default 8"
    )
    clocks.add_argument("--adverse", action="store_true", help="adverse driving conditions (+2 h) this shift")
    clocks.add_argument("--short-haul", action="store_true", help="short-haul exception: no 30-minute break")
    clocks.add_argument("--passenger", action="store_true", help="passenger-carrying rules (10 h / 15 h)")
    clocks.set_defaults(handler=run_clocks)


def _fail(message: str) -> int:
    print(f"fleetmock hos clocks: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_clocks(args: argparse.Namespace) -> int:
    path = Path(args.log)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return _fail(f"cannot read log file {str(path)!r}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return _fail(f"log file {str(path)!r} is not UTF-8 text")
    try:
        data = json.loads(text)
    except RecursionError:
        return _fail(f"log file {str(path)!r} is nested too deeply to be a duty log")
    except json.JSONDecodeError as exc:
        return _fail(
            f"log file {str(path)!r} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        )
    try:
        events = parse_log(data)
    except LogFormatError as exc:
        return _fail(f"log file {str(path)!r}: {exc}")
    try:
        at = parse_utc(args.at)
    except LogFormatError as exc:
        return _fail(f"--at: {exc}")
    options = HosOptions(
        cycle_days=args.cycle_days,
        adverse=args.adverse,
        short_haul=args.short_haul,
        carrier=CarrierType.PASSENGER if args.passenger else CarrierType.PROPERTY,
    )
    clocks = clocks_for_events(events, at, options)
    print(json.dumps(clocks.minutes().to_json()))
    return 0
