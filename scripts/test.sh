#!/usr/bin/env bash
# Run every check: ruff, mypy, and the test suite (unit, property, Schemathesis, live loopback).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" "test"
cd "$ROOT"
echo "== ruff"; ruff check mockserver contracts fleetmock_resources tests bench scripts
echo "== mypy"; mypy
echo "== browser"; bash "$ROOT/scripts/install-browser.sh"
echo "== pytest"; pytest -n "${PYTEST_WORKERS:-2}" "$@"
echo "== stress"  # issue 15: the mix that deadlocked --state servers, 30 s on each state backend (memory, SQLite, PostgreSQL from pgserver), one after another (about 2 min); progress, not speed
FLEETMOCK_STRESS_SECONDS="${FLEETMOCK_STRESS_SECONDS:-30}" pytest -q -p no:cacheprovider tests/reliability/test_lock_order.py -k progress
