#!/usr/bin/env bash
# The console's browser tests drive Chromium with Playwright. Playwright's own browser download is not reachable from
# every machine, so the tests use the OS package `chromium` (or the browser named by FLEETMOCK_CHROMIUM): install it
# when it is missing (Debian or Ubuntu, as root or through sudo). Quiet when it is already there.
set -euo pipefail
if [ -n "${FLEETMOCK_CHROMIUM:-}" ]; then
  [ -x "$FLEETMOCK_CHROMIUM" ] && exit 0
  echo "install-browser: FLEETMOCK_CHROMIUM=$FLEETMOCK_CHROMIUM is not an executable" >&2; exit 1
fi
for candidate in chromium chromium-browser; do
  command -v "$candidate" >/dev/null 2>&1 && exit 0
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no chromium found and no apt-get to install it; set FLEETMOCK_CHROMIUM" >&2; exit 1
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "install-browser: installing the chromium package for the browser tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "install-browser: $(chromium --version 2>/dev/null || echo chromium installed)"
