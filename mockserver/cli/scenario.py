"""`fleetmock scenario list`: the named scenarios and what each does."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from mockserver.errors import ApiError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("scenario", help="named QA scenarios")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="describe the scenarios of fixtures/scenarios")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_list)


def run_list(args: argparse.Namespace) -> int:
    from mockserver import scenarios

    try:
        found = scenarios.available()
    except ApiError as exc:
        print(f"fleetmock: {exc.description}", file=sys.stderr)
        return 2
    if args.json:
        rows = [
            {"name": s.name, "description": s.description, "steps": [k for k, _ in s.steps]} for s in found.values()
        ]
        print(json.dumps(rows, indent=2))
        return 0
    for scenario in found.values():
        print(f"{scenario.name}  [{', '.join(k for k, _ in scenario.steps)}]")
        print(textwrap.indent(textwrap.fill(scenario.description, 100), "    "))
    print("\napply with: fleetmock serve --scenario NAME, or POST /_sim/scenarios/NAME")
    return 0
