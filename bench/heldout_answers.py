"""Fill the held-out annotations' answers, computed without the claim checker.

Run: .venv/bin/python bench/heldout_answers.py [STORE] [--annotations bench/heldout/annotations.json]

Transfers: plain SQL sums over the store's delivery rows of the release (the register rows as
ingested; regions from the entity register, as SIPRI's arms-transfer fact sheets group them).
Spending: the milex workbook read with openpyxl, cell by cell (country sheets grouped by SIPRI's
region header rows, and the 'Regional totals' sheet). Arms-industry sales: the Top 100 workbook read
cell by cell (ranked companies only; a change is the year's companies against their own sales the year
before at the year's prices, SIPRI's rule). Expected verdicts use an expert's rounding
rule, written here once: shares and changes within 1 point (a tenth of figures under 10),
changes of 100% or more within 10%, spending levels within 3%, ranks exact; a value within one
and a half times that is accepted either way.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARMATLAS_SHARED", REPO.parent / "shared"))
NEWEST = "2026-05-18"
LAYOUT = {"2024-04-13": "delivery_years", "2026-05-18": "web_register"}


def _regions() -> dict[str, tuple[str, str]]:
    rows = csv.DictReader((REPO / "src/armatlas/entities/entities.csv").open(encoding="utf-8"))
    return {r["entity_id"]: (r["region"], r["subregion"]) for r in rows}


class Transfers:
    """Deliveries of one release as (supplier, recipient, year) -> TIV."""

    def __init__(self, con: Any, release: str) -> None:
        sid = con.execute(
            "SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = ?", [release, LAYOUT[release]]
        ).fetchone()[0]
        self.rows = con.execute(
            """SELECT d.supplier_id, d.recipient_id, v.year, sum(v.tiv) FROM delivery v JOIN deal d
               USING (deal_key) WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.tiv IS NOT NULL
               GROUP BY ALL""",
            [sid, sid],
        ).fetchall()
        self.last = max(r[2] for r in self.rows)
        self.reg = _regions()

    def members(self, ent: str) -> set[str]:
        if ent.startswith("region:"):
            return {e for e, (r, _) in self.reg.items() if r == ent[7:]}
        if ent.startswith("subregion:"):
            return {e for e, (_, s) in self.reg.items() if s == ent[10:]}
        return {ent}

    def tiv(self, years: range, sup: set[str] | None = None, rec: set[str] | None = None) -> float:
        return sum(
            t
            for s, r, y, t in self.rows
            if y in years and (sup is None or s in sup) and (rec is None or r in rec)
        )

    def by(self, years: range, role: int, other: set[str] | None = None) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for row in self.rows:
            if row[2] in years and (other is None or row[1 - role] in other):
                out[row[role]] += row[3]
        return out


def _years(p: str) -> range:
    a, _, b = p.partition("-")
    return range(int(a), int(b or a) + 1)


def _rank(totals: dict[str, float], ent: str) -> int | None:
    order = sorted(totals, key=lambda k: -totals[k])
    return order.index(ent) + 1 if ent in order else None


def transfers_answer(t: Transfers, c: dict) -> tuple[Any, str | None]:
    ps = [_years(p) for p in c["periods"]]
    if any(p.stop - 1 > t.last for p in ps):
        return None, f"period {c['periods']} outside the release (last year {t.last})"
    role = 0 if c["direction"] == "export" else 1
    subj = set().union(*(t.members(s) for s in c["subject"])) if c["subject"] != ["WORLD"] else None
    k = c["type"]
    if k == "global_share":
        tot = t.tiv(ps[-1])
        part = t.tiv(ps[-1], sup=subj) if role == 0 else t.tiv(ps[-1], rec=subj)
        return 100 * part / tot, None
    if k == "supplier_share":
        return 100 * t.tiv(ps[-1], sup=t.members(c["partner"]), rec=subj) / t.tiv(ps[-1], rec=subj), None
    if k == "recipient_share":
        return 100 * t.tiv(ps[-1], sup=subj, rec=t.members(c["partner"])) / t.tiv(ps[-1], sup=subj), None
    if k in ("change", "world_change"):
        part = t.members(c["partner"]) if c.get("partner") else None
        if role == 0:
            a, b = t.tiv(ps[0], sup=subj, rec=part), t.tiv(ps[-1], sup=subj, rec=part)
        else:
            a, b = t.tiv(ps[0], rec=subj, sup=part), t.tiv(ps[-1], rec=subj, sup=part)
        return (100 * (b / a - 1) if a else None), None
    if k == "share_change":
        tot0, tot1 = t.tiv(ps[0]), t.tiv(ps[-1])
        f = (lambda p: t.tiv(p, sup=subj)) if role == 0 else (lambda p: t.tiv(p, rec=subj))
        return 100 * (f(ps[-1]) / tot1 - f(ps[0]) / tot0), None
    if k == "rank" and c["scope"] in ("supplier_of", "recipient_of"):
        tot = t.by(ps[-1], 0 if c["scope"] == "supplier_of" else 1, t.members(c["partner"]))
    elif k == "region_rank":
        mem = t.members(c["partner"])
        tot = {e: v for e, v in t.by(ps[-1], role).items() if e in mem}
    elif k == "rank":
        tot = t.by(ps[-1], role)
    if k in ("rank", "region_rank"):
        if c["relation"] in ("top_n", "ordered"):
            return {s: _rank(tot, s) for s in c["subject"]}, None
        return _rank(tot, c["subject"][0]), None
    if k == "supplier_count":
        return float(len(t.by(ps[-1], 0, subj))), None
    if k == "exports_reach":
        return float(len({r for s, r, y, _ in t.rows if subj and s in subj and y in ps[-1]})), None
    return None, f"no independent computation for {k}"


class Milex:
    """The workbook's cells: (sheet, name) -> {year: value}, SIPRI regions, regional totals."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        self.cells: dict[tuple[str, str], dict[int, float]] = {}
        self.region_of: dict[str, set[str]] = defaultdict(set)
        tops: set[str] = set()
        rt = list(wb["Regional totals"].iter_rows(values_only=True))
        head = next(i for i, r in enumerate(rt) if r[0] == "Region")
        years = rt[head]
        self.totals: dict[str, dict[Any, float]] = {}
        for r in rt[head + 1 :]:
            if r[0]:
                self.totals[r[0]] = {
                    (int(y) if isinstance(y, float) else y): v
                    for y, v in zip(years[1:], r[1:], strict=False)
                    if y
                }
        for name in ("Current US$", "Constant (2023) US$", "Share of GDP"):
            rows = list(wb[name].iter_rows(values_only=True))
            h = next(i for i, r in enumerate(rows) if r and r[0] == "Country")
            ycols = {i: int(v) for i, v in enumerate(rows[h]) if isinstance(v, (int, float))}
            region = sub = None
            for r in rows[h + 1 :]:
                if not r or not r[0]:
                    continue
                if all(v in (None, "") for v in r[1:]):
                    if r[0] in self.totals and r[0] in (
                        "Africa",
                        "Americas",
                        "Asia & Oceania",
                        "Europe",
                        "Middle East",
                    ):
                        region, sub = r[0], None
                        tops.add(r[0])
                    else:
                        sub = r[0]
                    continue
                self.region_of[region].add(r[0])
                if sub:
                    self.region_of[sub].add(r[0])
                self.cells[(name, r[0])] = {
                    y: r[i] for i, y in ycols.items() if i < len(r) and isinstance(r[i], (int, float))
                }

    def group_current(self, name: str, year: int) -> float:
        """SIPRI's regional total in current US$ bn: the workbook's own figure for its last year,
        else its constant-price total scaled by the members' current/constant ratio that year."""
        t = self.totals[name]
        if f"{year} (current prices)" in t:
            return t[f"{year} (current prices)"]
        mem = self.region_of[name] if name != "World" else {n for (s, n) in self.cells if s == "Current US$"}
        both = [(self.value("Current US$", n, year), self.value("Constant (2023) US$", n, year)) for n in mem]
        both = [(a, b) for a, b in both if a and b]
        return t[year] * sum(a for a, _ in both) / sum(b for _, b in both)

    def value(self, sheet: str, name: str, year: int) -> float | None:
        return self.cells.get((sheet, name), {}).get(year)


NAMES = {
    "united-states": "United States of America",
    "saudi-arabia": "Saudi Arabia",
    "south-africa": "South Africa",
    "south-korea": "Korea, South",
    "WORLD": "World",
}


def _name(e: str) -> str:
    if e.startswith(("region:", "subregion:")):
        return e.partition(":")[2]
    return NAMES.get(e, e.replace("-", " ").title())


def milex_answer(m: Milex, c: dict) -> tuple[Any, str | None]:
    k, ys = c["type"], [int(p) for p in c["periods"]]
    name = _name(c["subject"][0]) if len(c["subject"]) == 1 else None
    group = name in m.totals
    if k == "milex_level" and name:
        if group:
            return m.group_current(name, ys[-1]), None
        v = m.value("Current US$", name, ys[-1])
        return (v / 1000 if v is not None else None), None
    if k == "milex_change" and name and len(ys) == 2:
        if group:
            a, b = m.totals[name].get(ys[0]), m.totals[name].get(ys[1])
        else:
            a, b = (m.value("Constant (2023) US$", name, y) for y in ys)
        return (100 * (b / a - 1) if a and b else None), None
    if k == "milex_share" and group:
        return 100 * m.group_current(name, ys[-1]) / m.group_current("World", ys[-1]), None
    if k == "milex_rank":
        scope = c.get("scope")
        pool = m.region_of[_name(scope)] if scope else {n for (s, n) in m.cells if s == "Current US$"}
        tot = {n: m.value("Current US$", n, ys[-1]) or 0 for n in pool}
        order = sorted(tot, key=lambda n: -tot[n])
        got = {e: order.index(_name(e)) + 1 if _name(e) in order else None for e in c["subject"]}
        return (got if len(got) > 1 else next(iter(got.values()))), None
    if k == "milex_burden" and name and not group and len(ys) == 1:
        v = m.value("Share of GDP", name, ys[-1])
        return (100 * v if v is not None else None), None
    if k == "milex_burden" and name and not group:
        a, b = (m.value("Share of GDP", name, y) for y in ys)
        return (100 * (b - a) if a is not None and b is not None else None), None
    return None, f"no independent computation for {k}"


class Top100:
    """The SIPRI Top 100 workbook read cell by cell: per year, the ranked companies' rows by header name."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        self.rows: dict[int, list[dict[str, Any]]] = {}
        for name in wb.sheetnames:
            if not name.strip().isdigit():
                continue
            year, rows = int(name), list(wb[name].iter_rows(values_only=True))
            h = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("Rank"))
            head = [str(x or "").lower() for x in rows[h]]

            def col(*words: str, head: list[str] = head) -> int | None:
                return next((i for i, x in enumerate(head) if all(w in x for w in words)), None)

            sales, prev = col("arms sales", str(year)), col("arms sales", str(year - 1), "constant")
            country = col("country")
            self.rows[year] = [  # ranked companies only: 'S' rows are subsidiaries, counted in their parent
                {"country": r[country], "sales": r[sales], "prev": r[prev] if prev is not None else None}
                for r in rows[h + 1 :]
                if isinstance(r[0], int)
            ]
        europe = {n for e, n in _entity_names().items() if _regions().get(e, ("",))[0] == "Europe"}
        self.groups = {"WORLD": None, "region:Europe": (europe - {"Russia"}) | {"Trans-European"}}

    def _pick(self, year: int, subject: str) -> list[dict[str, Any]]:
        if subject in self.groups:
            names = self.groups[subject]
        else:
            names = {_entity_names().get(subject, subject)}
        return [r for r in self.rows[year] if names is None or r["country"] in names]

    def answer(self, c: dict) -> tuple[Any, str | None]:
        k, year = c["type"], int(c["periods"][-1])
        if year not in self.rows:
            return None, f"year {year} outside the Top 100 workbook"
        num = lambda v: v if isinstance(v, (int, float)) else 0.0  # noqa: E731
        part = self._pick(year, c["subject"][0])
        if k == "industry_sales":
            return sum(num(r["sales"]) for r in part) / 1000, None
        if k == "industry_share":
            whole = sum(num(r["sales"]) for r in self.rows[year])
            return 100 * sum(num(r["sales"]) for r in part) / whole, None
        if k == "industry_change":  # SIPRI's rule: the year's companies against their year before
            both = [r for r in part if all(isinstance(r[x], (int, float)) for x in ("sales", "prev"))]
            return 100 * (sum(r["sales"] for r in both) / sum(r["prev"] for r in both) - 1), None
        return None, f"no independent computation for {k}"


def _entity_names() -> dict[str, str]:
    rows = csv.DictReader((REPO / "src/armatlas/entities/entities.csv").open(encoding="utf-8"))
    return {r["entity_id"]: r["name"] for r in rows}


def expected(c: dict, got: Any, why: str | None) -> list[str]:
    if c.get("note", "") and "no verdict is expected" in c["note"]:
        return []
    if why or got is None:
        return ["not checkable"] if why and "outside" in why else []
    v, rel = c["value"], c["relation"]
    if isinstance(got, dict):
        if rel == "top_n":
            return ["consistent" if all(r and r <= v for r in got.values()) else "inconsistent"]
        ranks = list(got.values())
        ok = ranks == list(range(v or 1, (v or 1) + len(ranks)))
        return ["consistent" if ok else "inconsistent"]
    if rel in ("rising", "falling"):
        return ["consistent" if (got > 0) == (rel == "rising") else "inconsistent"]
    if v is None:
        return []
    if c["type"] in ("rank", "region_rank", "milex_rank", "exports_reach", "supplier_count"):
        if rel in ("gt", "gte"):
            return ["consistent" if got >= v else "inconsistent"]
        return ["consistent" if round(got) == v else "inconsistent"]
    if c.get("tolerance_range"):
        lo, hi = c["tolerance_range"]
        tol = (hi - lo) / 2 or 1
        d = max(lo - got, got - hi, 0)
    else:
        if c["type"] == "milex_level":
            tol = 0.03 * abs(v)
        elif abs(v) >= 100:
            tol = 0.1 * abs(v)
        else:  # a point, or a tenth of a small figure (2.2% of world spending is not 3.1%)
            tol = max(0.05, min(1.0, 0.1 * abs(v)))
        d = abs(got - v)
        if rel == "gt":
            d = max(v - got, 0)
    if d <= tol:
        return ["consistent"]
    if d <= 1.5 * tol:
        return ["consistent", "inconsistent"]
    return ["inconsistent"]


def main() -> None:
    import duckdb

    ap = argparse.ArgumentParser()
    ap.add_argument(
        "store",
        nargs="?",
        default=str(Path(os.environ.get("ARMATLAS_HOME", "~/.armatlas")).expanduser() / "armatlas.duckdb"),
    )
    ap.add_argument("--annotations", default=str(REPO / "bench/heldout/annotations.json"))
    args = ap.parse_args()
    con = duckdb.connect(args.store, read_only=True)
    data = json.loads(Path(args.annotations).read_text(encoding="utf-8"))
    transfers = {r: Transfers(con, r) for r in LAYOUT}
    milex = Milex(next((SHARED / "data/sipri_milex").glob("*.xlsx")))
    top100 = Top100(next((SHARED / "data/sipri_arms_industry").glob("*.xlsx")))
    for art in data["articles"]:
        for c in art["claims"]:
            c["answers"] = {}
            for key, rel in (("nearest", art["nearest_release"]), ("default", NEWEST)):
                if c["domain"] == "industry":
                    got, why = top100.answer(c)
                    rel = "top100 2002-2018"
                elif c["domain"] == "milex":
                    got, why = milex_answer(milex, c)
                    rel = "milex 1949-2024"
                elif rel in transfers:
                    got, why = transfers_answer(transfers[rel], c)
                else:
                    got, why = None, f"release {rel} holds totals only; not recomputed here"
                if isinstance(got, float):
                    got = round(got, 3)
                want = expected(c, got, why)
                c["answers"][key] = {
                    "release": rel,
                    "computed": got,
                    "why_none": why,
                    "expected_verdict": want[0] if want else None,
                    "acceptable_verdicts": want,
                }
    Path(args.annotations).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
