"""What each command imports (a correctness check, not timing): no pandas or polars unless the
user asks for a pandas/Polars result, and `--help` without pyarrow, numpy or DuckDB."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import DATA, TIV_IMPORTS

CLI = "import sys; from armatlas.cli.main import run; sys.argv = ['armatlas', *sys.argv[1:]]; run()"
SERVE = (
    "from fastapi.testclient import TestClient; from armatlas.serve import create_app; "
    "import os; c = TestClient(create_app(os.environ['ARMATLAS_HOME'] + '/armatlas.duckdb')); "
    "[c.get(u).raise_for_status() for u in ('/api/v1/countries/Azerbaijan/profile', "
    "'/api/v1/releases', '/api/v1/countries/Israel/industry', '/', '/country/Azerbaijan', "
    "'/deals?recipient=Azerbaijan', '/trends')]"
)


def imported(code: str, *args: str, home: Path, full: bool = False) -> set[str]:
    """Top-level packages (`full`: modules) a fresh interpreter imports running `code`
    (python -X importtime)."""
    env = {**os.environ, "ARMATLAS_HOME": str(home), "COLUMNS": "120"}
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return {
        (name if full else name.split(".")[0])
        for line in r.stderr.splitlines()
        if line.startswith("import time:") and (name := line.rsplit("|", 1)[-1].strip())
    }


def test_help_imports_neither_arrow_nor_duckdb(tmp_path):
    mods = imported(CLI, "--help", home=tmp_path)
    assert "typer" in mods
    assert not mods & {"pyarrow", "numpy", "duckdb", "pandas", "polars", "fastapi", "openpyxl"}


@pytest.mark.data
def test_ingest_never_imports_pandas(tmp_path):
    files = [
        str(TIV_IMPORTS),
        str(DATA / "sipri_arms_industry" / "SIPRI-Top-100-2002-2018_0.xlsx"),
        *map(str, sorted((DATA / "sipri_milex").glob("*.xlsx"))),
    ]
    mods = imported(CLI, "ingest", *files, home=tmp_path)
    assert {"duckdb", "pyarrow", "openpyxl"} <= mods
    assert not mods & {"pandas", "polars"}


@pytest.mark.parametrize(
    "args",
    [("profile", "Azerbaijan"), ("profile", "Türkiye", "--json"), ("releases",), ("industry", "Azerbaijan")],
)
def test_reading_commands_never_import_pandas(store_path, args):
    mods = imported(CLI, *args, home=store_path.parent)
    assert "duckdb" in mods and not mods & {"pandas", "polars"}


def test_profile_builds_no_option_validators_and_no_arrow(store_path):
    """Typer's Pydantic adapters are built only for values that need them (cli/coercion.py),
    and a profile's tables stay Python columns (armatlas.frame) until someone asks for Arrow:
    the terminal page and its JSON import neither pyarrow nor numpy."""
    for args in (("profile", "Azerbaijan"), ("profile", "Ukraine", "--json")):
        mods = imported(CLI, *args, home=store_path.parent)
        assert {"duckdb", "typer"} <= mods
        assert not mods & {"pydantic", "pyarrow", "numpy", "pandas"}, args
    full = imported(CLI, "profile", "Azerbaijan", home=store_path.parent, full=True)
    assert {"armatlas.summaries.trade", "armatlas.summaries.profile"} <= full
    # summaries load per module on first use: none a profile does not build
    assert not full & {"armatlas.summaries.world", "armatlas.summaries.burden", "armatlas.store.quarantine"}


def test_serving_never_imports_pandas(store_path):
    mods = imported(SERVE, home=store_path.parent)
    assert {"fastapi", "jinja2"} <= mods and not mods & {"pandas", "polars"}


def test_columnar_matches_pyarrow_from_python_objects():
    from armatlas import columnar

    rows = [
        {
            "a": 1,
            "b": "x",
            "c": 1.5,
            "d": True,
            "e": None,
            "f": dt.date(2020, 1, 2),
            "g": ["p"],
            "h": {"k": 1},
        },
        {"a": 2, "b": None, "c": None, "d": False, "e": None, "f": None, "g": [], "h": None},
    ]
    ref = pa.Table.from_pylist(rows)
    ours = columnar.from_rows(rows)
    assert ours.schema == ref.schema and ours.to_pylist() == ref.to_pylist()
    schema = pa.schema([("year", pa.int32()), ("x", pa.float64()), ("s", pa.string())])
    cols = {"year": [2001, 2000], "x": [None, 2.5], "s": ["a", None]}
    assert columnar.table(cols, schema).equals(pa.table(cols, schema=schema))
    assert columnar.table({"s": []}, pa.schema([("s", pa.string())])).schema == pa.schema(
        [("s", pa.string())]
    )
    assert columnar.column([3, None], pa.int16()).to_pylist() == [3, None]
    plain = {"i": [1, None, 2**40], "f": [1, 2.5, None], "s": ["a", None, "é"], "b": [None, True, False]}
    plain["n"] = [None, None, None]
    plain["l"] = [["x", "é"], [], None]  # lists of str: offsets and one string child
    assert columnar.table(plain).equals(pa.table(plain))  # the buffer path, no DuckDB round trip
    with pytest.raises(ValueError):
        columnar.table({"a": [1], "b": [1, 2]})


def test_no_pyarrow_constructor_from_python_objects_outside_columnar():
    """pa.array / pa.table / Table.from_pylist / pa.scalar / group_by import pandas: use
    armatlas.columnar (or DuckDB) instead. A static check, so a new call site fails at once."""
    import re

    src = Path(__file__).resolve().parents[1] / "src" / "armatlas"
    bad = re.compile(
        r"\bpa\.(array|table|scalar|chunked_array|record_batch)\(|from_pylist\(|from_pydict\(|"
        r"\.group_by\("
    )
    hits = [
        f"{p.relative_to(src)}:{n}"
        for p in src.rglob("*.py")
        if p.name != "columnar.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if bad.search(line) and not line.lstrip().startswith("#")
    ]
    assert hits == []
