"""Result tables as Python columns with declared Arrow types; the Arrow table is built on demand.

A terminal profile reads rows and summaries, never Arrow, and importing pyarrow (with numpy)
costs a cold start ~120 ms. So an analysis hands its result to a `Frame`: plain columns
(str, bool, int, float, lists of str; None anywhere), each normalised to its type name as
pyarrow would convert it (an int in a double column becomes a float), so `to_pylist()` and
`json_rows()` give what the Arrow table would. `to_arrow()` builds that table (through
`columnar`, once) only for a caller that asks for Arrow, pandas, Polars or CSV. Values that
are not plain (dates, decimals, numpy scalars, nested dicts) or types outside the list below
take the old path at once: the Frame then wraps an Arrow table, with the same answers.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

# Arrow type names (`str(pa.float64())` == "double"): what a result column is declared as.
STRING = "string"
FLOAT64 = "double"
INT64 = "int64"
INT32 = "int32"
BOOL = "bool"
STRING_LIST = "list<item: string>"
NULL = "null"
_INTS = {"int64": 63, "int32": 31, "int16": 15, "int8": 7}
# DuckDB column types whose Python values and Arrow export are plain (lists export as list<l: ...>).
_FROM_DUCKDB = {
    "VARCHAR": STRING,
    "DOUBLE": FLOAT64,
    "BIGINT": INT64,
    "INTEGER": INT32,
    "SMALLINT": "int16",
    "TINYINT": "int8",
    "BOOLEAN": BOOL,
}
_NONE = type(None)
Types = Mapping[str, str]


class Frame:
    """Named columns of plain Python values with Arrow type names, or an Arrow table as it came."""

    __slots__ = ("_arrow", "_cols", "_declared", "_names", "_types")

    def __init__(
        self,
        names: list[str],
        cols: list[list[Any]] | None,
        types: list[str],
        *,
        declared: bool = True,
        arrow: pa.Table | None = None,
    ) -> None:
        self._names = names
        self._cols = cols
        self._types = types
        self._declared = declared  # False: types inferred, so Arrow infers them the same way
        self._arrow = arrow

    @classmethod
    def wrap(cls, table: pa.Table) -> Frame:
        """An Arrow table kept as it is (rows are read from it)."""
        return cls(list(table.column_names), None, [], arrow=table)

    @property
    def plain(self) -> bool:
        """True when the columns are Python lists (else an Arrow table holds them)."""
        return self._cols is not None

    @property
    def num_rows(self) -> int:
        if self._cols is None:
            return self._built().num_rows
        return len(self._cols[0]) if self._cols else 0

    def __len__(self) -> int:
        return self.num_rows

    @property
    def column_names(self) -> list[str]:
        return list(self._names)

    @property
    def types(self) -> dict[str, str]:
        """Column name -> Arrow type name."""
        if self._cols is None:
            return {f.name: str(f.type) for f in self._built().schema}
        return dict(zip(self._names, self._types, strict=True))

    def column(self, name: str) -> list[Any]:
        """One column's values (a copy)."""
        if self._cols is None:
            return self._built().column(name).to_pylist()
        i = self._names.index(name)
        return _copies(self._cols[i]) if self._types[i] == STRING_LIST else list(self._cols[i])

    def to_pylist(self) -> list[dict[str, Any]]:
        """One new dict per row, as `pyarrow.Table.to_pylist()` gives it."""
        if self._cols is None:
            return self._built().to_pylist()
        names = self._names
        cols = [_copies(c) if t == STRING_LIST else c for c, t in zip(self._cols, self._types, strict=True)]
        return [dict(zip(names, vals, strict=True)) for vals in zip(*cols, strict=True)]

    def to_pydict(self) -> dict[str, list[Any]]:
        return {n: self.column(n) for n in self._names}

    def json_rows(self) -> list[dict[str, Any]]:
        """Rows of plain columns for JSON: NaN becomes None (every plain value is JSON-safe
        otherwise). A Frame holding Arrow is cleaned by `results.arrow_json_rows`."""
        if self._cols is None:
            raise ValueError("not plain columns: use results.arrow_json_rows(frame.to_arrow())")
        rows = self.to_pylist()
        floats = [n for n, t in zip(self._names, self._types, strict=True) if t == FLOAT64]
        if floats:
            for r in rows:
                for n in floats:
                    v = r[n]
                    if v is not None and v != v:
                        r[n] = None
        return rows

    def select(self, names: Sequence[str]) -> Frame:
        """These columns, in this order."""
        if self._cols is None:
            return Frame.wrap(self._built().select(list(names)))
        idx = [self._names.index(n) for n in names]
        return Frame(
            list(names), [self._cols[i] for i in idx], [self._types[i] for i in idx], declared=self._declared
        )

    def to_arrow(self) -> pa.Table:
        """The Arrow table (built once, pandas-free, through `columnar`)."""
        if self._arrow is None:
            from armatlas import columnar

            assert self._cols is not None
            cols = dict(zip(self._names, self._cols, strict=True))
            self._arrow = columnar.table(cols, schema(self.types) if self._declared else None)
        return self._arrow

    def _built(self) -> pa.Table:
        assert self._arrow is not None
        return self._arrow


def _copies(col: list[Any]) -> list[Any]:
    """A list column with each list copied (Arrow hands out new lists)."""
    return [None if v is None else list(v) for v in col]


def schema(types: Types) -> pa.Schema:
    """The Arrow schema of these type names."""
    import pyarrow as pa

    return pa.schema([(n, _arrow_type(t)) for n, t in types.items()])


def _arrow_type(name: str) -> pa.DataType:
    import pyarrow as pa

    if name == STRING_LIST:
        return pa.list_(pa.string())
    return pa.type_for_alias(name)


def table(columns: Mapping[str, Any], types: Types | None = None) -> Frame:
    """`columnar.table(columns, schema)` kept as Python columns: declared `types` (name ->
    Arrow type name) order and type the columns; without them, types are inferred as pyarrow
    infers them from Python objects."""
    names = list(types) if types is not None else list(columns)
    cols: list[list[Any]] = []
    kinds: list[str] = []
    for n in names:
        values = columns[n]
        got = (
            _normalise(values, types[n] if types is not None else _infer(values))
            if isinstance(values, (list, tuple))
            else None
        )
        if got is None:
            return _eager(columns, types)
        cols.append(got[0])
        kinds.append(got[1])
    if len({len(c) for c in cols}) > 1:
        raise ValueError(
            f"columns of different lengths: { {n: len(c) for n, c in zip(names, cols, strict=True)} }"
        )
    return Frame(names, cols, kinds, declared=types is not None)


def from_rows(rows: Sequence[Mapping[str, Any]], types: Types | None = None) -> Frame:
    """`columnar.from_rows(rows, schema)` kept as Python columns: columns in first-seen key order."""
    names = list(types) if types is not None else row_keys(rows)
    return table({n: [r.get(n) for r in rows] for n in names}, types)


def row_keys(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order (the columns of rows without a schema)."""
    seen: dict[str, None] = {}
    for r in rows:
        seen.update(dict.fromkeys(r))
    return list(seen)


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Frame:
    """A parameterised query's answer (never string-formatted user input): fetched as Python
    values when every column type is plain, else exported as Arrow. Through `execute` (the
    relation API's `sql` costs ~0.4 ms more a query)."""
    cur = con.execute(sql, params or None)
    names = [d[0] for d in cur.description]
    kinds = [_FROM_DUCKDB.get(str(d[1])) for d in cur.description]
    if None in kinds:
        with warnings.catch_warnings():  # "an extra copy of the rows": the rare path, one run
            warnings.simplefilter("ignore", UserWarning)
            return Frame.wrap(cur.to_arrow_table())
    rows = cur.fetchall()
    cols = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in names]
    return Frame(names, cols, kinds)  # type: ignore[arg-type]


def _eager(columns: Mapping[str, Any], types: Types | None) -> Frame:
    """Values a Frame does not keep as Python columns: the Arrow table, built now."""
    from armatlas import columnar

    return Frame.wrap(columnar.table(columns, schema(types) if types is not None else None))


def _infer(values: Sequence[Any]) -> str | None:
    """pyarrow's type for these Python values, among the plain ones (None: not plain)."""
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    if not kinds:
        return NULL
    if kinds == {str}:
        return STRING
    if kinds == {bool}:
        return BOOL
    if kinds == {int}:
        return INT64
    if kinds <= {int, float}:
        return FLOAT64
    if kinds == {list}:
        return STRING_LIST
    return None


def _normalise(values: Sequence[Any], kind: str | None) -> tuple[list[Any], str] | None:
    """The values as Arrow's `to_pylist()` gives them back from a column of this type; None
    when they are not plain values of it."""
    if kind is None:
        return None
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    out = list(values)
    if kind == NULL:
        return (out, kind) if not kinds else None
    if kind == STRING:
        return (out, kind) if kinds <= {str} else None
    if kind == BOOL:
        return (out, kind) if kinds <= {bool} else None
    if kind == FLOAT64:
        if not kinds <= {int, float}:
            return None
        if int in kinds:
            try:
                out = [v if v is None else float(v) for v in out]
            except OverflowError:
                return None
        return out, kind
    if kind in _INTS:
        if not kinds <= {int}:
            return None
        bits = _INTS[kind]
        lo, hi = -(2**bits), 2**bits - 1
        if any(v is not None and not lo <= v <= hi for v in out):
            return None
        return out, kind
    if kind == STRING_LIST:
        if not kinds <= {list}:
            return None
        for v in out:
            if v is not None and not all(type(x) is str for x in v):
                return None
        return out, kind
    return None
