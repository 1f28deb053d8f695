"""Arrow tables from Python columns without importing pandas.

Every pyarrow constructor that takes Python objects (`pa.array`, `pa.table`,
`Table.from_pylist`, even `pa.scalar`) first asks whether the object is a pandas one, and
that question imports pandas (0.3-1 s, 50-70 MB) although armatlas never hands it pandas
data. So Python columns go to Arrow through DuckDB instead (list parameters unnested side by
side, then exported over the Arrow C interface), which never touches pandas; pandas loads
only when a user asks for `to_pandas()`.
"""

from __future__ import annotations

import builtins
import itertools
import operator
import threading
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

_db: duckdb.DuckDBPyConnection | None = None
_NONE = builtins.type(None)
_lock = threading.Lock()


def _query(sql: str, params: dict[str, Any]) -> pa.Table:
    """Run on a fresh cursor of one in-memory database, closed at once: threads never share a
    cursor, and none is left for a worker thread to tear down at exit."""
    global _db
    with _lock:
        if _db is None:
            import duckdb

            _db = duckdb.connect()
        cur = _db.cursor()
    try:
        return cur.sql(sql, params=params).to_arrow_table()
    finally:
        cur.close()


def _plain(values: Any) -> Any:
    """numpy arrays and tuples as lists; Arrow arrays as they are."""
    if hasattr(values, "tolist") and not hasattr(values, "type"):
        return values.tolist()
    return values if isinstance(values, list) or hasattr(values, "type") else list(values)


def table(columns: Mapping[str, Any], schema: pa.Schema | None = None) -> pa.Table:
    """`pa.table(columns, schema)` for Python lists (or Arrow arrays), pandas-free.

    Without a schema, types follow pyarrow's defaults for Python objects (int64, double,
    string, bool, timestamp); with one, columns are cast to it (and ordered by it)."""
    import pyarrow as pa

    names = list(schema.names) if schema is not None else list(columns)
    cols = {n: _plain(columns[n]) for n in names}
    lengths = {len(v) for v in cols.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: { {n: len(v) for n, v in cols.items()} }")
    arrays = []
    for n in names:  # plain columns straight into Arrow buffers; the rest through DuckDB below
        if not hasattr(cols[n], "type"):
            fast = _plain_array(cols[n], schema.field(n).type if schema is not None else None)
            cols[n] = fast if fast is not None else cols[n]
    python = [n for n in names if not hasattr(cols[n], "type")]
    wide = {
        n for n in python if (schema is None or schema.field(n).type == pa.int64()) and _all_ints(cols[n])
    }
    built = _via_duckdb({n: cols[n] for n in python}, wide) if python else None
    for n in names:
        arr = cols[n] if hasattr(cols[n], "type") else built.column(python.index(n))  # type: ignore[union-attr]
        want = schema.field(n).type if schema is not None else _default_type(arr.type)
        arrays.append(arr if want is None or arr.type == want else arr.cast(want))
    if schema is not None:
        return pa.Table.from_arrays(arrays, schema=schema)
    return pa.Table.from_arrays(arrays, names=names)


def _plain_array(values: list, want: pa.DataType | None) -> pa.Array | None:
    """A column of str, bool, int or float values or lists of str (None allowed) as pyarrow would type it (or
    as `want`), from its buffers: a result's small tables then need no DuckDB round trip (and
    a cold process no in-memory database). None when the values are anything else."""
    import pyarrow as pa

    kinds = set(map(type, values))
    kinds.discard(_NONE)
    if not kinds:  # no rows, or every value None: the wanted type's (nulls), else pyarrow's null column
        if want is not None:
            return _from_buffers(values, want)
        return pa.nulls(len(values)) if values else None
    guess = {
        frozenset({str}): pa.string(),
        frozenset({bool}): pa.bool_(),
        frozenset({int}): pa.int64(),
        frozenset({float}): pa.float64(),
        frozenset({int, float}): pa.float64(),
        frozenset({list}): pa.list_(pa.string()),  # lists of str (checked by _from_buffers)
    }.get(frozenset(kinds))
    if guess is None or (
        want is not None
        and want != guess
        and not (guess == pa.int64() and want in (pa.int32(), pa.float64()))
    ):
        return None
    return _from_buffers(values, want or guess)


def _all_ints(values: list) -> bool:
    """Python ints only (no bools, at least one): DuckDB binds them as INTEGER when they fit."""
    found = False
    for v in values:
        if v is None:
            continue
        if type(v) is not int:
            return False
        found = True
    return found


def _via_duckdb(cols: dict[str, list], wide: Collection[str] = ()) -> pa.Table:
    """Lists side by side as one table (unnest zips them in order); zero rows keep the types.

    Integer columns named in `wide` come out as BIGINT (pyarrow's int64): widening in the
    query spares the Arrow cast, whose first use imports pyarrow.compute (~60 ms cold)."""
    params = {f"c{i}": v for i, v in enumerate(cols.values())}
    sel = ", ".join(f"unnest($c{i}){'::BIGINT' if n in wide else ''} AS c{i}" for i, n in enumerate(cols))
    empty = not next(iter(cols.values()))
    return _query(f"SELECT {sel}" + (" LIMIT 0" if empty else ""), params)


def _default_type(t: pa.DataType) -> pa.DataType | None:
    """pyarrow's type for the same Python values (DuckDB narrows ints, views strings)."""
    import pyarrow as pa
    import pyarrow.types as pt

    if pt.is_integer(t):
        return pa.int64()
    if pt.is_floating(t):
        return pa.float64()
    if pt.is_string(t) or pt.is_large_string(t) or t == pa.string_view():
        return pa.string()
    if pt.is_list(t) or pt.is_large_list(t):
        return pa.list_(_default_type(t.value_type) or t.value_type)
    if pt.is_struct(t):
        return pa.struct([pa.field(f.name, _default_type(f.type) or f.type) for f in t])
    return None


def from_rows(rows: Sequence[Mapping[str, Any]], schema: pa.Schema | None = None) -> pa.Table:
    """`pa.Table.from_pylist(rows, schema)`, pandas-free: columns in first-seen key order."""
    from armatlas.frame import row_keys

    names = list(schema.names) if schema is not None else row_keys(rows)
    return table({n: [r.get(n) for r in rows] for n in names}, schema)


def column(values: Any, type: pa.DataType | None = None) -> pa.ChunkedArray:
    """`pa.array(values, type)` as a chunked column, pandas-free."""
    import pyarrow as pa

    if type is not None and isinstance(values, list):
        fast = _from_buffers(values, type)
        if fast is not None:
            return pa.Table.from_arrays([fast], names=["v"]).column(0)
    schema = pa.schema([("v", type)]) if type is not None else None
    return table({"v": values}, schema).column(0)


def _strings(values: list, n: int, np: Any, pa: Any) -> pa.Array | None:
    """A column of str (None allowed) as an Arrow string array; None if a value is not a str.
    No per-value type check: `str.join` refuses anything else (a str subclass is a str)."""
    if (  # one value throughout (the ends and middle compared first: most columns differ there)
        n
        and builtins.type(values[0]) is str
        and values[0] == values[n // 2] == values[-1]
        and values.count(values[0]) == n
    ):
        one = values[0].encode()
        offsets = np.arange(n + 1, dtype=np.int64) * len(one)
        if len(one) * n < 2**31:
            return pa.Array.from_buffers(
                pa.string(), n, [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(one * n)]
            )
    has_null = None in values
    texts = [v if v is not None else "" for v in values] if has_null else values
    joined = "".join(texts)  # TypeError for a value that is not a str
    chars = joined.encode()  # UnicodeEncodeError for a lone surrogate: the general path says so
    # One byte a character but in the few values that are not ASCII: lengths in characters,
    # then those values' lengths in bytes (the whole text encoded once).
    sizes = np.fromiter(map(len, texts), np.int64, n)
    if len(chars) != len(joined):
        wide = np.frombuffer(bytes(map(str.isascii, texts)), bool)
        for i in np.flatnonzero(~wide).tolist():
            sizes[i] = len(texts[i].encode())
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    if offsets[-1] >= 2**31:
        return None
    nulls = None
    if has_null:  # one C pass: a byte per value
        valid = np.frombuffer(bytes(map(operator.is_not, values, itertools.repeat(None, n))), bool)
        nulls = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(
        pa.string(), n, [nulls, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(chars)]
    )


def int_range(start: int, stop: int) -> pa.ChunkedArray:
    """The int64 column start, start + 1, ..., stop - 1 (keys by position), without Python ints."""
    import numpy as np

    return _int64(np.arange(start, stop, dtype=np.int64))


def int_full(value: int, n: int) -> pa.ChunkedArray:
    """The int64 column of `value` n times (a snapshot id), without Python ints."""
    import numpy as np

    return _int64(np.full(n, value, dtype=np.int64))


def _int64(data: Any) -> pa.ChunkedArray:
    import pyarrow as pa

    return pa.chunked_array([pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])])


def _from_buffers(values: list, type: pa.DataType) -> pa.Array | None:
    """Plain columns (string, list of strings, bool, int32/64, float64) straight into Arrow buffers through
    numpy: ~50x faster than the DuckDB round trip for an ingest's 10^5-row columns.
    None for other types or values that are not plain (then the general path decides)."""
    import numpy as np
    import pyarrow as pa

    n = len(values)
    if type == pa.string():
        try:
            return _strings(values, n, np, pa)
        except (OverflowError, TypeError, ValueError):  # not str, or not encodable as UTF-8
            return None
    # What the values are, in one C pass (no generator per cell): their Python types.
    kinds = set(map(builtins.type, values))
    has_null = _NONE in kinds
    kinds.discard(_NONE)
    dtype = {pa.int32(): np.int32, pa.int64(): np.int64, pa.float64(): np.float64}.get(type)
    strings = pa.types.is_list(type) and type.value_type == pa.string()  # list of strings
    plain = (
        {str}
        if type == pa.string()
        else {bool, np.bool_}
        if type == pa.bool_()
        else {list}
        if strings
        else {int, bool}
    )
    if dtype is None and type not in (pa.string(), pa.bool_()) and not strings:
        return None
    if not kinds <= plain and dtype is not np.float64:
        return None
    try:
        if not has_null:
            valid = None
        elif not kinds:
            valid = np.zeros(n, bool)  # all missing
        else:  # one C pass: a byte per value (faster than an object array compared to None)
            valid = np.frombuffer(bytes(map(operator.is_not, values, itertools.repeat(None, n))), bool)
        nulls = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
        if strings:  # offsets into one string child holding every list's items
            child = _from_buffers([x for v in values if v is not None for x in v], pa.string())
            if child is None:
                return None
            offsets = np.zeros(n + 1, np.int32)
            np.cumsum(np.fromiter((0 if v is None else len(v) for v in values), np.int32, n), out=offsets[1:])
            return pa.Array.from_buffers(type, n, [nulls, pa.py_buffer(offsets)], children=[child])
        if type == pa.bool_():
            if kinds and not has_null and kinds <= {bool}:  # bools are bytes 0/1: one C pass
                flags = np.frombuffer(bytes(values), bool)
            else:
                flags = np.array(values, dtype=bool) if kinds else np.zeros(n, bool)  # None -> False
            bits = np.packbits(flags, bitorder="little")
            return pa.Array.from_buffers(type, n, [nulls, pa.py_buffer(bits)])
        if not kinds:  # every value missing: zeros under an all-null bitmap
            data = np.zeros(n, dtype)
        elif not kinds <= {int, bool, float}:  # float64 of numpy scalars and the like: one by one
            data = np.fromiter((0 if v is None else v for v in values), dtype, n)
        elif valid is None:
            data = np.array(values, dtype=dtype)
        else:
            obj = np.array(values, dtype=object)
            obj[~valid] = 0
            data = obj.astype(dtype)
        return pa.Array.from_buffers(type, n, [nulls, pa.py_buffer(data)])
    except (OverflowError, TypeError, ValueError):
        return None
