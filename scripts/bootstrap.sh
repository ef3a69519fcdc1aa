# Sourced by serve.sh and test.sh: make .venv with the project installed (idempotent, quiet when up to date).
# The first install takes about a minute: it says so, then pip shows each package as it comes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FLEETMOCK_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
EXTRAS="${1:-}"
STAMP="$VENV/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "fleetmock: creating $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  echo "fleetmock: installing fleetmock${EXTRAS:+[$EXTRAS]} and its dependencies into $VENV (about a minute the first time)..." >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --progress-bar on -e "$ROOT${EXTRAS:+[$EXTRAS]}" >&2
  touch "$STAMP"
  echo "fleetmock: installed. For the fleetmock command in your shell: . $VENV/bin/activate" >&2
fi
export PATH="$VENV/bin:$PATH"
