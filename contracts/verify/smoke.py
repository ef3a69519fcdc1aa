"""The machinery of the smoke flows: run a reference client's call as a named step, and turn a failure into a
violation that carries the exchange that failed.

A step function returns a one-line detail for the report; it raises `StepSkipped` when it cannot run (nothing to
read, an earlier step failed) and `StepFailed` when the answer was readable but wrong. Anything the client raises
about the API or the connection is a failure too. Other exceptions are bugs of the verifier and propagate.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import requests
from pydantic import BaseModel

from contracts.reveal.errors import RevealError
from contracts.tachoshare.errors import TachoShareError
from contracts.verify.recording import RecordingSession
from contracts.verify.report import Outcome, SmokeStep, Source, Violation

PYDANTIC_HELP = "For further information visit https://errors.pydantic.dev"
CLIENT_FAILURES: tuple[type[Exception], ...] = (TachoShareError, RevealError, requests.RequestException)


class StepSkipped(Exception):
    """The step cannot run; the message says why."""


class StepFailed(Exception):
    """The answer was read but breaks what the flow expects; the message says how."""


FAILURES: tuple[type[Exception], ...] = (StepFailed, *CLIENT_FAILURES)


@dataclass
class SmokeRun:
    """The steps of one flow, in order, and what they learned for the Schemathesis run."""

    session: RecordingSession
    steps: list[SmokeStep] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    known_values: dict[str, list[str]] = field(default_factory=dict)

    def step(self, name: str, operation: str, action: Callable[[], str]) -> bool:
        """Run one step; whether it passed."""
        self.session.forget()
        try:
            detail = action()
        except StepSkipped as skipped:
            self.steps.append(SmokeStep(name, operation, Outcome.SKIP, str(skipped)))
            return False
        except FAILURES as failure:
            message = str(failure) if isinstance(failure, StepFailed) else f"{type(failure).__name__}: {failure}"
            message = "\n".join(line for line in message.splitlines() if PYDANTIC_HELP not in line)
            first_line = message.splitlines()[0] if message else type(failure).__name__
            self.steps.append(SmokeStep(name, operation, Outcome.FAIL, first_line))
            exchange = self.session.last.exchange() if self.session.last is not None else None
            self.violations.append(
                Violation(Source.SMOKE, operation, name, "The reference client's flow failed", message, exchange)
            )
            return False
        self.steps.append(SmokeStep(name, operation, Outcome.PASS, detail))
        return True

    def learn(self, binding: str, values: Iterable[str]) -> None:
        """Values the server knows (VINs, driver numbers), offered to Schemathesis for `binding` (`path.vin`)."""
        known = self.known_values.setdefault(binding, [])
        known.extend(value for value in values if value not in known)

    def note_drift(self, operation: str, models: Sequence[BaseModel]) -> None:
        """Note fields and enumerated values the client does not know (it keeps them: tolerated drift)."""
        extra: set[str] = set()
        unknown: set[str] = set()
        for model in models:
            _collect_unknowns(model, extra, unknown)
        if extra:
            self.notes.append(f"{operation}: fields the reference client does not know: {', '.join(sorted(extra))}")
        if unknown:
            self.notes.append(f"{operation}: values the reference client does not know: {', '.join(sorted(unknown))}")


def _collect_unknowns(model: BaseModel, extra: set[str], unknown: set[str]) -> None:
    extra.update(model.model_extra or {})
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        values = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
        for item in values:
            if isinstance(item, BaseModel):
                _collect_unknowns(item, extra, unknown)
            elif type(item) is str and _mentions_enum(info.annotation):
                unknown.add(f"{info.alias or name}={item}")


def _mentions_enum(annotation: object) -> bool:
    """A tolerant `SomeEnum | str` field (possibly optional): a plain string there is a value not recognised."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return True
    return any(_mentions_enum(arg) for arg in typing.get_args(annotation))
