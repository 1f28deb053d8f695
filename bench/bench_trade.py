"""Trade-analytics benchmark: warm in-process profile and trends, and a cold CLI profile.

Run: .venv/bin/python bench/bench_trade.py
Builds a store from ../shared/data in a temp folder, then times (best of N, warm):
a full profile (target <= 50 ms), a trends table for all countries (<= 100 ms), and a cold
`armatlas profile` command in a fresh process (<= 1.5 s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AT = Path(os.environ.get("ARMATLAS_SHARED", REPO.parent / "shared")) / "data" / "sipri_arms_transfers"


def timeit(fn, n: int = 20) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    from armatlas.atlas import open_atlas
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_file

    with tempfile.TemporaryDirectory() as d:
        store = Path(d) / "armatlas.duckdb"
        con = connect(store)
        for f in sorted(AT.glob("*.csv")):
            ingest_file(con, f)
        con.close()
        atlas = open_atlas(store)
        for country in ("Azerbaijan", "India"):
            best, med = timeit(lambda c=country: atlas.profile(c))
            print(
                f"profile {country:<10}: best {best * 1000:.1f} ms, median {med * 1000:.1f} ms  [target <= 50 ms]"
            )
        best, med = timeit(lambda: atlas.trends(direction="import", top=None))
        print(
            f"trends all importers: best {best * 1000:.1f} ms, median {med * 1000:.1f} ms  [target <= 100 ms]"
        )
        best, med = timeit(lambda: atlas.trends(direction="export", top=None, release="2024-10-13"))
        print(f"trends all exporters (TIV tables): best {best * 1000:.1f} ms, median {med * 1000:.1f} ms")
        atlas.close()
        env = dict(os.environ, ARMATLAS_HOME=d, COLUMNS="100")
        exe = str(Path(sys.executable).parent / "armatlas")
        colds = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([exe, "profile", "Azerbaijan"], env=env, check=True, capture_output=True)
            colds.append(time.perf_counter() - t)
        print(
            f"cold `armatlas profile Azerbaijan`: best {min(colds):.2f} s, median {statistics.median(colds):.2f} s  [target <= 1.5 s]"
        )


if __name__ == "__main__":
    main()
