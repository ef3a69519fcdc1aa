"""The `fleetmock` command line.

Each sub-command lives in its own module, which registers itself with `register(subparsers)`; this module only
collects them (the core's from `COMMAND_MODULES`, an API's from its plugin's `cli`), so adding a command never means
touching an `if` chain.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from mockserver import __version__
from mockserver.cli.environment import apply_environment

# Modules under mockserver.cli that each define `register(subparsers) -> None`.
COMMAND_MODULES: tuple[str, ...] = ("serve", "ddd", "scenario", "journal", "verify")
# Commands whose every long option may come from a FLEETMOCK_<OPTION> variable (containers configure them so).
ENVIRONMENT_COMMANDS: tuple[str, ...] = ("serve",)


def command_modules() -> list[str]:
    """The dotted names of every command module: the core's, then each API's (`ApiPlugin.cli`)."""
    from mockserver.apis import registry

    return [f"mockserver.cli.{name}" for name in COMMAND_MODULES] + [m for p in registry() for m in p.cli]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleetmock", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"fleetmock {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in command_modules():
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command whose module is not written yet
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    for name in ENVIRONMENT_COMMANDS:
        command = subparsers.choices[name]
        command.set_defaults(environment_errors=apply_environment(command))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Connexion imports Starlette's test client at start-up, which warns about httpx; users need not see it.
    warnings.filterwarnings("ignore", message=".*starlette.testclient.*")
    parser = build_parser()
    args = parser.parse_args(argv)
    for error in getattr(args, "environment_errors", []):
        parser.error(error)
    result = args.handler(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
