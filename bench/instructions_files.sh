#!/usr/bin/env bash
# Instructions of one cold 2-year daily driver ZIP (bench/cold_zip_once.py), counted by callgrind: the difference
# between a process that builds it twice and one that builds it once (start-up and the first run's warm-up cancel).
# Installs valgrind from Debian if missing and uses the project's .venv (scripts/bootstrap.sh); takes a few minutes.
# Run: bash bench/instructions_files.sh
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=apt.sh
source "$BENCH/apt.sh"
if ! command -v valgrind >/dev/null 2>&1; then
  echo "instructions_files.sh: installing valgrind (Debian package)" >&2
  apt_install valgrind
fi
# shellcheck source=../scripts/bootstrap.sh
source "$BENCH/../scripts/bootstrap.sh" ""
cd "$BENCH"
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null python cold_zip_once.py "$1" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
once=$(count 1) && twice=$(count 2)
echo "one cold 2-year daily driver ZIP: $(( (twice - once) / 1000000 )) M instructions"
