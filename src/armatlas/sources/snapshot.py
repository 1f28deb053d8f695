"""Immutable snapshot folders: `<root>/<source>/<YYYY-MM-DD>[-N]/<file>` plus `meta.json`.

One folder holds one downloaded file and its provenance. A folder is built under a hidden
staging name and renamed into place in one step, so it either exists complete or not at all.
Folders are never rewritten: fetching identical bytes again the same day is a no-op, and
different bytes the same day go to a new folder (`2026-11-24-2`, `-3`, ...).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from armatlas.errors import DataError, FetchError
from armatlas.sources._http import Body, DownloadResult, fsync_dir

META_NAME = "meta.json"
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_FOLDER = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-(\d+))?")


@dataclass(frozen=True)
class Snapshot:
    """One snapshot folder on disk."""

    source: str
    folder: Path
    path: Path  # the data file
    meta: dict[str, Any]

    @property
    def day(self) -> str:
        return _FOLDER.fullmatch(self.folder.name).group(1)  # type: ignore[union-attr]


def write_snapshot(
    root: Path,
    source: str,
    file_name: str,
    data: bytes | Body | DownloadResult,
    meta: Mapping[str, Any] | None = None,
    *,
    today: date | None = None,
) -> Path:
    """Store `data` as a new snapshot (or find the identical one from today); return its path."""
    root = Path(root)
    _check_name(source, "source")
    _check_name(file_name, "file name")
    raw, url, retrieved = _unpack(data)
    sha = hashlib.sha256(raw).hexdigest()
    day = (today or datetime.now(UTC).date()).isoformat()
    base = root / source
    for snap in _folders_of_day(base, day):
        if snap.meta.get("file_name") == file_name and snap.meta.get("sha256") == sha:
            return snap.path  # same bytes already kept today: nothing to do
    full = {
        "source": source,
        "file_name": file_name,
        "url": url,
        "sha256": sha,
        "bytes": len(raw),
        "retrieved_at": retrieved,
        "generated_at": None,
        "layout": None,
    }
    full.update(
        {k: v for k, v in (meta or {}).items() if k not in ("source", "sha256", "bytes", "file_name")}
    )
    if full.get("url") is None:
        full["url"] = url
    try:
        return _place(base, day, file_name, raw, full)
    except OSError as exc:
        raise disk_error(exc, base) from None


def disk_error(exc: OSError, where: Path) -> FetchError:
    """A failed write as the error a user can act on: disk full, or a folder that is not writable."""
    import errno

    if exc.errno == errno.ENOSPC:
        return FetchError(
            "The disk is full: the download was not kept",
            file=where,
            hint="Free some space (or set ARMATLAS_HOME to another disk) and fetch again; "
            "nothing half-written was left behind",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return FetchError(
            "The data folder is not writable",
            file=where,
            hint="Set ARMATLAS_HOME (or --home) to a folder you can write to",
        )
    return FetchError(
        f"Cannot write the snapshot: {exc.strerror or exc}",
        file=where,
        hint="Check the data folder (ARMATLAS_HOME) and fetch again",
    )


def read_meta(path: Path) -> dict[str, Any]:
    """The meta.json of a snapshot, given its folder, its data file or the meta file itself."""
    path = Path(path)
    meta_path = path if path.name == META_NAME else (path if path.is_dir() else path.parent) / META_NAME
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            "Snapshot has no meta.json",
            file=meta_path,
            hint="Snapshots are written by `armatlas fetch`; fetch again",
        ) from None
    except (OSError, ValueError) as exc:
        raise DataError(
            f"Snapshot meta.json is unreadable: {exc}",
            file=meta_path,
            hint="Delete this snapshot folder and fetch again",
        ) from None
    if not isinstance(data, dict) or "sha256" not in data or "file_name" not in data:
        raise DataError(
            "Snapshot meta.json lacks sha256/file_name",
            file=meta_path,
            hint="Delete this snapshot folder and fetch again",
        )
    return data


def list_snapshots(root: Path, source: str | None = None) -> list[Snapshot]:
    """Every complete snapshot under `root` (or of one source), oldest first per source."""
    root = Path(root)
    if not root.is_dir():
        return []
    sources = [root / source] if source else sorted(p for p in root.iterdir() if p.is_dir())
    out: list[Snapshot] = []
    for base in sources:
        if base.name.startswith(".") or not base.is_dir():
            continue
        folders = [p for p in base.iterdir() if p.is_dir() and _FOLDER.fullmatch(p.name)]
        for folder in sorted(folders, key=_folder_key):
            snap = _load(base.name, folder)
            if snap is not None:
                out.append(snap)
    return out


def _unpack(data: bytes | Body | DownloadResult) -> tuple[bytes, str | None, str]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if isinstance(data, Body):
        return data.data, data.url, data.retrieved_at
    if isinstance(data, DownloadResult):
        raw = data.path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != data.sha256:
            raise FetchError(
                "Downloaded file changed before it was snapshotted", file=data.path, hint="Fetch again"
            )
        return raw, data.url, data.retrieved_at
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data), None, now
    raise TypeError(f"write_snapshot needs bytes, Body or DownloadResult, not {type(data).__name__}")


def _place(base: Path, day: str, file_name: str, raw: bytes, meta: dict[str, Any]) -> Path:
    """Build the folder under a staging name, then rename it to the first free day name."""
    base.mkdir(parents=True, exist_ok=True)
    _clean_stale_staging(base)
    staging = Path(tempfile.mkdtemp(dir=base, prefix=".staging-"))
    try:
        _write_synced(staging / file_name, raw)
        _write_synced(staging / META_NAME, (json.dumps(meta, indent=1, ensure_ascii=False) + "\n").encode())
        fsync_dir(staging)
        n = 1
        while True:
            final = base / (day if n == 1 else f"{day}-{n}")
            if not final.exists():
                try:
                    os.rename(staging, final)  # atomic; fails if another writer took the name
                    fsync_dir(base)
                    return final / file_name
                except OSError:
                    if not final.exists():
                        raise
            n += 1
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _clean_stale_staging(base: Path, older_than_s: float = 3600.0) -> None:
    """Remove staging folders a killed process left behind (never a complete snapshot)."""
    now = time.time()
    for p in base.glob(".staging-*"):
        try:
            if now - p.stat().st_mtime > older_than_s:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _folders_of_day(base: Path, day: str) -> list[Snapshot]:
    if not base.is_dir():
        return []
    out = []
    for p in base.iterdir():
        m = _FOLDER.fullmatch(p.name)
        if p.is_dir() and m and m.group(1) == day:
            snap = _load(base.name, p)
            if snap is not None:
                out.append(snap)
    return out


def snapshot_of(path: Path) -> Snapshot:
    """The snapshot a data file written by `write_snapshot` belongs to (its folder and meta.json)."""
    meta = read_meta(path.parent)
    return Snapshot(str(meta["source"]), path.parent, path, meta)


def _load(source: str, folder: Path) -> Snapshot | None:
    """A snapshot folder, or None for a folder that is not one (no or bad meta.json)."""
    try:
        meta = read_meta(folder)
    except DataError:
        return None
    path = folder / str(meta["file_name"])
    return Snapshot(source, folder, path, meta) if path.is_file() else None


def _folder_key(p: Path) -> tuple[str, int]:
    m = _FOLDER.fullmatch(p.name)
    assert m is not None
    return m.group(1), int(m.group(2) or 1)


def _check_name(name: str, what: str) -> None:
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        raise FetchError(
            f"Unsafe snapshot {what} {name!r}", value=name, hint="Use letters, digits, '.', '_' and '-' only"
        )
