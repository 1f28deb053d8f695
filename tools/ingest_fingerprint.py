"""Fingerprint what ingest makes of every real SIPRI arms-transfers file, to prove a change to
the ingest path changes nothing: `--write FILE` records, `--check FILE` compares.

For each file (the main snapshot's and the other releases' transfers CSVs, plus variants made
from the 2026 register: renamed delivered column, trailing `;`, CRLF + BOM, UTF-8, two copies
with suffixed designations, a doubled file), ingested alone into a fresh store in the tolerant
and the strict mode: the result (status, records, quarantined, derived, warnings), the snapshot
row and content digest, row counts and a sha256 of the deal, delivery, quarantine, resolution,
ingest_report and aggregate tables (ordered), the quarantine rows themselves, the derived matches,
and for a refused file the error's class, code, message and where. Then all the real files into
one store in `discover` order (same-deal matches and exact per-year rows across releases).

Run: .venv/bin/python tools/ingest_fingerprint.py --write /tmp/fp-before.json
     .venv/bin/python tools/ingest_fingerprint.py --check /tmp/fp-before.json [--file-stage]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARMATLAS_SHARED", REPO.parent / "shared"))
AT = SHARED / "data" / "sipri_arms_transfers"
OTHER = SHARED / "data-other-releases"
R2026 = AT / "trade-register_all-to-all_generated-2026-05-18.csv"
VARIANTS = Path(tempfile.gettempdir()) / "armatlas-fingerprint-variants"  # fixed: URLs are part of rows

TABLES = {  # table -> ORDER BY (every column, so the order is total)
    "deal": "deal_key",
    "delivery": "ALL",
    "quarantine": "ALL",
    "resolution": "ALL",
    "ingest_report": "ALL",
    "tiv_total": "ALL",
    "tiv_partner": "ALL",
    "agg_flow": "ALL",
    "agg_total": "ALL",
    "agg_order": "ALL",
    "agg_state": "ALL",
    "snapshot": "snapshot_id",
}
SNAPSHOT_SKIP = ("ingested_at",)
# Sums DuckDB adds up in parallel: their last bit depends on thread timing (on main too, about
# 1 run in 8 under load), so they are compared rounded to 1e-6 of a TIV million.
ROUNDED = ("agg_total", "agg_flow")


def real_files() -> list[Path]:
    from armatlas.store.ingest import discover

    files, _ = discover([AT, OTHER])
    return [f for f in files if f.suffix.lower() == ".csv" and not f.name.startswith(("API_", "Metadata_"))]


def variants() -> list[Path]:
    """Copies of the 2026 register the way users re-save it, and synthetic larger ones."""
    shutil.rmtree(VARIANTS, ignore_errors=True)
    VARIANTS.mkdir(parents=True)
    raw = R2026.read_bytes()
    text = raw.decode("cp1252")
    out: dict[str, bytes] = {
        "renamed.csv": text.replace("Number delivered", "Deliveries in the Year Range", 1).encode("cp1252"),
        "semicolons.csv": "\n".join(ln + ";" if ln.strip() else ln for ln in text.split("\n")).encode(
            "cp1252"
        ),
        "crlf_bom.csv": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "utf8.csv": text.encode("utf-8"),
    }
    lines = text.split("\n")
    head = "\n".join(lines[:12]) + "\n"
    rows = [r for r in csv.reader(io.StringIO("\n".join(lines[12:]))) if r and any(c.strip() for c in r)]
    for name, suffix in (("x2.csv", True), ("doubled.csv", False)):
        buf = io.StringIO()
        buf.write(head)
        w = csv.writer(buf, lineterminator="\n")
        for k in range(2):
            for r in rows:
                w.writerow([*r[:6], f"{r[6]} #{k}", *r[7:]] if (k and suffix) else r)
        out[name] = buf.getvalue().encode("cp1252")
    out["slips.csv"] = _slips(head, rows)
    paths = []
    for name, data in out.items():
        p = VARIANTS / name
        p.write_bytes(data)
        os.utime(p, (1_700_000_000, 1_700_000_000))  # retrieved_at comes from the mtime
        paths.append(p)
    return paths


def _slips(head: str, rows: list[list[str]]) -> bytes:
    """The 2026 register with a few of each kind of slip: bad cells, unknown and derived names and
    descriptions, impossible years, failed checks, a record split by a line break in Comments."""
    rows = [list(r) for r in rows]
    edits = {  # record index -> (column, new text)
        10: (15, "abc"),  # unreadable TIV
        20: (13, "nan"),  # not finite
        30: (3, "x"),  # a bad uncertainty flag
        40: (10, "2019; 20x1"),  # a bad delivery year
        50: (0, "Atlantis"),  # unknown recipient
        60: (1, "Turkey"),  # a common-name alias (derived)
        70: (7, "torpdeo boat"),  # a typo (derived)
        80: (7, "death ray"),  # unknown description
        90: (2, "2099"),  # order year in the future
        100: (15, "-5"),  # negative TIV
        110: (8, "999"),  # more delivered than ordered
        120: (15, ""),  # delivery years without TIV
        130: (13, "777"),  # units x unit TIV far off
        140: (8, "2147483648"),  # beyond INTEGER
    }
    for i, (col, text) in edits.items():
        rows[i][col] = text
    buf = io.StringIO()
    buf.write(head)
    w = csv.writer(buf, lineterminator="\n")
    for i, r in enumerate(rows):
        if i == 150:  # a raw line break inside Comments (SIPRI does not quote them)
            buf.write(",".join(r[:12]) + "," + "first part\nsecond part," + ",".join(r[13:]) + "\n")
            continue
        w.writerow(r)
    w.writerow(rows[5])  # one identical record (the publisher's own few are kept)
    return buf.getvalue().encode("cp1252")


def _sha(rows: list[tuple[Any, ...]]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(repr(r).encode())
        h.update(b"\n")
    return h.hexdigest()


def dump(con: Any) -> dict[str, Any]:
    """Every table's row count and ordered hash; quarantine and derived matches in full."""
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    out: dict[str, Any] = {}
    for t, order in TABLES.items():
        if t not in have:
            continue
        cols = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [t],
            ).fetchall()
            if not (t == "snapshot" and r[0] in SNAPSHOT_SKIP)
        ]
        rows = con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY {order}").fetchall()
        if t in ROUNDED:
            rows = [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in rows]
        out[t] = {"n": len(rows), "sha": _sha(rows)}
        if t == "snapshot":
            out[t]["rows"] = [repr(r) for r in rows]
    if "quarantine" not in have:  # an ingest refused before the store was written
        return out
    out["quarantine_rows"] = [
        repr(r)
        for r in con.execute(
            "SELECT snapshot_id, reason, src_line, column_name, value, message, supplier_name, recipient_name, tiv "
            "FROM quarantine ORDER BY ALL"
        ).fetchall()
    ]
    out["derived"] = [
        repr(r)
        for r in con.execute("SELECT * FROM resolution WHERE tier <> 'reviewed' ORDER BY ALL").fetchall()
    ]
    return out


def one(path: Path, strict: bool) -> dict[str, Any]:
    from armatlas.errors import ArmatlasError
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_file
    from armatlas.store.overlay import Overlay

    d = Path(tempfile.mkdtemp(prefix="armatlas-fp-"))
    try:
        con = connect(d / "s.duckdb")
        try:
            r = ingest_file(con, path, strict=strict, overlay=Overlay())
            res: dict[str, Any] = {
                "result": [
                    r.status,
                    r.layout,
                    r.release,
                    r.records,
                    r.quarantined,
                    r.derived,
                    list(r.warnings),
                ]
            }
        except ArmatlasError as exc:
            res = {"error": [type(exc).__name__, exc.code, exc.render()]}
        res["store"] = dump(con)
        con.close()
        return res
    finally:
        shutil.rmtree(d, ignore_errors=True)


def together(files: list[Path]) -> dict[str, Any]:
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_file
    from armatlas.store.overlay import Overlay

    d = Path(tempfile.mkdtemp(prefix="armatlas-fp-"))
    try:
        con = connect(d / "s.duckdb")
        results = []
        for f in files:
            r = ingest_file(con, f, overlay=Overlay())
            results.append([f.name, r.status, r.records, r.quarantined, r.derived])
        res = {"results": results, "store": dump(con)}
        con.close()
        return res
    finally:
        shutil.rmtree(d, ignore_errors=True)


def fingerprint() -> dict[str, Any]:
    files = real_files()
    out: dict[str, Any] = {}
    for f in [*files, *variants()]:
        for strict in (False, True):
            key = f"{f.name} {'strict' if strict else 'tolerant'}"
            print(key, file=sys.stderr)
            out[key] = one(f, strict)
    out["all files, one store"] = together(files)
    return out


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}/{k}: only in {'new' if k in b else 'baseline'}")
            else:
                out.extend(diff(a[k], b[k], f"{path}/{k}"))
        return out
    return [] if a == b else [f"{path}: {str(a)[:300]} != {str(b)[:300]}"]


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # One derived rule's recorded text follows set order (str hashes): fix the seed.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", type=Path)
    g.add_argument("--check", type=Path)
    ap.add_argument(
        "--file-stage",
        action="store_true",
        help="stage every register in a spilling file (the large-file path)",
    )
    args = ap.parse_args()
    if args.file_stage:
        from armatlas.store import ingest

        ingest.STAGE_IN_MEMORY = -1
    fp = fingerprint()
    if args.write:
        args.write.write_text(json.dumps(fp, indent=1, sort_keys=True))
        print(f"{len(fp)} cases written to {args.write}")
        return
    base = json.loads(args.check.read_text())
    problems = diff(base, json.loads(json.dumps(fp)))
    for p in problems:
        print(p)
    print(f"{len(fp)} cases: {'IDENTICAL' if not problems else f'{len(problems)} difference(s)'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
