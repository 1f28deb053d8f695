"""Per-app state: one read-only store, a byte-bounded response cache, and the analysis gate."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import logging
import math
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from armatlas import __version__
from armatlas.atlas import Atlas, open_atlas
from armatlas.errors import StoreError

T = TypeVar("T")
log = logging.getLogger("armatlas.api")

DEFAULT_TIMEOUT = 10.0  # seconds for one request: queueing plus its queries
SERVICE_MARGIN = 2.0  # start an analysis only with this many average run times left before the deadline
CACHE_BYTES = 64 * 1024 * 1024  # all cached bodies together
CACHE_ENTRY_BYTES = 4 * 1024 * 1024  # a larger body is served but not kept


def body_etag(body: bytes) -> str:
    """Strong ETag of one response body: equal bytes, equal tag, whatever process served them."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class Cached:
    body: bytes
    media_type: str
    etag: str = field(default="")

    def __post_init__(self) -> None:
        if not self.etag:
            object.__setattr__(self, "etag", body_etag(self.body))


class ResponseCache:
    """LRU of rendered 200 responses, bounded in bytes. The store is opened read-only, so DuckDB
    lets no writer change it while we serve (`armatlas ingest` is refused, naming the server);
    keys still begin with the store's content tag (`store_etag`), so an answer is never served
    for other content than it was computed from."""

    def __init__(self, max_bytes: int = CACHE_BYTES, max_entry: int = CACHE_ENTRY_BYTES) -> None:
        self.max_bytes = max_bytes
        self.max_entry = min(max_entry, max_bytes)
        self.bytes = 0
        self._data: OrderedDict[tuple, Cached] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: tuple) -> Cached | None:
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, key: tuple, value: Cached) -> None:
        size = len(value.body)
        if size > self.max_entry:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.bytes -= len(old.body)
            self._data[key] = value
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, evicted = self._data.popitem(last=False)
                self.bytes -= len(evicted.body)


class Gate:
    """At most `slots` analyses run at once; the rest wait first come, first served.

    Works across event loops (a test client may run one per thread): waiters are futures woken
    thread-safely. `service` is a moving average of how long one analysis takes, so a request
    that could only time out in the queue is refused at once instead.
    """

    def __init__(self, slots: int) -> None:
        self.slots = max(1, slots)
        self.running = 0
        self.service = 0.05  # seconds; updated after every analysis
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()
        self._lock = threading.Lock()

    def expected_wait(self) -> float:
        """Seconds a request arriving now would wait for a slot."""
        with self._lock:
            ahead = self.running + len(self._waiters) + 1 - self.slots
        return max(0, ahead) * self.service / self.slots

    async def acquire(self, timeout: float) -> bool:
        """A slot within timeout seconds (True), or False and no slot held."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self.running < self.slots and not self._waiters:
                self.running += 1
                return True
            if timeout <= 0:
                return False
            waiter = (loop, loop.create_future())
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter[1], timeout)
            return True
        except BaseException as exc:
            with self._lock:
                handed = waiter not in self._waiters
                if not handed:
                    self._waiters.remove(waiter)
            if handed:  # the slot arrived as we gave up: pass it on
                self.release()
            if isinstance(exc, TimeoutError):
                return False
            raise

    def release(self, took: float | None = None) -> None:
        """Free a slot (thread-safe), handing it to the oldest waiter if any."""
        if took is not None:
            self.service = 0.8 * self.service + 0.2 * took
        with self._lock:
            if self._waiters:
                loop, fut = self._waiters.popleft()
                loop.call_soon_threadsafe(_wake, fut)
                return
            self.running -= 1


def _wake(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


def store_etag(atlas: Atlas) -> str:
    """Tag of the store's content (`Atlas.content_state`) and the code version (aggregates are
    rebuilt from the snapshots by the code)."""
    text = "armatlas " + __version__ + "\n" + atlas.content_state()
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


def busy(wait: float, why: str) -> HTTPException:
    """503 with Retry-After: the client learns at once, before any CPU is spent on it."""
    secs = max(1, math.ceil(wait))
    return HTTPException(
        503, f"The server is busy ({why}); retry in about {secs} s", headers={"Retry-After": str(secs)}
    )


class ServerState:
    """What every request shares: the store connection (read-only), the cache and the gate."""

    def __init__(
        self, store_path: str | Path | None, timeout: float = DEFAULT_TIMEOUT, slots: int | None = None
    ) -> None:
        self.atlas = open_atlas(store_path)
        self.path = self.atlas.path
        self.timeout = timeout
        try:
            # One DuckDB thread per query: a parallel scan adds its partial float sums in whatever
            # order the threads finish, so the last digit of a total varied between runs. Single-
            # threaded sums run in a fixed order; the gate runs one analysis per core instead.
            self.atlas.con.execute("SET threads = 1")
            self.etag = store_etag(self.atlas)
        except duckdb.Error as exc:  # damaged file, or a file that is not an armatlas store
            self.atlas.close()
            raise StoreError(
                f"The store cannot be read: {str(exc).splitlines()[0]}",
                file=self.path,
                hint="Rebuild it: delete the file and run `armatlas ingest` again.",
            ) from None
        self.cache = ResponseCache()
        self.gate = Gate(slots or os.cpu_count() or 1)
        self._inflight: dict[tuple, concurrent.futures.Future[Cached]] = {}
        self._inflight_lock = threading.Lock()

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

    def warm_up(self) -> None:
        """Import the analyses and run one small query, so the first client does not pay for it."""
        started = time.monotonic()
        try:
            top = self.atlas.trends(direction="import", top=2).rows
            for i, row in enumerate(top):
                begin = time.monotonic()
                self.atlas.profile(row["name"])
                if i:  # the gate's first estimate of a run time: a warm profile, the heaviest common one
                    self.gate.service = max(self.gate.service, time.monotonic() - begin)
        except Exception as exc:
            log.warning("warm-up query failed: %s", str(exc).splitlines()[0] if str(exc) else exc)
        log.info("warmed up in %.2f s", time.monotonic() - started)

    async def cached(self, key: tuple, make: Callable[[Atlas], Cached]) -> Cached:
        """The cached answer for key, or make it once: concurrent requests for the same key wait
        for the one computation under way (single flight) instead of each running it."""
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        with self._inflight_lock:
            flight = self._inflight.get(key)
            owner = flight is None
            if owner:
                flight = self._inflight[key] = concurrent.futures.Future()
        assert flight is not None
        if not owner:
            return await asyncio.wrap_future(flight)  # its result, or the same error
        try:
            hit = await self.run(make)
            self.cache.put(key, hit)
            flight.set_result(hit)
            return hit
        except BaseException as exc:
            flight.set_exception(exc)
            raise
        finally:
            with self._inflight_lock:
                self._inflight.pop(key, None)

    async def run(self, fn: Callable[[Atlas], T]) -> T:
        """Run fn on an Atlas over a fresh cursor in a worker thread, within the time limit.

        Each request gets its own DuckDB cursor; at most `gate.slots` run at once. One that would
        only time out while queued is answered 503 at once; one that runs past the deadline has its
        query interrupted (DuckDB stops it) and is answered 504.
        """
        deadline = time.monotonic() + self.timeout
        wait = self.gate.expected_wait()
        need = SERVICE_MARGIN * self.gate.service  # time left to start: an analysis runs ~service s
        if wait > 0 and wait + need > self.timeout:
            raise busy(wait, f"about {wait:.1f} s of analyses queued")
        if not await self.gate.acquire(deadline - time.monotonic() - need):
            raise busy(self.gate.expected_wait(), "no analysis slot came free in time")
        started = False
        cursor = self.atlas.con.cursor()
        guarded = DeadlineCursor(cursor, deadline)

        def work() -> T:
            nonlocal started
            started = True
            begin = time.monotonic()
            try:
                # a cursor of the server's read-only connection: what is read once of the store
                # (its content digest) is shared with it
                return fn(self.atlas.over(guarded))  # type: ignore[arg-type]
            finally:
                cursor.close()
                self.gate.release(time.monotonic() - begin)

        loop = asyncio.get_running_loop()
        timer = loop.call_later(max(0.0, deadline - time.monotonic()), _interrupt, guarded.family)
        try:
            return await run_in_threadpool(work)
        except duckdb.InterruptException:
            raise HTTPException(
                504, f"The request took longer than {self.timeout:g} s and was stopped"
            ) from None
        finally:
            timer.cancel()
            if not started:
                cursor.close()
                self.gate.release()


class DeadlineCursor:
    """A cursor that refuses to start a query after the deadline (the timer's interrupt stops the
    one running then; this stops the analysis from starting the next)."""

    STARTS = frozenset({"execute", "executemany", "sql", "query", "read_csv", "read_parquet"})

    def __init__(
        self,
        cursor: duckdb.DuckDBPyConnection,
        deadline: float,
        family: list[duckdb.DuckDBPyConnection] | None = None,
    ) -> None:
        self._cursor = cursor
        self._deadline = deadline
        self.family = family if family is not None else [cursor]  # every cursor to interrupt

    def __getattr__(self, name: str) -> Any:
        if name in self.STARTS and time.monotonic() > self._deadline:
            raise duckdb.InterruptException("deadline passed before the next query")
        return getattr(self._cursor, name)


def _interrupt(cursors: list[duckdb.DuckDBPyConnection]) -> None:
    for cursor in list(cursors):
        with contextlib.suppress(duckdb.Error):  # already finished or closed
            cursor.interrupt()
