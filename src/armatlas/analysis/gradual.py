"""Per-country reads of store-wide data: one country at a time, then all at once.

A one-off command (`armatlas profile X`) needs one country's rows of a table; a server or a
claim check asks for many. So the first few countries are read one query each, and after
`WHOLE_AFTER` of them every country's rows come from one read, kept for the store content the
owner is cached by. Either way a country gets the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import duckdb

V = TypeVar("V")
WHOLE_AFTER = 8


class Gradual(Generic[V]):
    """`get(con, key)`: `one(con, key)` for the first keys, then `whole(con)[key]` (or `empty()`)."""

    def __init__(
        self,
        one: Callable[[duckdb.DuckDBPyConnection, Any], V],
        whole: Callable[[duckdb.DuckDBPyConnection], dict[Any, V]],
        empty: Callable[[], V],
        after: int = WHOLE_AFTER,
    ) -> None:
        self._one, self._whole, self._empty, self._after = one, whole, empty, after
        self._seen: dict[Any, V] = {}
        self._all: dict[Any, V] | None = None

    def get(self, con: duckdb.DuckDBPyConnection, key: Any) -> V:
        if self._all is None and key not in self._seen and len(self._seen) >= self._after:
            self._all = self._whole(con)
            self._seen.clear()
        if self._all is not None:
            return self._all.get(key, self._empty())
        if key not in self._seen:
            self._seen[key] = self._one(con, key)
        return self._seen[key]
