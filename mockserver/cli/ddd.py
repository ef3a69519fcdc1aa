"""`fleetmock ddd inspect FILE [--full] [--json]` and `fleetmock ddd chart FILE --day D -o OUT.svg`: look inside a VU
file, a driver-card file or a ZIP of card files, or draw one of its days."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from mockserver.charts import NoSuchDay, render_tacho_day, tacho_day
from mockserver.tachograph.codec.primitives import TachoFormatError
from mockserver.tachograph.digest import digest
from mockserver.tachograph.inspect import summarize

EXIT_BAD_FILE = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    ddd = subparsers.add_parser("ddd", help="tachograph download files (.DDD, .V1B, .C1B, .TGD, card ZIPs)")
    actions = ddd.add_subparsers(dest="ddd_command", required=True)
    inspect = actions.add_parser("inspect", help="parse a file byte for byte and summarise it")
    inspect.add_argument("file", type=Path, help="a VU file, a driver-card file or a ZIP of card files")
    inspect.add_argument("--full", action="store_true", help="print every file and every day, not a summary")
    inspect.add_argument("--json", action="store_true", help="print everything as JSON (every file and day)")
    inspect.set_defaults(handler=run_inspect)
    chart = actions.add_parser("chart", help="draw one day's activities as SVG (the tachograph day chart)")
    chart.add_argument("file", type=Path, help="a VU file, a driver-card file or a ZIP of card files")
    chart.add_argument("--day", required=True, type=_day, help="the day to draw, YYYY-MM-DD (UTC)")
    chart.add_argument("-o", "--output", required=True, type=Path, help="where to write the SVG ('-' for stdout)")
    chart.set_defaults(handler=run_chart)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return None


def run_inspect(args: argparse.Namespace) -> int:
    path: Path = args.file
    data = _read(path)
    if data is None:
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
    elif args.full:
        print("\n".join(s.to_text() for s in summaries))
    else:
        print(digest(summaries))
    return 0


def run_chart(args: argparse.Namespace) -> int:
    path: Path = args.file
    data = _read(path)
    if data is None:
        return EXIT_BAD_FILE
    try:
        drawing = render_tacho_day(tacho_day(data, path.name, args.day))
    except (TachoFormatError, NoSuchDay) as exc:
        print(f"error: {path.name}: {exc}", file=sys.stderr)
        return EXIT_BAD_FILE
    if str(args.output) == "-":
        sys.stdout.write(drawing)
    else:
        args.output.write_text(drawing, encoding="utf-8")
    return 0
