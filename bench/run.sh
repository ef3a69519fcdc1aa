#!/usr/bin/env bash
# The foundation benchmark in one command: bash bench/run.sh
#
# Installs what is missing (wrk from Debian, Prism 5.14.2 from npm under bench/node_modules), then runs
#   bench_http.py     fleetmock vs `prism mock specs/tachoshare.yaml` vs a raw ASGI hello-world, wrk -t2 -c16 -d10s
#   bench_startup.py  time to ready, 10,000-vehicle world load time and RSS
#   bench_engine.py   issue 13: fresh credentials per request (no read-cache hit), --rate 60, one run per row with
#                     its ratio to Prism -v error on the same route, and the read cache beside the ASGI hello-world
#   bench_scale.py    issue 13: 10,000- and 100,000-vehicle servers: ready, first byte and last byte of the lists, RSS
#   bench_state.py    issue 12: memory, SQLite and PostgreSQL state in one interleaved run (read p99 with the
#                     generation check, RDL writes); BENCH_STATE=0 leaves it out
# and writes bench/RESULTS.md. Every server listens on 127.0.0.1 only and is stopped by the scripts.
#
# Environment: BENCH_PYTHON=/path/to/python to use an existing environment with fleetmock installed (default: the
# project's .venv via scripts/bootstrap.sh); BENCH_ROUNDS (default 3) rounds of the HTTP benchmark, median reported;
# BENCH_OUT (default bench/RESULTS.md) where the report goes.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
ROUNDS="${BENCH_ROUNDS:-3}"
OUT="${BENCH_OUT:-$BENCH/RESULTS.md}"

# shellcheck source=apt.sh
source "$BENCH/apt.sh"

if ! command -v wrk >/dev/null 2>&1; then
  echo "run.sh: installing wrk (Debian package)" >&2
  apt_install wrk
fi
if [ ! -x "$BENCH/node_modules/.bin/prism" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "run.sh: installing npm (Debian package)" >&2
    apt_install npm
  fi
  echo "run.sh: installing @stoplight/prism-cli from bench/package-lock.json" >&2
  npm ci --prefix "$BENCH" --no-audit --no-fund >&2
fi

if [ -n "${BENCH_PYTHON:-}" ]; then
  PY="$BENCH_PYTHON"
else
  # shellcheck source=../scripts/bootstrap.sh
  source "$ROOT/scripts/bootstrap.sh" ""
  PY="$(command -v python)"
fi

cd "$ROOT"
mkdir -p "$BENCH/results"
http_md="$(mktemp)"
startup_md="$(mktemp)"
engine_md="$(mktemp)"
scale_md="$(mktemp)"
state_md="$(mktemp)"
trap 'rm -f "$http_md" "$startup_md" "$engine_md" "$scale_md" "$state_md"' EXIT

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" "$BENCH/bench_http.py" --rounds "$ROUNDS" --json "$BENCH/results/http.json.raw" >"$http_md"
"$PY" "$BENCH/bench_startup.py" >"$startup_md"
"$PY" "$BENCH/bench_engine.py" >"$engine_md"
"$PY" "$BENCH/bench_scale.py" >"$scale_md"
if [ "${BENCH_STATE:-1}" != 0 ]; then "$PY" "$BENCH/bench_state.py" --markdown >"$state_md"; fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

versions="$("$PY" -c 'import importlib.metadata as m, platform
print(f"Python {platform.python_version()}; " + ", ".join(
    f"{p} {m.version(p)}" for p in ("uvicorn", "uvloop", "httptools", "connexion", "starlette")))')"
{
  echo "# fleetmock benchmark results"
  echo
  echo "Written by \`bash bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')"
  commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git -C "$ROOT" status --porcelain -- mockserver specs fixtures 2>/dev/null)" ]; then
    commit="$commit plus uncommitted changes under mockserver/, specs/ or fixtures/"
  fi
  echo "(commit $commit)."
  echo
  echo "## Machine"
  echo
  echo "- \`nproc\`: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); kernel $(uname -r)"
  echo "- $versions"
  echo "- $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), node $(node --version), prism $("$BENCH/node_modules/.bin/prism" --version)"
  echo "- load average (1, 5, 15 min) before: $load_before; after: $load_after. wrk, the server under test and"
  echo "  anything else running share the $(nproc) cores, so compare rows of one run rather than runs."
  echo
  echo "## Throughput: GET /tachoshare/vehicles"
  echo
  echo "Command: \`python bench/bench_http.py --rounds $ROUNDS\` (each server alone, 2 s wrk warm-up, then"
  echo "the measured run; wrk's own output in bench/results/*.wrk.raw)."
  echo
  cat "$http_md"
  echo
  echo "## Start-up and memory"
  echo
  echo "Command: \`python bench/bench_startup.py\`."
  echo
  cat "$startup_md"
  echo
  echo "## The engine: a fresh credential per request (issue 13)"
  echo
  echo "Command: \`python bench/bench_engine.py\` (see its docstring for why no request can be a read-cache hit)."
  echo
  cat "$engine_md"
  echo
  echo "## Large worlds (issue 13)"
  echo
  echo "Command: \`python bench/bench_scale.py\` (one fresh server per size; the server's CPU time beside wall time)."
  echo
  cat "$scale_md"
  if [ -s "$state_md" ]; then
    echo
    echo "## State backends: memory, SQLite, PostgreSQL (issue 12)"
    echo
    echo "Command: \`python bench/bench_state.py --markdown\` (see its docstring: the setups run side by side, their"
    echo "requests interleaved, so each sees the same load)."
    echo
    cat "$state_md"
  fi
} >"$OUT"
echo "run.sh: wrote $OUT" >&2
cat "$OUT"
