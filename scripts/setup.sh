#!/usr/bin/env bash
# Create .venv and install armatlas with its pinned dependencies (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.armatlas-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  # pip's notes about package mirrors this machine may not have are dropped; with pipefail a
  # failing pip still fails the script.
  pipq() { .venv/bin/python -m pip install -q "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }; }
  pipq --upgrade pip
  pipq -e ".[test]"
  touch "$stamp"
fi
