"""The contract suite as a command: `fleetmock verify` checks any server (the simulator or the real API) against
the project's own specs with Schemathesis and the reference clients' smoke flows, and reports every violation.

Importing this package is cheap; Schemathesis is imported when a run starts (`run_verify`).
"""

from contracts.verify.options import Credentials, GenerationMode, OptionError, RunBounds, VerifyOptions
from contracts.verify.probe import ServerProblem
from contracts.verify.render import render_text
from contracts.verify.report import (
    Exchange,
    OperationStats,
    Outcome,
    RunError,
    Skipped,
    SmokeStep,
    Source,
    VerifyReport,
    Violation,
)
from contracts.verify.runner import run_verify
from contracts.verify.targets import TARGETS, ApiTarget, register_target

__all__ = [
    "TARGETS",
    "ApiTarget",
    "Credentials",
    "Exchange",
    "GenerationMode",
    "OperationStats",
    "OptionError",
    "Outcome",
    "RunBounds",
    "RunError",
    "ServerProblem",
    "Skipped",
    "SmokeStep",
    "Source",
    "VerifyOptions",
    "VerifyReport",
    "Violation",
    "register_target",
    "render_text",
    "run_verify",
]
