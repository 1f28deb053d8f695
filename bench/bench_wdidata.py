"""World Bank bulk file benchmark: `WDIData.csv` (every indicator in one file) streamed by ingest.

Run: .venv/bin/python bench/bench_wdidata.py [--indicators 1500]
Builds a synthetic bulk file of the real shape in a temporary folder: the real API_ files of
../shared/data/worldbank_wdi reshaped (Country Name, Country Code, Indicator Name, Indicator
Code, 1960..), plus `--indicators` copies of their rows under codes armatlas does not read (the
real bulk file has ~1,500 indicators x 266 economies, ~400,000 rows). Each run is a fresh
subprocess (peak memory = its ru_maxrss). The baseline, measured in the same run, is a
subprocess that only iterates the same file with `csv.reader` (no parsing, nothing kept): what
any streaming reader must pay. Run at two sizes (10 extra indicators, and
`--indicators`); printed: file size, peak memory and time of both, the time ratio, and the
ingest's peak at the large size over the small one (the file is never held whole, so ~1x).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARMATLAS_SHARED", REPO.parent / "shared"))
WDI = SHARED / "data" / "worldbank_wdi"

CHILD_INGEST = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from armatlas.store.ingest import ingest_files
results = list(ingest_files([Path(sys.argv[2])], store=Path(sys.argv[1])))
print(json.dumps({"wall": time.perf_counter() - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "snapshots": len(results), "records": sum(r.records for r in results)}))
"""

CHILD_CSV = r"""
import csv, json, resource, sys, time
t0 = time.perf_counter()
n = 0
with open(sys.argv[1], encoding="utf-8-sig", newline="") as fh:
    for _ in csv.reader(fh):
        n += 1
print(json.dumps({"wall": time.perf_counter() - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": n}))
"""


def build(dest: Path, copies: int) -> int:
    """The bulk shape from the real API_ files, plus `copies` unread copies; returns rows."""
    blocks = []
    years: set[int] = set()
    for p in sorted(WDI.glob("API_*.csv")):
        rows = list(csv.reader(io.StringIO(p.read_bytes().decode("utf-8-sig"))))
        h = next(i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"])
        at = {int(c): i for i, c in enumerate(rows[h]) if c.isdigit()}
        years |= set(at)
        blocks.append((at, [r for r in rows[h + 1 :] if r]))
    ys = sorted(years)
    n = 0
    with dest.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, ys), ""])
        for copy in range(copies + 1):
            at, rows = blocks[copy % len(blocks)]
            for r in rows:
                code = r[3] if copy < len(blocks) else f"ZZ.BENCH.{copy}"
                w.writerow([*r[:3], code, *(r[at[y]] if y in at else "" for y in ys), ""])
                n += 1
    return n


def run(child: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run(
        [sys.executable, "-c", child, *args], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--indicators", type=int, default=1500)
    args = ap.parse_args()
    peaks = []
    for copies in (10, args.indicators):  # a small file and a bulk-sized one: the peak should not grow
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "WDIData.csv"
            rows = build(f, copies)
            base = run(CHILD_CSV, str(f))
            ing = run(CHILD_INGEST, str(Path(tmp) / "s.duckdb"), str(f))
            size = f.stat().st_size / 1e6
            peaks.append(ing["peak_mb"])
            print(f"file {size:.0f} MB, {rows:,} rows; kept {ing['snapshots']} indicators")
            print(f"  csv.reader only : {base['wall']:.1f} s, peak {base['peak_mb']:.0f} MB")
            print(f"  armatlas ingest : {ing['wall']:.1f} s, peak {ing['peak_mb']:.0f} MB")
            print(f"  ratio time {ing['wall'] / max(base['wall'], 1e-3):.2f}x")
    print(f"ingest peak, bulk-sized file / small file: {peaks[1] / peaks[0]:.2f}x")


if __name__ == "__main__":
    main()
