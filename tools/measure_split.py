"""Measure per-year split rules against the publisher's exact per-year rows.

The tidy 2024 register (delivery years only) and the April 2024 delivery-year register hold
the same deals. Every candidate rule splits the tidy register's deals; the result is compared
with the exact rows by supplier, recipient and year (1990-2023), by world year, and by
country for the 5-year periods. The rule kept in `sources/sipri_transfers/split.py`
(`CHOSEN`) is the one that misplaces the least TIV. The `ends` weights are fitted on the
exact register's deals with an even key and scored on its odd ones ("odd" column: the exact
register's own deals split by the rule, against their own rows), so that score is out of sample.

    PYTHONPATH=src python tools/measure_split.py [STORE]   # a store with both files ingested
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import duckdb

from armatlas.sources.sipri_transfers.split import CHOSEN, split_weighted

Key = tuple[str, str, int]


def _even(k: int) -> list[float]:
    return [1.0] * k


def _ends(first: float, last: float) -> Callable[[int], list[float]]:
    return lambda k: [1.0] * k if k < 3 else [first] + [1.0] * (k - 2) + [last]


def _middle(k: int) -> list[float]:
    # remainder to the middle years: a tiny bump on the centre
    return [1.0 + 1e-6 * (k - abs(i - (k - 1) / 2)) for i in range(k)]


CANDIDATES: dict[str, tuple[Callable[[int], list[float]], bool]] = {
    "even, remainder to earliest (rule before 2026-12)": (_even, True),
    "even, remainder to latest": (_even, False),
    "even, remainder to the middle": (_middle, False),
}


def _snapshots(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    tidy = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE layout = 'tidy_register' ORDER BY sha256"
    ).fetchall()
    exact = con.execute("""SELECT snapshot_id FROM snapshot WHERE layout = 'delivery_years'
                           AND scope_recipients = 'All countries' ORDER BY generated_at""").fetchall()
    if not tidy or not exact:
        sys.exit("needs a store with the tidy 2024 register and the April 2024 delivery-year register")
    return tidy[0][0], exact[0][0]


def _deals(con: duckdb.DuckDBPyConnection, sid: int) -> list[tuple]:
    return con.execute(
        """SELECT d.deal_key, d.supplier_id, d.recipient_id, d.n_delivered, d.tiv_delivered,
                  list(DISTINCT v.year ORDER BY v.year)
           FROM deal d JOIN delivery v USING (deal_key) WHERE d.snapshot_id = ? AND d.tiv_delivered IS NOT NULL
           GROUP BY ALL""",
        [sid],
    ).fetchall()


def _exact(con: duckdb.DuckDBPyConnection, sid: int, parity: int | None = None) -> dict[Key, float]:
    rows = con.execute(
        """SELECT d.supplier_id, d.recipient_id, v.year, sum(v.tiv) FROM delivery v
                          JOIN deal d USING (deal_key) WHERE d.snapshot_id = ?
                          AND (? IS NULL OR d.deal_key % 2 = ?) GROUP BY ALL""",
        [sid, parity, parity],
    ).fetchall()
    return {(s, r, y): t or 0.0 for s, r, y, t in rows}


def _exact_shape(con: duckdb.DuckDBPyConnection, sid: int, parity: int) -> tuple[float, float]:
    """Mean TIV weight of the first and last of 3+ listed years relative to the middle ones."""
    rows = con.execute(
        """SELECT deal_key, list(tiv ORDER BY year) FROM delivery WHERE snapshot_id = ?
                          AND deal_key % 2 = ? GROUP BY deal_key HAVING count(*) >= 3""",
        [sid, parity],
    ).fetchall()
    first = last = mid = 0.0
    for _k, tivs in rows:
        t = [x or 0.0 for x in tivs]
        first, last, mid = first + t[0], last + t[-1], mid + sum(t[1:-1]) / (len(t) - 2)
    return round(first / mid, 2), round(last / mid, 2)


def _split(
    deals: list[tuple], weights: Callable[[int], list[float]], earliest: bool, parity: int | None
) -> dict[Key, float]:
    out: dict[Key, float] = defaultdict(float)
    for key, sup, rec, n, tiv, years in deals:
        if parity is not None and key % 2 != parity:
            continue
        w = weights(len(years))
        if n:
            units = split_weighted(n, w, earliest=earliest)
            shares = [u / n for u in units]
        else:
            shares = [x / sum(w) for x in w]
        for y, s in zip(years, shares, strict=True):
            out[sup, rec, y] += tiv * s
    return out


def _score(est: dict[Key, float], exact: dict[Key, float]) -> dict[str, float]:
    keys = {k for k in est.keys() | exact.keys() if 1990 <= k[2] <= 2023}
    misplaced = sum(abs(est.get(k, 0.0) - exact.get(k, 0.0)) for k in keys)
    base = sum(exact.get(k, 0.0) for k in keys)

    def by(side: int | None, years: range) -> tuple[dict[str, float], dict[str, float]]:
        a: dict[str, float] = defaultdict(float)
        b: dict[str, float] = defaultdict(float)
        for src, dst in ((est, a), (exact, b)):
            for k, t in src.items():
                if k[2] in years:
                    dst["world" if side is None else k[side]] += t
        return a, b

    a, b = by(None, range(2019, 2024))
    worst = 0.0
    for side in (0, 1):
        ca, cb = by(side, range(2019, 2024))
        worst = max([worst] + [abs(ca.get(c, 0.0) / v - 1) for c, v in cb.items() if v > 1000])
    years = [by(None, range(y, y + 1)) for y in range(1995, 2024)]
    return {
        "misplaced": misplaced / base,
        "world_2019_23": a["world"] / b["world"] - 1,
        "max_year": max(abs(x["world"] / y["world"] - 1) for x, y in years),
        "worst_country_2019_23": worst,
    }


def main(store: str) -> None:
    con = duckdb.connect(store, read_only=True)
    tidy, exact_sid = _snapshots(con)
    deals, exact = _deals(con, tidy), _exact(con, exact_sid)
    exact_deals, exact_odd = _deals(con, exact_sid), _exact(con, exact_sid, parity=1)
    fitted = _exact_shape(con, exact_sid, parity=0)
    cands = dict(CANDIDATES)
    cands[f"ends {fitted[0]}/{fitted[1]} (fitted on even deals)"] = (_ends(*fitted), False)
    cands["ends 0.7/0.8 (the rule in split.py)"] = (_ends(0.7, 0.8), False)
    print(
        f"rule in use: {CHOSEN}; exact shape on even deals: first {fitted[0]}, last {fitted[1]}, "
        f"on odd deals: {_exact_shape(con, exact_sid, parity=1)}"
    )
    print(
        f"{'rule':52s} {'misplaced':>9s} {'odd':>7s} {'world 19-23':>11s} {'max year':>8s} {'worst ctry':>10s}"
    )
    for name, (w, earliest) in cands.items():
        s = _score(_split(deals, w, earliest, None), exact)
        # out of sample: the exact register's own odd deals, split by the rule, against their rows
        odd = _score(_split(exact_deals, w, earliest, 1), exact_odd)["misplaced"]
        print(
            f"{name:52s} {s['misplaced']:9.2%} {odd:7.2%} {s['world_2019_23']:+11.2%} "
            f"{s['max_year']:8.2%} {s['worst_country_2019_23']:10.2%}"
        )
    print(
        "misplaced: share of exact TIV (supplier, recipient, year 1990-2023) the rule puts in another year;\n"
        "worst ctry: largest error of a country's 2019-23 total (imports or exports) above 1,000 TIV."
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path.home() / ".armatlas" / "armatlas.duckdb"))
