#!/usr/bin/env bash
# Instructions of one cold 2-year daily driver ZIP (bench/cold_zip_once.py), counted by callgrind: the difference
# between a process that builds it twice and one that builds it once (start-up and the first run's warm-up cancel).
# Needs valgrind (Debian: apt-get install valgrind); takes a few minutes. Run: bash bench/instructions_files.sh
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-../.venv/bin/python}"
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$PYTHON" cold_zip_once.py "$1" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
once=$(count 1) && twice=$(count 2)
echo "one cold 2-year daily driver ZIP: $(( (twice - once) / 1000000 )) M instructions"
