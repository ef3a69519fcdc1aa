#!/usr/bin/env bash
# Run every check: ruff, mypy, and the test suite (unit, property, Schemathesis, live loopback).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" "test"
cd "$ROOT"
echo "== ruff"; ruff check mockserver contracts fleetmock_resources tests bench
echo "== mypy"; mypy
echo "== pytest"; pytest -n "${PYTEST_WORKERS:-2}" "$@"
