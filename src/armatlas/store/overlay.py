"""The user's own mappings, beside the store: ARMATLAS_HOME/mappings/{entities,descriptions}.csv.

They extend the checked-in registers without editing the installed package. Both files are
validated on load (known entity ids, one of the twelve categories, no conflicting rows); their
sha256 goes into the provenance of every snapshot that used them.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from armatlas import config
from armatlas.categories.mapping import CATEGORIES, normalise_description
from armatlas.entities.register import load_register
from armatlas.errors import ParseError

ENTITY_COLUMNS = ("name", "entity_id", "note")
DESCRIPTION_COLUMNS = ("description", "category", "note")


@dataclass(frozen=True)
class Overlay:
    """Validated user mappings and the sha256 of each file they came from."""

    entities: dict[str, str] = field(default_factory=dict)  # name as written -> entity_id
    descriptions: dict[str, str] = field(default_factory=dict)  # normalised -> category
    sha256: dict[str, str] = field(default_factory=dict)  # file name -> sha256

    def digest(self) -> str | None:
        """One line for provenance: 'entities.csv:<sha256>; descriptions.csv:<sha256>'."""
        return "; ".join(f"{k}:{v}" for k, v in sorted(self.sha256.items())) or None


def mappings_dir(home: Path | None = None) -> Path:
    return (home or config.home()) / "mappings"


def _rows(path: Path, columns: tuple[str, ...]) -> tuple[list[tuple[int, dict[str, str]]], str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError("The mapping file is not UTF-8", file=path, hint="Save it as UTF-8 CSV.") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns[:2] if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(
            f"The mapping file lacks the column(s) {', '.join(missing)}",
            file=path,
            line=1,
            value=",".join(reader.fieldnames or []),
            hint=f"Expected the header: {','.join(columns)}",
        )
    rows = [(i, {k: (v or "").strip() for k, v in r.items() if k}) for i, r in enumerate(reader, 2)]
    return rows, hashlib.sha256(raw).hexdigest()


def load_overlay(home: Path | None = None) -> Overlay:
    """Read and validate the user's mappings; an empty overlay when there are none."""
    d = mappings_dir(home)
    entities: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    sha: dict[str, str] = {}
    path = d / "entities.csv"
    if path.is_file():
        reg = load_register()
        known = {e.entity_id for e in reg.all()}
        rows, sha["entities.csv"] = _rows(path, ENTITY_COLUMNS)
        for line, r in rows:
            name, eid = r.get("name", ""), r.get("entity_id", "")
            if not name:
                raise ParseError("Empty name", file=path, line=line, column="name", value=name)
            if eid not in known:
                raise ParseError(
                    "Unknown entity id",
                    file=path,
                    line=line,
                    column="entity_id",
                    value=eid,
                    hint="Use an id from `armatlas entities`.",
                )
            if entities.get(name, eid) != eid:
                raise ParseError(
                    "The name is mapped twice to different entities",
                    file=path,
                    line=line,
                    column="name",
                    value=name,
                )
            entities[name] = eid
    path = d / "descriptions.csv"
    if path.is_file():
        rows, sha["descriptions.csv"] = _rows(path, DESCRIPTION_COLUMNS)
        for line, r in rows:
            desc, cat = r.get("description", ""), r.get("category", "")
            if not desc:
                raise ParseError("Empty description", file=path, line=line, column="description")
            if cat not in CATEGORIES:
                raise ParseError(
                    "Unknown category",
                    file=path,
                    line=line,
                    column="category",
                    value=cat,
                    hint="One of: " + ", ".join(CATEGORIES),
                )
            key = normalise_description(desc)
            if descriptions.get(key, cat) != cat:
                raise ParseError(
                    "The description is mapped twice to different categories",
                    file=path,
                    line=line,
                    column="description",
                    value=desc,
                )
            descriptions[key] = cat
    return Overlay(entities, descriptions, sha)


def append_rows(path: Path, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> int:
    """Add rows the file does not hold yet (by first column); return how many were added."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existing: set[str] = set()
    if path.is_file():
        existing = {r.get(columns[0], "") for r in csv.DictReader(io.StringIO(path.read_text("utf-8-sig")))}
    new = [r for r in rows if r[0] not in existing]
    write_header = not path.is_file() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        if write_header:
            w.writerow(columns)
        w.writerows(new)
    return len(new)
