#!/usr/bin/env bash
# The console's browser tests drive Chromium with Playwright and Firefox over WebDriver BiDi (tests/browser/bidi.py).
# Playwright's own browser downloads are not reachable from every machine, so the tests use the OS packages
# `chromium` and `firefox-esr` (or the browsers named by FLEETMOCK_CHROMIUM / FLEETMOCK_FIREFOX): install what is
# missing (Debian or Ubuntu, as root or through sudo). Quiet when both are already there.
set -euo pipefail
missing=()
# have VAR candidate... : the browser named by $VAR, or one of the commands, is there
have() {
  local named="${!1:-}"; shift
  if [ -n "$named" ]; then
    [ -x "$named" ] && return 0
    echo "install-browser: $named (from the environment) is not an executable" >&2; exit 1
  fi
  for candidate in "$@"; do command -v "$candidate" >/dev/null 2>&1 && return 0; done
  return 1
}
have FLEETMOCK_CHROMIUM chromium chromium-browser || missing+=(chromium)
have FLEETMOCK_FIREFOX firefox-esr firefox || missing+=(firefox-esr)
[ "${#missing[@]}" -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no ${missing[*]} found and no apt-get to install it; set FLEETMOCK_CHROMIUM/FLEETMOCK_FIREFOX" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "install-browser: installing ${missing[*]} for the browser tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-browser: $(chromium --version 2>/dev/null || true) $(firefox-esr --version 2>/dev/null || true)"
