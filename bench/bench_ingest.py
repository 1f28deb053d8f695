"""Ingest benchmark: the 2026 register into a fresh store, against a bare DuckDB read_csv.

Run: .venv/bin/python bench/bench_ingest.py [--repeat 3]
Prints wall time and peak memory (each run in a fresh subprocess) and the ratio to a bare
`read_csv` scan of the same file in the same run. The bare scan is not a correct read: with
default options it does not see the preamble, the unnamed flag columns or cp1252, so it
is a lower bound, not an equivalent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILE = REPO.parent / "shared" / "data" / "sipri_arms_transfers" / "trade-register_all-to-all_generated-2026-05-18.csv"

CHILD_INGEST = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_file
from armatlas.entities.register import load_register
from armatlas.categories import load_descriptions
load_register(); load_descriptions()
t1 = time.perf_counter()
con = connect(sys.argv[1])
r = ingest_file(con, sys.argv[2])
con.close()
t2 = time.perf_counter()
print(json.dumps({"wall": t2 - t0, "ingest": t2 - t1, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "records": r.records}))
"""

CHILD_BARE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import duckdb
t1 = time.perf_counter()
con = duckdb.connect()
try:  # default options, as a user would first try
    n = con.execute("SELECT count(*) FROM read_csv(?)", [sys.argv[1]]).fetchall()[0][0]
    default = f"{n} rows"
except duckdb.Error as exc:
    default = "error: " + str(exc).splitlines()[0][:120]
t2 = time.perf_counter()
# the same scan told about the preamble and the encoding: a lower bound for a faithful read
n = con.execute("SELECT count(*) FROM read_csv(?, skip=11, header=true, encoding='latin-1', all_varchar=true)",
                [sys.argv[1]]).fetchall()[0][0]
t3 = time.perf_counter()
print(json.dumps({"wall": (t1 - t0) + (t3 - t2), "scan": t3 - t2, "default": default,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "records": n}))
"""


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ingests, bares = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as d:
            ingests.append(run(CHILD_INGEST, str(Path(d) / "b.duckdb"), str(FILE)))
        bares.append(run(CHILD_BARE, str(FILE)))
    best_i = min(ingests, key=lambda r: r["wall"])
    best_b = min(bares, key=lambda r: r["wall"])
    print(f"file: {FILE.name} ({FILE.stat().st_size:,} bytes)")
    print(f"armatlas ingest : {best_i['wall']:.2f} s with imports, {best_i['ingest']:.2f} s ingest alone, "
          f"peak {best_i['peak_mb']:.0f} MB, {best_i['records']:,} deals  [target <= 2 s, <= 500 MB]")
    print(f"bare read_csv, default options: {best_b['default']}")
    print(f"bare read_csv, skip=11 latin-1: {best_b['scan']:.2f} s scan, peak {best_b['peak_mb']:.0f} MB, "
          f"{best_b['records']:,} rows (flags unread, '0' not told from empty, no checks)")
    print(f"ratio ingest / bare scan: {best_i['ingest'] / best_b['scan']:.1f}x (ingest alone), "
          f"{best_i['wall'] / best_b['wall']:.1f}x (with imports)")


if __name__ == "__main__":
    main()
