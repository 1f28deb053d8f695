"""Analysis calls of one claim check, each run once: an article's claims often need the same
analysis with the same arguments (four sentences on a country's industry, two editions' builders
asking for the same dependence), and every call costs several queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import duckdb

T = TypeVar("T")


def _frozen(value: Any) -> Any:
    """A hashable stand-in for an argument (lists and dicts as tuples)."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


class Memo:
    """`memo(fn, *args, **kw)` = `fn(con, *args, **kw)`, computed once per check for equal
    arguments; an error is remembered and raised again, like the call would."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._values: dict[tuple, Any] = {}
        self._errors: dict[tuple, Exception] = {}

    def __call__(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        key = (fn.__module__, fn.__qualname__, _frozen(args), _frozen(kw))
        if key in self._errors:
            raise self._errors[key]
        if key not in self._values:
            try:
                self._values[key] = fn(self.con, *args, **kw)
            except Exception as exc:
                self._errors[key] = exc
                raise
        return cast(T, self._values[key])
