"""Reads that depend only on what the store holds, asked once per unit of work.

A claim check asks "which snapshots does this store hold", "which is release R's register",
"what caveats do these snapshots carry" once per analysis it runs: a dozen small queries per
check that all have the same answer. Inside `one_store_state()` each such read runs once; the
scope is for work that does not write (a check reads one store through one connection, and no
other process can write a DuckDB file while it is open for reading). Outside a scope every
read runs as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

T = TypeVar("T")

_SCOPE: ContextVar[dict[tuple, Any] | None] = ContextVar("armatlas_store_scope", default=None)


@contextmanager
def one_store_state() -> Iterator[None]:
    """Within this block, `once` answers each key from its first read."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def once(key: tuple, read: Callable[[], T]) -> T:
    """`read()`, run once per key inside `one_store_state()`, every time outside it."""
    scope = _SCOPE.get()
    if scope is None:
        return read()
    if key not in scope:
        scope[key] = read()
    return cast(T, scope[key])
