#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite against the real data in ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export ARMATLAS_SHARED=${ARMATLAS_SHARED:-$(cd .. && pwd)/shared}
exec .venv/bin/python -m pytest -q "$@"
