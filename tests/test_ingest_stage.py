"""The fast ingest paths give what the row-by-row paths give, on the real 2026 register.

Column-wise parsing (`register._parse_columns`) against `_parse_row`; the row checks on the
rows whole-column arithmetic flags against every row; a register staged as Arrow tables
(`stage.ArrowStage`) against one staged in a DuckDB file: same digest, same stored rows.
The whole proof over every real file is `tools/ingest_fingerprint.py`; these keep it true.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import REGISTER_2026

from armatlas.sources.sipri_transfers import open_register
from armatlas.sources.sipri_transfers import register as reg_mod
from armatlas.sources.sipri_transfers.records import ParsedRegister
from armatlas.store import checks, ingest, stage
from armatlas.store.db import connect, create_schema
from armatlas.store.harmonise import Resolver, deal_table, delivery_table
from armatlas.store.overlay import Overlay
from armatlas.store.quarantine import Finding, Report, report_tables

pytestmark = pytest.mark.data


def _parse(monkeypatch: pytest.MonkeyPatch | None = None) -> ParsedRegister:
    stream = open_register(REGISTER_2026)
    assert stream is not None
    try:
        if monkeypatch is not None:  # force the row-by-row path
            monkeypatch.setattr(reg_mod, "_parse_columns", lambda *a: False)
        return next(stream.chunks(100_000))
    finally:
        stream.close()


def _typed(reg: ParsedRegister) -> dict[str, list[str]]:
    """Every value with its type (1 == 1.0 == True in Python; not here)."""
    return {k: [f"{type(v).__name__}:{v!r}" for v in vs] for k, vs in {**reg.deals, **reg.deliveries}.items()}


def test_columns_parse_as_rows_do(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _parse()
    slow = _parse(monkeypatch)
    assert fast.n_deals == slow.n_deals == 29_916
    assert _typed(fast) == _typed(slow)
    # A deal read from the file: Afghanistan's 6 Mi-17 from Russia, ordered 2010, 17.4 TIV.
    i = next(
        i
        for i, (r, s, des, y) in enumerate(
            zip(fast.deals["recipient_name"], fast.deals["supplier_name"], fast.deals["designation"],
                fast.deals["order_year"], strict=True)
        )
        if (r, s, des, y) == ("Afghanistan", "Russia", "Mi-17", 2010)
    )  # fmt: skip
    assert fast.deals["tiv_delivered"][i] == 17.4 and fast.deals["n_delivered"][i] == 6


def test_a_bad_cell_sends_its_chunk_to_the_row_path(tmp_path: Path) -> None:
    raw = REGISTER_2026.read_bytes()
    f = tmp_path / "slip.csv"
    f.write_bytes(
        raw.replace(b"Mi-17,transport helicopter,6,,2011,", b"Mi-17,transport helicopter,6,,20x1,", 1)
    )
    stream = open_register(f)
    assert stream is not None
    try:
        reg = next(stream.chunks(100_000))
    finally:
        stream.close()
    assert reg.n_deals == 29_915
    assert [(r[0], r[1], r[2]) for r in reg.rejects] == [(13, "Year(s) of delivery", "20x1")]


def test_flagged_rows_give_every_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    reg = _parse()
    d, dl = reg.deals, reg.deliveries
    d["tiv_order"][5] = -1.0  # negative
    d["n_delivered"][7] = (d["n_ordered"][7] or 0) + 50  # more delivered than ordered
    d["n_ordered_est"][7] = d["n_delivered_est"][7] = False
    d["order_year"][9] = 2099  # after the stamp
    d["tiv_delivered"][11] = None  # years without TIV
    d["tiv_unit"][13] = 1000.0  # units x unit TIV far off
    j = dl["deal_index"].index(17)
    dl["tiv"][j] += 5.0  # per-year TIV no longer adds up
    dl["year"][dl["deal_index"].index(19)] = 1850  # year out of range
    fast = checks.check_register(d, dl, reg.layout, 2026)
    monkeypatch.setattr(checks, "_candidates", lambda d, dl, last, n: list(range(n)))
    every = checks.check_register(d, dl, reg.layout, 2026)
    assert fast == every
    found = {(f.check, f.line) for f in fast}
    lines = d["line"]
    for check, i in [
        ("tiv_negative", 5),
        ("delivered_exceeds_ordered", 7),
        ("year_out_of_range", 9),
        ("delivered_without_tiv", 11),
        ("tiv_unit_times_units", 13),
        ("tiv_years_sum", 17),
        ("year_out_of_range", 19),
    ]:
        assert (check, lines[i]) in found


def test_stage_tables_carry_every_store_column() -> None:
    reg = _parse()
    n = reg.n_deals
    con = duckdb.connect()
    create_schema(con)  # the report's tables too
    rep = Report("x", findings=[Finding("parse-error", 3, "c", "v", "m")])
    rep.resolutions["entity", "X"] = ["x", "derived", "rule", 1, 1.0]
    tables = {
        "deal": deal_table(reg, 0, ([None] * n, [None] * n, [None] * n, [None] * n)),
        "delivery": delivery_table(reg, 0),
        **report_tables(rep, 0, "tolerant", {}),
    }
    for name, t in tables.items():
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [name]).fetchall()]  # fmt: skip
        assert sorted(t.column_names) == sorted(cols), name


def _ingest(store: Path) -> tuple[str, list, list, list]:
    con = connect(store)
    try:
        ingest.ingest_file(con, REGISTER_2026, overlay=Overlay())
        return (
            con.execute("SELECT content_sha256 FROM snapshot").fetchall()[0][0],
            con.execute("SELECT * FROM deal ORDER BY deal_key").fetchall(),
            con.execute("SELECT * FROM delivery ORDER BY ALL").fetchall(),
            con.execute("SELECT * EXCLUDE (snapshot_id) FROM ingest_report").fetchall(),
        )
    finally:
        con.close()


def test_arrow_stage_stores_what_a_file_stage_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arrow = _ingest(tmp_path / "a.duckdb")
    monkeypatch.setattr(ingest, "STAGE_IN_MEMORY", -1)  # every register through a spilling file
    file = _ingest(tmp_path / "f.duckdb")
    assert arrow == file
    assert len(arrow[1]) == 29_916 and len(arrow[2]) == 60_789
    # A file's chunks go into the stage file a few inserts per transaction: several of them.
    monkeypatch.setattr(stage, "SPILL_BATCH", 3)
    assert _ingest(tmp_path / "b.duckdb") == arrow


def test_resolver_notes_as_the_row_loop_makes_them() -> None:
    """Whole-column notes: the same counts, TIV (to the bit) and order as one row at a time."""
    from armatlas.store.harmonise import _note, resolve_register

    reg = _parse()
    fast = Report("x")
    resolve_register(reg, Resolver(overlay=Overlay()), fast)
    slow = Report("x")
    r = Resolver(overlay=Overlay())
    d = reg.deals
    for s, c, desc, t in zip(d["supplier_name"], d["recipient_name"], d["description"], d["tiv_delivered"],
                             strict=True):  # fmt: skip
        for kind, res in (
            ("entity", r.entity(s)),
            ("entity", r.entity(c)),
            ("description", r.category(desc, None)),
        ):
            assert res is not None
            _note(slow, kind, res, t or 0.0)
    assert list(fast.resolutions.items()) == list(slow.resolutions.items())
    india = [*d["supplier_name"], *d["recipient_name"]].count("India")
    assert fast.resolutions["entity", "India"][:4] == ["india", "reviewed", "register", india]


def test_a_derived_rule_is_recorded_the_same_in_every_process() -> None:
    """`PKK (Turkey)*` (the old site's import table) resolves by the rename pattern; the rule
    recorded with it once followed the string hash seed (a set of spellings)."""
    import os
    import subprocess
    import sys

    code = "from armatlas.store.resolve import name_rules; print(name_rules().derive('PKK (Turkey)*'))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in (1, 2, 3, 4)
    }
    assert len(seen) == 1
    assert seen.pop().startswith("('pkk-turkiye', 'rename_pattern:PKK (")


def test_licence_comments_are_found_as_the_regex_finds_them() -> None:
    """`register._licensed` (a lowered prefilter, then the regex) against the regex itself on
    every comment of the 2026 register, also with letters re.IGNORECASE folds to ASCII ones."""
    from armatlas.sources.sipri_transfers.records import is_licensed_comment

    comments = tuple(c or "" for c in _parse().deals["comments"])
    found = reg_mod._licensed(comments)
    assert found == [is_licensed_comment(c) for c in comments]
    assert sum(found) > 500  # the register's own 'produced under licence' deals
    odd = tuple(
        c.replace("licen", "l\u0131cen").replace("Licen", "L\u0130cen").replace("se", "\u017fe")
        for c in comments
        if is_licensed_comment(c)
    )[:50]
    assert reg_mod._licensed(odd + comments[:50]) == [is_licensed_comment(c) for c in odd + comments[:50]]
    assert all(reg_mod._licensed(odd))


def test_arrow_buffers_hold_the_registers_values() -> None:
    """columnar's buffer paths (non-ASCII text among ASCII, missing values, all missing)
    give back the register's own Python values."""
    import pyarrow as pa

    from armatlas import columnar

    deals = _parse().deals
    for name, typ in (
        ("comments", pa.string()),
        ("designation", pa.string()),
        ("n_ordered", pa.int64()),
        ("sipri_id", pa.int64()),
        ("tiv_unit_new", pa.float64()),
        ("tiv_delivered", pa.float64()),
        ("second_hand", pa.bool_()),
        ("order_year_est", pa.bool_()),
    ):
        assert columnar.column(deals[name], typ).to_pylist() == deals[name], name
    assert any("Wärtsilä" in (c or "") for c in deals["comments"])


def test_the_digest_hashed_beside_the_copy_is_the_one_the_stored_rows_give(tmp_path: Path) -> None:
    """The Arrow stage's digest is hashed on its own thread while the commit copies the rows
    (written last): it must be the digest of what the store then holds, or a re-saved copy of
    the same register would be called a conflict."""
    from armatlas.store.identity import IDENTITY, snapshot_digest

    con = connect(tmp_path / "s.duckdb")
    try:
        r = ingest.ingest_path(con, REGISTER_2026, overlay=Overlay())
        cols = ("generated_at", *IDENTITY)
        stored, *row = con.execute(
            f"SELECT content_sha256, {', '.join(cols)} FROM snapshot WHERE snapshot_id = ?", [r.snapshot_id]
        ).fetchall()[0]
        assert stored == snapshot_digest(con, r.snapshot_id, dict(zip(cols, row, strict=True)))
    finally:
        con.close()
