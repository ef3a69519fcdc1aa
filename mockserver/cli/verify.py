"""`fleetmock verify`: the contract suite against any server, the simulator or the real API.

    fleetmock verify --api tachoshare --base-url URL --token TOKEN
    fleetmock verify --api reveal --base-url URL --user U --password P --app-id ID [--driver N]

Prints a report (or JSON with `--json`) and exits 0 when nothing violated the spec, 1 when something did (or the
run could not reach the server), 2 when the options cannot make a run.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import sys
import tempfile
from collections.abc import Iterator

from mockserver.apis import registry

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_OPTIONS = 2
API_NAMES = registry().verify_targets()  # the names registered in contracts.verify.targets (checked by a test)


def register(subparsers: argparse._SubParsersAction) -> None:
    verify = subparsers.add_parser(
        "verify",
        help="check a server (the simulator or the real API) against the specs",
        description=(
            "Runs the reference client's smoke flow and Schemathesis (every operation, and stateful through the "
            "spec's OpenAPI links) from the project's own spec against BASE_URL, prints every violation with the "
            "request as a curl command, and exits non-zero on any."
        ),
    )
    verify.add_argument("--api", required=True, choices=API_NAMES)
    verify.add_argument(
        "--base-url",
        required=True,
        help="the API root, e.g. http://127.0.0.1:8080/tachoshare, https://tachoshareapi.webfleet.com, "
        "http://127.0.0.1:8080/reveal or https://fim.api.us.fleetmatics.com",
    )
    verify.add_argument("--token", help="TachoShare: an OAuth access token")
    verify.add_argument("--user", help="Reveal: the integration user")
    verify.add_argument("--password", help="Reveal: its password")
    verify.add_argument("--app-id", help="Reveal: the app id (DEMOAPPID in the simulator's demo world)")
    verify.add_argument(
        "--driver", help="Reveal: the driver number the smoke flow reads (default: the first the simulator lists)"
    )
    verify.add_argument(
        "--max-examples",
        type=int,
        default=10,
        help="random cases per operation in the fuzzing and stateful phases (default 10); the examples and "
        "coverage phases add their own deterministic cases",
    )
    verify.add_argument("--seed", type=int, help="repeat a run (the report prints the seed it used)")
    verify.add_argument("--no-stateful", action="store_true", help="skip the stateful phase (OpenAPI links)")
    verify.add_argument(
        "--mode",
        choices=("positive", "negative", "all"),
        default="all",
        help="valid requests, invalid ones (expecting declared 4xx answers), or both (default)",
    )
    verify.add_argument(
        "--allow-writes",
        action="store_true",
        help="also run operations that change state (TachoShare POST /vehicles/{vin}/rdl: on the real API each "
        "call uses one of the vehicle's manual attempts)",
    )
    verify.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(handler=run)


MISSING_EXTRA = (
    "fleetmock verify: error: it needs the verify extra (Schemathesis, Hypothesis): "
    "pip install 'fleetmock[verify]' (from a clone: pip install '.[verify]')"
)


def _progress(line: str) -> None:
    print(f"fleetmock verify: {line}...", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _storage_outside_the_users_directory() -> Iterator[None]:
    """Hypothesis keeps a `.hypothesis/` directory in the working directory; a verify run leaves none behind."""
    from hypothesis.configuration import set_hypothesis_home_dir

    with tempfile.TemporaryDirectory(prefix="fleetmock-verify-") as scratch:
        set_hypothesis_home_dir(scratch)
        try:
            yield
        finally:
            set_hypothesis_home_dir(None)


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("schemathesis") is None:
        print(MISSING_EXTRA, file=sys.stderr)
        return EXIT_BAD_OPTIONS
    from contracts.verify import (
        Credentials,
        GenerationMode,
        OptionError,
        RunBounds,
        ServerProblem,
        VerifyOptions,
        render_text,
        run_verify,
    )

    try:
        options = VerifyOptions(
            api=args.api,
            base_url=args.base_url,
            credentials=Credentials(args.token, args.user, args.password, args.app_id),
            bounds=RunBounds(
                max_examples=args.max_examples,
                seed=args.seed,
                stateful=not args.no_stateful,
                allow_writes=args.allow_writes,
                mode=GenerationMode(args.mode),
                timeout=args.timeout,
            ),
            driver=args.driver,
        )
        with _storage_outside_the_users_directory():
            report = run_verify(options, progress=_progress)
    except OptionError as exc:
        print(f"fleetmock verify: error: {exc}", file=sys.stderr)
        return EXIT_BAD_OPTIONS
    except ServerProblem as exc:
        print(f"fleetmock verify: error: {exc}", file=sys.stderr)
        return EXIT_VIOLATIONS
    print(json.dumps(report.to_json(), indent=2) if args.json else render_text(report))
    return EXIT_OK if report.ok else EXIT_VIOLATIONS
