#!/usr/bin/env bash
# Serve the simulator on its default embedded world: bash scripts/serve.sh [fleetmock serve options]
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" ""
exec fleetmock serve "$@"
