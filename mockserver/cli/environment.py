"""Options from the environment: every long option `--some-thing` of a command can also be set as
`FLEETMOCK_SOME_THING`, as LocalStack and WireMock users configure containers. A flag on the command line wins over
the variable; the variable wins over the built-in default.

Values are parsed by the option's own type and choices, so `FLEETMOCK_PORT=abc` is refused like `--port abc`.
Switches (`--strict`) take 1/true/yes/on or 0/false/no/off; repeatable options (`--scenario`) take a comma-separated
list. The names are derived from the parser, never listed by hand, so a new option is settable at once.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

PREFIX = "FLEETMOCK_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def variable_name(action: argparse.Action) -> str | None:
    """`FLEETMOCK_CONTROL_TOKEN` for `--control-token`; None for positionals, help and version."""
    longs = [s for s in action.option_strings if s.startswith("--")]
    if not longs or isinstance(action, argparse._HelpAction | argparse._VersionAction):
        return None
    return PREFIX + longs[0][2:].replace("-", "_").upper()


class VariableError(ValueError):
    """A variable whose value the option would refuse; the message names the variable."""


def _convert(action: argparse.Action, name: str, raw: str) -> object:
    if isinstance(action, argparse._StoreTrueAction | argparse._StoreFalseAction):
        lowered = raw.strip().lower()
        if lowered not in _TRUE | _FALSE:
            raise VariableError(f"{name}={raw!r}: expected one of 1, true, yes, on, 0, false, no, off")
        return (lowered in _TRUE) == isinstance(action, argparse._StoreTrueAction)
    if isinstance(action, argparse._AppendAction):
        return [_one(action, name, part.strip()) for part in raw.split(",") if part.strip()]
    return _one(action, name, raw)


def _one(action: argparse.Action, name: str, raw: str) -> object:
    try:
        value = action.type(raw) if callable(action.type) else raw
    except (TypeError, ValueError) as exc:
        kind = getattr(action.type, "__name__", "value")
        raise VariableError(f"{name}={raw!r}: not a valid {kind}") from exc
    if action.choices is not None and value not in action.choices:
        raise VariableError(f"{name}={raw!r}: choose from {', '.join(map(str, action.choices))}")
    return value


def apply_environment(parser: argparse.ArgumentParser, environ: Mapping[str, str] | None = None) -> list[str]:
    """Turn the `FLEETMOCK_*` variables of `environ` (default: os.environ) into the defaults of `parser`'s options,
    and name each variable in the option's help. Answers the refused variables' messages (reported only when this
    command runs, so a bad `FLEETMOCK_PORT` does not break `fleetmock hos`)."""
    env = os.environ if environ is None else environ
    errors = []
    for action in parser._actions:
        name = variable_name(action)
        if name is None:
            continue
        action.help = f"{action.help or ''} [env {name}]".strip()
        if name in env:
            try:
                action.default = _convert(action, name, env[name])
            except VariableError as exc:
                errors.append(str(exc))
    return errors
