"""armatlas.frame keeps result tables as Python columns; every answer must be the one the Arrow
table gives (pyarrow, imported here, is the independent reference)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pyarrow as pa
import pytest

from armatlas import frame
from armatlas.results import arrow_json_rows, json_rows


def test_inferred_columns_read_back_as_pyarrow_reads_them():
    cols = {
        "i": [1, None, 2**40],
        "f": [1, 2.5, None],  # an int among floats comes back as a float
        "s": ["a", None, "é"],
        "b": [None, True, False],
        "n": [None, None, None],
        "l": [["x", "é"], [], None],
    }
    ref = pa.table(cols)
    ours = frame.table(cols)
    assert ours.plain and ours.types == {f.name: str(f.type) for f in ref.schema}
    assert ours.to_pylist() == ref.to_pylist()
    assert [type(r["f"]) for r in ours.to_pylist()[:2]] == [float, float]
    assert ours.to_arrow().equals(ref)


def test_declared_types_normalise_and_build_that_schema():
    types = {"year": frame.INT32, "x": frame.FLOAT64, "s": frame.STRING, "ok": frame.BOOL}
    cols = {"s": ["a", None], "year": [2001, 2000], "x": [3, 2.5], "ok": [True, None]}
    ref = pa.table({k: cols[k] for k in types}, schema=frame.schema(types))
    ours = frame.table(cols, types)
    assert ours.column_names == list(types)  # ordered by the declaration
    assert ours.to_pylist() == ref.to_pylist() and ours.to_arrow().equals(ref)
    empty = frame.from_rows([], types)
    assert len(empty) == 0 and empty.to_arrow().schema == ref.schema


def test_values_that_are_not_plain_take_the_arrow_path_with_the_same_answers():
    rows = [{"d": dt.date(2020, 1, 2), "h": {"k": 1}, "v": 1}, {"d": None, "h": None, "v": 2}]
    ours = frame.from_rows(rows)
    assert not ours.plain
    assert ours.to_pylist() == pa.Table.from_pylist(rows).to_pylist()
    assert json_rows(ours) == [{"d": "2020-01-02", "h": {"k": 1}, "v": 1}, {"d": None, "h": None, "v": 2}]
    assert frame.table({"y": [2**40]}, {"y": frame.INT64}).plain
    with pytest.raises(pa.ArrowInvalid):  # too wide for int32: refused as the Arrow cast refuses it
        frame.table({"y": [2**40]}, {"y": frame.INT32})


def test_json_rows_drop_nan_as_the_arrow_path_does():
    cols = {"x": [math.nan, 1.0, None], "s": ["a", "b", None], "l": [["p"], None, []]}
    ours = frame.table(cols)
    assert ours.json_rows() == arrow_json_rows(pa.table(cols))
    assert ours.json_rows()[0]["x"] is None


def test_rows_are_fresh_copies():
    f = frame.table({"l": [["a"]], "n": [1]})
    f.to_pylist()[0]["l"].append("b")
    assert f.to_pylist() == [{"l": ["a"], "n": 1}]


def test_query_fetches_python_values_or_falls_back_to_arrow(con):
    sql = "SELECT entity_id, year, tiv FROM agg_total WHERE direction = 'import' ORDER BY ALL LIMIT 50"
    ours = frame.query(con, sql)
    ref = con.sql(sql).to_arrow_table()
    assert ours.plain and ours.to_pylist() == ref.to_pylist() and ours.to_arrow().equals(ref)
    listed = frame.query(con, "SELECT [name] AS names FROM entity ORDER BY entity_id LIMIT 3")
    assert not listed.plain  # lists come out of DuckDB as list<l: ...>: taken as Arrow
    ref = con.sql("SELECT [name] AS names FROM entity ORDER BY entity_id LIMIT 3").to_arrow_table()
    assert listed.to_arrow().equals(ref) and listed.to_pylist() == ref.to_pylist()


@pytest.mark.parametrize("country", ["Azerbaijan", "India", "Ukraine", "Liechtenstein"])
def test_profile_parts_read_as_their_arrow_tables(atlas, country):
    """Every part of a real profile: rows and JSON rows from the Python columns equal those of
    the Arrow table built from them, and the JSON is the same text either way."""
    res = atlas.profile(country)
    for name, part in res.parts.items():
        t = part.table
        assert part.rows == t.to_pylist(), name
        assert json.dumps(json_rows(part.frame)) == json.dumps(arrow_json_rows(t)), name
        assert len(part) == t.num_rows and part.frame.column_names == t.column_names, name
