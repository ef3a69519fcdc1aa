"""One verify run: the reference client's smoke flow first (it also finds real ids), then Schemathesis, then the
report. The spec is always the project's own (`fleetmock_resources.load_spec`), whichever server is verified."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from contracts.common.retry import Retrier, RetryPolicy
from contracts.verify.options import VerifyOptions
from contracts.verify.probe import probe
from contracts.verify.report import VerifyReport
from contracts.verify.targets import target
from fleetmock_resources import load_spec

VERIFY_RETRY_POLICY = RetryPolicy(max_attempts=3, backoff_initial=0.5, backoff_max=5.0, retry_after_cap=30.0)
"""The smoke flows retry a little (a real API may answer 429 or 503 once); a server that keeps failing fails."""


def random_seed() -> int:
    return secrets.randbelow(2**31)


def _silent(_: str) -> None:
    pass


def run_verify(
    options: VerifyOptions,
    *,
    retrier: Retrier | None = None,
    new_seed: Callable[[], int] = random_seed,
    progress: Callable[[str], None] = _silent,
) -> VerifyReport:
    """Verify the server at `options.base_url`; raises `OptionError` when the options cannot make a run and
    `ServerProblem` when the base URL leads to no server or not to the API. `progress` hears each phase begin."""
    api = target(options.api)
    api.check(options)
    retrier = retrier or Retrier(VERIFY_RETRY_POLICY)
    bounds = options.bounds
    seed = bounds.seed if bounds.seed is not None else new_seed()
    document = load_spec(api.spec_file)
    probe(options.root, document, api.title, bounds.timeout)
    progress(f"smoke flow of the reference client against {options.root}")
    smoke = api.smoke(options, retrier)
    from contracts.verify.contract_run import run_contract  # Schemathesis is slow to import: only when running

    headers = api.credentials(options, retrier)
    contract = run_contract(document, options.root, bounds, seed, headers, smoke.known_values, progress=progress)
    version = document.get("info", {}).get("version", "?")
    return VerifyReport(
        api=api.name,
        base_url=options.root,
        spec=f"{api.title} (version {version}, specs/{api.spec_file})",
        bounds=bounds,
        seed=seed,
        smoke=tuple(smoke.steps),
        operations=contract.operations,
        phases=contract.phases,
        skipped=contract.skipped,
        violations=(*smoke.violations, *contract.violations),
        errors=contract.errors,
        notes=tuple(smoke.notes),
    )
