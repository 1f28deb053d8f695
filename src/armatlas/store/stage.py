"""Where a file's parsed, checked rows wait (snapshot id 0) until one transaction stores them.

Two kinds, one interface (`store/ingest.py` uses either):
- `Stage`: a private DuckDB database, in memory or (for a large register) a temporary file that
  spills past the ingest's memory limit, attached by the commit;
- `ArrowStage`: the Arrow tables themselves, for a register small enough to hold (no second
  database to fill, read back for the digest and copy out again). Its content digest is
  `snapshot_digest`'s to the bit (`identity.tables_digest`), and the commit inserts the tables
  in the same order as it copies a database stage's rows.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from armatlas import columnar
from armatlas.store import identity
from armatlas.store.db import fetch_row, insert_table
from armatlas.store.quarantine import Report, report_tables, store_report

if TYPE_CHECKING:
    import pyarrow as pa

INGEST_MEMORY = "512MB"  # DuckDB's memory limit for a staging database (a file spills beyond)
ATTACHED = "armatlas_stage"  # the catalog a stage file is attached as during the commit
SPILL_BATCH = 32  # inserts into a stage file per transaction (16 chunks of deals and deliveries)

Source = str | duckdb.DuckDBPyConnection | Mapping[str, Sequence["pa.Table"]]


class Stage:
    """A private DuckDB database: in memory, or a temporary file that spills (`in_memory=False`)."""

    def __init__(self, in_memory: bool = True) -> None:
        from armatlas.store.db import create_schema

        self.dir: Path | None = None if in_memory else Path(tempfile.mkdtemp(prefix="armatlas-stage-"))
        self.path = None if self.dir is None else self.dir / "stage.duckdb"
        self.spills = self.path is not None  # may outgrow memory: the commit lowers DuckDB's limit
        self.con: duckdb.DuckDBPyConnection | None = duckdb.connect(str(self.path or ":memory:"))
        self.con.execute(f"SET memory_limit = '{INGEST_MEMORY}'")
        create_schema(self.con)
        self._inserts = 0
        if self.spills:
            # Chunks inserted SPILL_BATCH at a time in one transaction. An insert of its own per
            # chunk went through the write-ahead log each time; one transaction for a whole large
            # file held it in memory (x100 register: 2.5 GB). Measured (bench/bench_ingest.py
            # x100): 82.8 s -> 70.0 s, peak 1,311 -> 1,355 MB.
            self.con.execute("BEGIN TRANSACTION")

    def _con(self) -> duckdb.DuckDBPyConnection:
        assert self.con is not None
        return self.con

    def insert(self, name: str, table: pa.Table) -> None:
        insert_table(self._con(), name, table)
        self._inserts += 1
        if self.spills and self._inserts % SPILL_BATCH == 0:
            self._con().execute("COMMIT; BEGIN TRANSACTION")

    def count(self, name: str) -> int:
        return int(fetch_row(self._con(), f"SELECT count(*) FROM {name}")[0])

    def delete_deals(self, keys: list[int]) -> None:
        """Drop these deals and their deliveries (duplicates found once the file is read)."""
        for name in ("delivery", "deal"):
            self._con().execute(f"DELETE FROM {name} WHERE deal_key IN (SELECT unnest(?::BIGINT[]))", [keys])

    def add_report(self, report: Report, mode: str, ids: dict[str, str | None]) -> None:
        store_report(self._con(), report, 0, mode, ids)

    def digest(self, row: Mapping[str, Any]) -> str:
        """The content digest; a file stage is then closed (the commit attaches it)."""
        out = identity.snapshot_digest(self._con(), 0, row)
        if self.path is not None:
            self.close()
        return out

    def digest_later(self, row: Mapping[str, Any]) -> Future[str]:
        """The digest, computed now: the stage's database is read by one thread at a time."""
        done: Future[str] = Future()
        done.set_result(self.digest(row))
        return done

    def attach(self, con: duckdb.DuckDBPyConnection) -> Source:
        """What `identity.copy_staged` copies from, reachable from the store's connection."""
        if self.path is None:
            return self._con()
        con.execute(f"ATTACH '{self.path}' AS {ATTACHED} (READ_ONLY)")
        return ATTACHED

    def detach(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.path is not None:
            con.execute(f"DETACH {ATTACHED}")

    def close(self, *, keep: bool = True) -> None:
        """Closed, its rows committed for the store to attach (`keep=False`: discarded)."""
        con, self.con = self.con, None
        if con is None:
            return
        try:
            if self.spills and keep:
                con.execute("COMMIT")
        finally:
            con.close()  # an open transaction (a stage being discarded) is rolled back

    def remove(self) -> None:
        self.close(keep=False)
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)


class ArrowStage:
    """A register's tables as the Arrow tables they were built as, in the order they came."""

    spills = False  # held in memory whole

    def __init__(self) -> None:
        self.tables: dict[str, list[pa.Table]] = {}

    def insert(self, name: str, table: pa.Table) -> None:
        self.tables.setdefault(name, []).append(table)

    def count(self, name: str) -> int:
        return sum(t.num_rows for t in self.tables.get(name, ()))

    def delete_deals(self, keys: list[int]) -> None:
        import numpy as np
        import pyarrow as pa

        drop = np.array(keys, dtype=np.int64)
        for name in ("delivery", "deal"):
            self.tables[name] = [
                t.filter(
                    columnar.column(
                        (~np.isin(t.column("deal_key").to_numpy(zero_copy_only=False), drop)).tolist(),
                        pa.bool_(),
                    )
                )
                for t in self.tables.get(name, ())
            ]

    def add_report(self, report: Report, mode: str, ids: dict[str, str | None]) -> None:
        for name, table in report_tables(report, 0, mode, ids).items():
            self.insert(name, table)

    def digest(self, row: Mapping[str, Any]) -> str:
        return identity.tables_digest(self.tables, row)

    def digest_later(self, row: Mapping[str, Any]) -> Future[str]:
        """The digest, hashed on a thread of its own. The tables are not changed once staged,
        and Arrow's CSV writer and sha256 hold the GIL only between batches, so the commit's
        copy of the same tables runs beside it (the caller asks `result()` where it must)."""
        pending: Future[str] = Future()
        tables, row = dict(self.tables), dict(row)

        def run() -> None:
            try:
                pending.set_result(identity.tables_digest(tables, row))
            except BaseException as exc:  # handed to whoever asks for the result
                pending.set_exception(exc)

        threading.Thread(target=run, name="armatlas-digest").start()  # not a daemon: never cut off at exit
        return pending

    def attach(self, con: duckdb.DuckDBPyConnection) -> Source:
        return self.tables

    def detach(self, con: duckdb.DuckDBPyConnection) -> None:
        """Nothing was attached: the tables are handed to the store's connection directly."""

    def close(self) -> None:
        """No file to remove: the tables are freed with this object."""

    def remove(self) -> None:
        self.tables = {}
