"""Timings for issue 4: workbook ingest (target <= 3 s), 10k-draw sensitivity (target <= 2 s)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(os.environ.get("ARMATLAS_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data"


def main() -> int:
    from armatlas.analysis.militarisation import sensitivity
    from armatlas.store.db import connect
    from armatlas.store.spending_ingest import ingest_milex, ingest_worldbank

    with tempfile.TemporaryDirectory() as d:
        con = connect(Path(d) / "bench.duckdb")
        t = time.perf_counter()
        ingest_milex(con, next((DATA / "sipri_milex").glob("*.xlsx")))
        ingest = time.perf_counter() - t
        for f in sorted((DATA / "worldbank_wdi").glob("API_*.csv")):
            ingest_worldbank(con, f)
        sensitivity(con, n_draws=100)  # warm-up
        runs = []
        for seed in range(3):
            t = time.perf_counter()
            res = sensitivity(con, n_draws=10_000, seed=seed)
            runs.append(time.perf_counter() - t)
        con.close()
    print(f"workbook ingest: {ingest:.2f} s (target 3 s)")
    print(
        f"sensitivity 10,000 draws x {len(res)} countries, year {res.params['year']}: "
        f"best {min(runs):.3f} s, worst {max(runs):.3f} s (target 2 s)"
    )
    return 0 if ingest <= 3 and max(runs) <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
