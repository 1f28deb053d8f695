#!/usr/bin/env bash
# Create .venv and install armatlas from a lock file (idempotent).
#   bash scripts/setup.sh          # runtime only: what `profile`, `check` and the Python API need
#   bash scripts/setup.sh dev      # + web, report, dataframes, tests, ruff, mypy
# The lock files pin the versions tested together; regenerate them with
#   uv pip compile pyproject.toml --python-version 3.11 -o requirements/runtime.lock
#   uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.lock
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
profile=${1:-runtime}
lock=requirements/$profile.lock
[ -f "$lock" ] || { echo "setup: no lock file $lock (use runtime or dev)" >&2; exit 2; }
fresh() { [ -f "$1" ] && [ ! "$lock" -nt "$1" ] && [ ! pyproject.toml -nt "$1" ]; }
# The dev environment contains the runtime one.
if fresh ".venv/.armatlas-$profile" || { [ "$profile" = runtime ] && fresh .venv/.armatlas-dev; }; then
  exit 0
fi
say() { echo "armatlas setup: $*" >&2; }
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $("$PY" --version 2>&1)"
  "$PY" -m venv .venv
fi
# pip's notes about package mirrors this machine may not have are dropped; with pipefail a
# failing pip still fails the script.
pipq() { .venv/bin/python -m pip install -q --disable-pip-version-check "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }; }
say "installing $(grep -c '==' "$lock") pinned packages from $lock"
pipq -r "$lock"
say "installing armatlas (editable)"
pipq --no-deps -e .
touch ".venv/.armatlas-$profile"
say "done"
