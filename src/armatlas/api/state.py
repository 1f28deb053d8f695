"""Per-app state: one read-only store, its ETag, a response cache, and per-request cursors."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from armatlas import __version__
from armatlas.atlas import Atlas, open_atlas

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0  # seconds for one request's queries
CACHE_ENTRIES = 1024


@dataclass(frozen=True)
class Cached:
    body: bytes
    media_type: str


class ResponseCache:
    """LRU of rendered 200 responses; valid for the whole life of the app (the store is opened
    read-only, so DuckDB lets no writer change it while we serve)."""

    def __init__(self, size: int = CACHE_ENTRIES) -> None:
        self.size = size
        self._data: OrderedDict[tuple, Cached] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Cached | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: tuple, value: Cached) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def store_etag(con: duckdb.DuckDBPyConnection) -> str:
    """Strong ETag of the store's content: hash of every snapshot's sha256 plus the code version."""
    shas = sorted(r[0] for r in con.execute("SELECT sha256 FROM snapshot").fetchall())
    digest = hashlib.sha256(("armatlas " + __version__ + "\n" + "\n".join(shas)).encode()).hexdigest()
    return f'"{digest[:32]}"'


class ServerState:
    """What every request shares: the store connection (read-only) and derived caches."""

    def __init__(self, store_path: str | Path | None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.atlas = open_atlas(store_path)
        self.path = self.atlas.path
        self.timeout = timeout
        self.etag = store_etag(self.atlas.con)
        self.cache = ResponseCache()

    def close(self, wait: float = 5.0) -> None:
        """Close the store; a worker stopped by the time limit may still be unwinding, so retry."""
        deadline = time.monotonic() + wait
        while True:
            try:
                self.atlas.close()
                return
            except duckdb.Error:  # DuckDB 2 refuses to close a connection a cursor is still using
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    async def run(self, fn: Callable[[Atlas], T]) -> T:
        """Run fn on an Atlas over a fresh cursor in a worker thread, within the time limit.

        Each request gets its own DuckDB cursor so readers never wait on each other; a request
        over the limit is interrupted (DuckDB stops the query) and answered 504.
        """
        cursor = self.atlas.con.cursor()

        def work() -> T:
            try:
                return fn(Atlas(cursor, self.path))
            finally:
                cursor.close()

        try:
            return await asyncio.wait_for(run_in_threadpool(work), self.timeout)
        except TimeoutError:
            try:
                cursor.interrupt()
            except duckdb.Error:  # already finished or closed
                pass
            raise HTTPException(504, f"The request took longer than {self.timeout:g} s and was stopped") from None


def cache_key(path: str, items: list[tuple[str, str]]) -> tuple[Any, ...]:
    return (path, tuple(sorted(items)))
