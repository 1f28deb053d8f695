"""Where armatlas keeps its data: one home folder with the store and raw snapshots."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "ARMATLAS_HOME"


def home() -> Path:
    """The data folder: $ARMATLAS_HOME, else ~/.armatlas."""
    return Path(os.environ.get(ENV_HOME) or Path.home() / ".armatlas")


def store_path() -> Path:
    return home() / "armatlas.duckdb"


def snapshot_root() -> Path:
    """Immutable raw downloads: <home>/snapshots/<source>/<date>/<file> + meta.json."""
    return home() / "snapshots"
