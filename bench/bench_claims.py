"""Claim-checker benchmark: check the longest sample article, warm (target <= 1 s).

Run: .venv/bin/python bench/bench_claims.py [STORE]
Without STORE, builds a store from ../shared/data/sipri_arms_transfers in a temp folder.
Prints extraction time alone and the full check (extraction, evidence, verdicts) per release.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TARGET_S = 1.0


def timeit(fn, n: int = 10) -> tuple[float, float]:
    fn()  # warm: release context, entity lexicon, DuckDB caches
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def run(store: Path) -> None:
    import duckdb

    from armatlas.claims import check_article, extract_claims, read_article

    articles = sorted((SHARED / "articles").glob("*.txt"), key=lambda p: p.stat().st_size)
    longest = articles[-1]
    art = read_article(str(longest))
    con = duckdb.connect(str(store), read_only=True)
    print(f"longest article: {longest.name} ({len(art.body):,} characters)")
    best, med = timeit(lambda: extract_claims(art))
    print(f"extraction only: best {best * 1000:.1f} ms, median {med * 1000:.1f} ms")
    for release in (None, "2024-04-13"):
        best, med = timeit(lambda: check_article(con, art, release=release))
        ok = "OK" if med <= TARGET_S else "SLOW"
        print(f"full check, release {release or 'newest'}: best {best * 1000:.0f} ms, "
              f"median {med * 1000:.0f} ms (target <= {TARGET_S * 1000:.0f} ms) {ok}")
    for a in articles:
        best, med = timeit(lambda: check_article(con, read_article(str(a))), n=3)
        print(f"  {a.name}: median {med * 1000:.0f} ms")


def main() -> None:
    if len(sys.argv) > 1:
        run(Path(sys.argv[1]))
        return
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_file

    with tempfile.TemporaryDirectory() as d:
        store = Path(d) / "armatlas.duckdb"
        con = connect(store)
        for f in sorted((SHARED / "data" / "sipri_arms_transfers").glob("*.csv")):
            ingest_file(con, f)
        con.close()
        run(store)


if __name__ == "__main__":
    main()
