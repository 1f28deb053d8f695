"""One fetch contract for every downloadable source, and the registry `armatlas fetch` reads.

Each source module has `fetch(dest=None, *, release=None, progress=None, **options) ->
list[Snapshot]`: `dest` is the snapshot root (default `config.snapshot_root()`), `release`
picks a release where the publisher serves more than the current one (None: the current),
`progress(bytes_done, bytes_total)` is called while bytes arrive. It returns a list because a
release can be several files (the SIPRI register, its delivery-year layout and TIV tables; one
World Bank indicator per file), each an immutable snapshot folder written by
`snapshot.write_snapshot`. Every file is checked before it is kept.

UN Comtrade (`comtrade.py`) is not here: it is a live, per-country query (at most 500 rows
without a key), not a published release that can be kept as a file and ingested.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from armatlas.errors import FetchError
from armatlas.sources._http import Progress
from armatlas.sources.snapshot import Snapshot


@dataclass(frozen=True)
class FetchSource:
    """A source `armatlas fetch` can download: its name on the command line and where its fetch is."""

    name: str  # as `--source` takes it
    label: str  # what the progress bar says
    module: str  # imported on use, so `armatlas --help` loads no source
    url_option: str  # the keyword of the module's fetch that the CLI's address flag sets

    def fetch(
        self,
        dest: Path | None = None,
        *,
        release: str | None = None,
        progress: Progress | None = None,
        url: str | None = None,
    ) -> list[Snapshot]:
        """The module's `fetch` under the common contract (an address only when one is given)."""
        fn: Callable[..., list[Snapshot]] = importlib.import_module(self.module).fetch
        kw: dict[str, Any] = {self.url_option: url} if url else {}
        return fn(dest, release=release, progress=progress, **kw)


#: Every source `armatlas fetch` knows, in the order `--source all` fetches them.
SOURCES: dict[str, FetchSource] = {
    s.name: s
    for s in (
        FetchSource("sipri-at", "SIPRI arms transfers", "armatlas.sources.sipri_transfers_fetch", "base_url"),
        FetchSource("milex", "SIPRI military expenditure", "armatlas.sources.sipri_milex", "url"),
        FetchSource("worldbank", "World Bank indicators", "armatlas.sources.worldbank", "base_url"),
        FetchSource("industry", "SIPRI arms industry (Top 100)", "armatlas.sources.sipri_industry", "url"),
    )
}


def current_only(dataset: str, release: str | None) -> None:
    """Refuse a past release from a publisher that serves only its current one."""
    if release is not None:
        raise FetchError(
            f"{dataset} can be fetched only in its current release",
            value=release,
            hint="Fetch without --release; older releases are ingested from files you already have "
            "(`armatlas ingest PATH`)",
        )
