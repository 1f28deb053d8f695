"""Reads that depend only on what the store holds, asked once per unit of work.

A claim check asks "which snapshots does this store hold", "which is release R's register",
"what caveats do these snapshots carry" once per analysis it runs: a dozen small queries per
check that all have the same answer. Inside `one_store_state()` each such read runs once; the
scope is for work that does not write (a check reads one store through one connection, and no
other process can write a DuckDB file while it is open for reading). Outside a scope every
read runs as before.
"""

from __future__ import annotations

import weakref
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


# Read-only connections, each with the memo it shares with its cursors. A store open for reading
# cannot change under that connection: DuckDB refuses a writer from another process while the
# file is open, and in this process one file has one configuration (a read-write open of it
# fails), so what such a connection reads of the store holds until it is closed. Keyed weakly:
# a closed and collected connection takes its memo with it, and a new one starts empty.
_FROZEN: weakref.WeakKeyDictionary[Any, dict[tuple, Any]] = weakref.WeakKeyDictionary()


def frozen(con: Any) -> None:
    """Mark `con` as a read-only connection: `per_store` may remember what it reads."""
    _FROZEN.setdefault(con, {})


def read_only(con: Any) -> bool:
    """True for a connection `frozen` marked (and the cursors that share its store)."""
    return con in _FROZEN


def same_store(parent: Any, child: Any) -> None:
    """`child` (a cursor of `parent`, or a wrapper around one) reads parent's store: it shares
    parent's memo when parent is read-only."""
    memo = _FROZEN.get(parent)
    if memo is not None:
        _FROZEN[child] = memo


def per_store(con: Any, key: tuple, read: Callable[[], T]) -> T:
    """`read()` once per read-only connection and its cursors; every time on a writable one."""
    memo = _FROZEN.get(con)
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return cast(T, memo[key])
