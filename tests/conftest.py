"""Shared fixtures: the real data snapshot in ../shared/data, never copied into the repo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARMATLAS_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"
AT = DATA / "sipri_arms_transfers"

REGISTER_2026 = AT / "trade-register_all-to-all_generated-2026-05-18.csv"
REGISTER_TIDY = AT / "trade-register_tidy-no-header_barnander_2024.csv"
REGISTER_ID_2024 = AT / "trade-register_ID-layout_all-to-all_1990-2023_generated-2024-04-13.csv"
REGISTER_ID_UKR = AT / "trade-register_ID-layout_all-to-Ukraine_2000-2024_generated-2025-02-17.csv"
TIV_IMPORTS = AT / "import-export-values_1950-2024_importers_generated-2024-10-13.csv"
TIV_EXPORTS = AT / "import-export-values_1950-2024_exporters_generated-2024-10-13.csv"


# Fixtures that stand on the real snapshot: a test using any of them is a `data` test.
DATA_FIXTURES = frozenset({"store_path", "con", "atlas"})
HAVE_DATA = DATA.is_dir()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "data: needs the real snapshot in ../shared (ARMATLAS_SHARED)")
    config.addinivalue_line("markers", "browser: drives Debian chromium through Playwright")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a data fixture; skip data tests (not the run) without the data."""
    skip = pytest.mark.skip(reason=f"real data snapshot not found at {DATA} (set ARMATLAS_SHARED)")
    for item in items:
        if DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.data)
        if not HAVE_DATA and item.get_closest_marker("data"):
            item.add_marker(skip)


class Counting:
    """A cursor that remembers the SQL it was asked to run."""

    def __init__(self, c: Any) -> None:
        self._c, self.seen = c, []

    def execute(self, sql: str, *args: Any, **kw: Any) -> Any:
        self.seen.append(sql)
        return self._c.execute(sql, *args, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._c, name)


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every source file of the snapshot (as `armatlas ingest ../shared/data`
    would build it), built once per session."""
    from armatlas.store.db import connect
    from armatlas.store.ingest import discover, ingest_path

    path = tmp_path_factory.mktemp("store") / "armatlas.duckdb"
    con = connect(path)
    files, _ = discover([DATA])
    for f in files:
        ingest_path(con, f)
    con.close()
    return path


@pytest.fixture(scope="session")
def con(store_path: Path):
    """A read-only connection to the session store."""
    import duckdb

    c = duckdb.connect(str(store_path), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="session")
def atlas(store_path: Path):
    from armatlas.atlas import open_atlas

    a = open_atlas(store_path)
    yield a
    a.close()
