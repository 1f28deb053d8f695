"""One ingest prologue (store/intake.py): read once, hash, 'unchanged' when the store holds the file.

Every source kind goes through it: a SIPRI register, a milex workbook, a World Bank indicator,
the Top 100 workbook and BICC's GMI table; a second ingest, or a copy under another name,
changes nothing and names the snapshot the file became.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import duckdb
import pytest

from armatlas.errors import FileMissingError
from armatlas.store.industry_ingest import ingest_industry
from armatlas.store.ingest import ingest_files
from tests.conftest import DATA

SRC = Path(__file__).resolve().parents[1] / "src" / "armatlas"
FILES = [
    DATA
    / "sipri_arms_transfers"
    / "trade-register_ID-layout_all-to-Ukraine_2000-2024_generated-2025-02-17.csv",
    DATA / "sipri_milex" / "SIPRI-Milex-data-1949-2024_2.xlsx",
    DATA / "worldbank_wdi" / "API_SH.MED.PHYS.ZS_DS2_en_csv_v2_35671.csv",
    DATA / "sipri_arms_industry" / "SIPRI-Top-100-2002-2018_0.xlsx",
    DATA / "bicc_gmi" / "gmi-wri-combined_ArtificialIntellicat_1990-2022.csv",
]
TABLES = ("snapshot", "snapshot_file", "deal", "milex", "indicator", "industry_rank", "bicc_gmi")


def _counts(store: Path) -> dict[str, int]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
    finally:
        con.close()


def test_store_ingests_import_no_private_helpers() -> None:
    """Shared ingest helpers are public (store/intake.py, store/snapshot_commit.py, db.insert_table)."""
    for path in sorted((SRC / "store").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("armatlas."):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"


@pytest.mark.data
def test_second_ingest_of_every_source_kind_is_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "armatlas.duckdb"
    first = list(ingest_files(FILES, store=store))
    assert [r.status for r in first] == ["ingested"] * len(FILES)
    # Releases as the files state them: the Ukraine register's stamp, the milex years and the
    # Top 100's sheet years (their names), the GMI's first and last year (its rows).
    assert [r.release for r in first][:1] == ["2025-02-17"]
    assert first[3].release == "2002-2018" and first[4].release == "1990-2022"
    before = _counts(store)
    assert before["industry_rank"] > 0 and before["bicc_gmi"] > 0 and before["milex"] > 0

    again = list(ingest_files(FILES, store=store))
    assert [r.status for r in again] == ["unchanged"] * len(FILES)
    same = ("snapshot_id", "layout", "release", "records")
    assert [[getattr(r, f) for f in same] for r in again] == [[getattr(r, f) for f in same] for r in first]

    # A byte copy under another name is the same snapshot, whatever the source.
    copies = []
    for f in (FILES[0], FILES[3], FILES[4]):
        c = tmp_path / "copies" / f.parent.name / ("copy-" + f.name)
        c.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, c)
        copies.append(c)
    by_copy = list(ingest_files(copies, store=store))
    assert [(r.file, r.status) for r in by_copy] == [(c.name, "unchanged") for c in copies]
    assert [r.snapshot_id for r in by_copy] == [first[i].snapshot_id for i in (0, 3, 4)]
    assert _counts(store) == before


def test_missing_top100_file_is_a_located_error(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    try:
        with pytest.raises(FileMissingError) as err:
            ingest_industry(con, tmp_path / "SIPRI-Top-100-2002-2018.xlsx")
    finally:
        con.close()
    assert err.value.code == "file-not-found" and "SIPRI-Top-100-2002-2018.xlsx" in str(err.value.file)
