"""Warm profile of a different country each call vs one hand-written supplier-share query
(issue 12 target: profile <= 3x the query), both on the same store in the same run.

Run: .venv/bin/python bench/bench_profile_ratio.py   (store in ARMATLAS_HOME, built by `armatlas ingest`)
"""

from __future__ import annotations

import statistics
import sys
import time

# One importer's supplier shares over a 5-year period, written by hand over the register rows.
SHARE_SQL = """
SELECT d.supplier_id, sum(v.tiv) / sum(sum(v.tiv)) OVER () AS share
FROM delivery v JOIN deal d USING (deal_key)
WHERE d.snapshot_id = ? AND d.recipient_id = ? AND v.year BETWEEN 2021 AND 2025
GROUP BY d.supplier_id ORDER BY share DESC, d.supplier_id
"""


def main() -> int:
    from armatlas.atlas import open_atlas
    from armatlas.store.releases import pick_release, register_snapshot

    atlas = open_atlas()
    con = atlas.con
    release = pick_release(con, None, need="register")
    sid = register_snapshot(con, release).snapshot_id
    countries = [
        r[0]
        for r in con.execute(
            "SELECT d.recipient_id FROM delivery v JOIN deal d USING (deal_key) WHERE d.snapshot_id = ? "
            "AND v.year BETWEEN 2021 AND 2025 GROUP BY 1 ORDER BY sum(v.tiv) DESC, 1 LIMIT 41",
            [sid],
        ).fetchall()
    ]
    atlas.profile(countries[0])  # warm: imports, release context, world totals
    queries, profiles = [], []
    for c in countries[1:]:
        t = time.perf_counter()
        con.execute(SHARE_SQL, [sid, c]).fetchall()
        queries.append(time.perf_counter() - t)
        t = time.perf_counter()
        atlas.profile(c)
        profiles.append(time.perf_counter() - t)
    q, p = statistics.median(queries), statistics.median(profiles)
    print(f"{len(profiles)} countries, release {release}")
    print(f"hand-written supplier-share query: median {q * 1000:.1f} ms")
    print(
        f"warm profile, a new country each call: median {p * 1000:.1f} ms, best {min(profiles) * 1000:.1f} ms"
    )
    print(f"ratio profile / query: {p / q:.1f}x  [target <= 3x]")
    atlas.close()
    return 0 if p / q <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
