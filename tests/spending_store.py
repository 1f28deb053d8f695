"""One spending store per test process (SIPRI milex workbook + every WDI file), built once."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from conftest import DATA

MILEX = next((DATA / "sipri_milex").glob("*.xlsx"), DATA / "sipri_milex" / "missing.xlsx")
WDI = DATA / "worldbank_wdi"
BICC = next((DATA / "bicc_gmi").glob("*.csv"), DATA / "bicc_gmi" / "missing.csv")


@functools.cache
def spending_store() -> Path:
    from armatlas.store.db import connect
    from armatlas.store.spending_ingest import ingest_milex, ingest_worldbank

    path = Path(tempfile.mkdtemp(prefix="armatlas-spending-")) / "armatlas.duckdb"
    con = connect(path)
    ingest_milex(con, MILEX)
    for f in sorted(WDI.glob("API_*")):
        ingest_worldbank(con, f)
    con.close()
    return path
