"""Register look-ups, timed against a plain dict look-up in the same run (the timing asserts that
used to live in the tests): categorising every description of the 2026 register (target: under
50 ms for ~30,000 calls) and loading the entity register (target: under 50 ms).

Run: .venv/bin/python bench/bench_lookups.py
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

SHARED = Path(os.environ.get("ARMATLAS_SHARED", Path(__file__).resolve().parents[2] / "shared"))
REGISTER = SHARED / "data" / "sipri_arms_transfers" / "trade-register_all-to-all_generated-2026-05-18.csv"


def descriptions() -> list[str]:
    """The 'Weapon description' column, read with the csv module (no armatlas code)."""
    with REGISTER.open(encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f))
    start = next(i for i, r in enumerate(rows) if "Weapon description" in r)
    col = rows[start].index("Weapon description")
    return [r[col] for r in rows[start + 1 :] if len(r) > col]


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    from armatlas.categories.mapping import categorise
    from armatlas.entities.register import load_register

    descs = descriptions()
    categorise(descs[0])  # load the mapping CSV outside the timing
    table = {d: d for d in descs}
    base = best(lambda: [table[d] for d in descs])
    cat = best(lambda: [categorise(d) for d in descs])

    def load() -> None:
        load_register.cache_clear()
        load_register()

    reg = best(load)
    print(
        f"{len(descs):,} descriptions: categorise {cat * 1000:.1f} ms "
        f"({cat / base:.1f}x a dict look-up of the same strings; target < 50 ms)"
    )
    print(f"entity register load: {reg * 1000:.1f} ms (target < 50 ms)")
    return 0 if cat < 0.05 and reg < 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
