#!/usr/bin/env bash
# Lint, format check and type check, as CI runs them (after `bash scripts/setup.sh dev`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
.venv/bin/ruff check src tests bench tools
.venv/bin/ruff format --check src tests bench tools
.venv/bin/mypy
