"""`fleetmock hos clocks`: the hours-of-service clocks of a duty log at one instant, as one line of JSON;
`fleetmock hos chart`: one day of the log as an ELD grid (SVG), with violations where they happen and the clocks."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from mockserver.charts import render_hos_day
from mockserver.reveal.hos import (
    CarrierType,
    DutyEvent,
    HosOptions,
    LogFormatError,
    clocks_for_events,
    duty_day,
    parse_log,
    parse_utc,
)

EXIT_BAD_INPUT = 2
LOG_HELP = "JSON list of [timestampUtc, status] or [.., status, subStatus]"


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
    clocks.add_argument("--log", required=True, help=LOG_HELP)
    clocks.add_argument("--at", required=True, help="evaluation instant, ISO 8601 (UTC when no offset is given)")
    _rule_options(clocks)
    clocks.set_defaults(handler=run_clocks)
    chart = hos_commands.add_parser("chart", help="draw one day of a duty log as an ELD grid (SVG)")
    chart.add_argument("--log", required=True, help=LOG_HELP)
    chart.add_argument("--day", required=True, help="the day to draw, YYYY-MM-DD (UTC)")
    chart.add_argument("--at", help="the instant of the clocks shown (default: the end of the day)")
    chart.add_argument("-o", "--output", required=True, help="where to write the SVG ('-' for stdout)")
    _rule_options(chart)
    chart.set_defaults(handler=run_chart)


def _rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cycle-days", type=int, choices=(7, 8), default=8, help="7 (60 h) or 8 (70 h); default 8")
    parser.add_argument("--adverse", action="store_true", help="adverse driving conditions (+2 h) this shift")
    parser.add_argument("--short-haul", action="store_true", help="short-haul exception: no 30-minute break")
    parser.add_argument("--passenger", action="store_true", help="passenger-carrying rules (10 h / 15 h)")


def _options(args: argparse.Namespace) -> HosOptions:
    return HosOptions(
        cycle_days=args.cycle_days,
        adverse=args.adverse,
        short_haul=args.short_haul,
        carrier=CarrierType.PASSENGER if args.passenger else CarrierType.PROPERTY,
    )


def _fail(command: str, message: str) -> int:
    print(f"fleetmock hos {command}: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _events(path: Path) -> list[DutyEvent]:
    """The log's events; raises LogFormatError with a message that names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LogFormatError(f"cannot read log file {str(path)!r}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise LogFormatError(f"log file {str(path)!r} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise LogFormatError(f"log file {str(path)!r} is nested too deeply to be a duty log") from None
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise LogFormatError(f"log file {str(path)!r} is not valid JSON: {where}") from None
    try:
        return list(parse_log(data))
    except LogFormatError as exc:
        raise LogFormatError(f"log file {str(path)!r}: {exc}") from None


def run_clocks(args: argparse.Namespace) -> int:
    try:
        events = _events(Path(args.log))
    except LogFormatError as exc:
        return _fail("clocks", str(exc))
    try:
        at = parse_utc(args.at)
    except LogFormatError as exc:
        return _fail("clocks", f"--at: {exc}")
    clocks = clocks_for_events(events, at, _options(args))
    print(json.dumps(clocks.minutes().to_json()))
    return 0


def run_chart(args: argparse.Namespace) -> int:
    try:
        events = _events(Path(args.log))
    except LogFormatError as exc:
        return _fail("chart", str(exc))
    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        return _fail("chart", f"--day: not a day (YYYY-MM-DD): {args.day!r}")
    try:
        at = parse_utc(args.at) if args.at else None
    except LogFormatError as exc:
        return _fail("chart", f"--at: {exc}")
    drawing = render_hos_day(duty_day(events, day, _options(args), at))
    if args.output == "-":
        sys.stdout.write(drawing)
    else:
        Path(args.output).write_text(drawing, encoding="utf-8")
    return 0
