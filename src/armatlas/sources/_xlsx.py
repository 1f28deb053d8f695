"""Workbook plumbing shared by the SIPRI .xlsx sources: open, validate a download, snapshot it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from armatlas.errors import LayoutError, ParseError

if TYPE_CHECKING:
    from armatlas.sources.snapshot import Snapshot


def open_workbook(path: Path, homepage: str) -> Any:
    """A read-only openpyxl workbook, or a LayoutError saying where to get the file again."""
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            # "Workbook contains no default style": a workbook re-saved by Apache POI; harmless,
            # and the library's stray warning must not reach the user's terminal.
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise LayoutError(
            f"Not a readable .xlsx workbook: {exc}",
            file=path.name,
            hint=f"Download the workbook again from {homepage}",
        ) from None


def validate_xlsx(data: bytes) -> None:
    """A download that is not a zip (an HTML error page, say) is refused before it is kept."""
    if data[:4] != b"PK\x03\x04":
        raise ParseError(
            "Downloaded file is not an .xlsx workbook",
            value=data[:40],
            hint="The publisher may have moved the file; pass its address with --url",
        )


def fetch_xlsx(
    source: dict[str, str],
    url: str,
    root: str | Path | None,
    *,
    default_name: str,
    today: date | None = None,
    **kw: Any,
) -> list[Snapshot]:
    """Download a workbook into an immutable snapshot `<root>/<source id>/<date>[-N]/<file>`
    plus `meta.json`, written by `write_snapshot` like every other source."""
    from armatlas import config
    from armatlas.sources._http import fetch_body
    from armatlas.sources.snapshot import snapshot_of, write_snapshot

    body = fetch_body(url, validate=validate_xlsx, **kw)  # checked before anything is written
    name = url.rsplit("/", 1)[-1].split("?")[0] or default_name
    meta = {
        "layout": "xlsx",
        "publisher": source["publisher"],
        "dataset": source["dataset"],
        "licence": source["licence"],
    }
    root = Path(root) if root is not None else config.snapshot_root()
    return [snapshot_of(write_snapshot(root, source["id"], name, body, meta, today=today))]
