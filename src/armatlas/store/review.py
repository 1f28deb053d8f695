"""`armatlas review`: everything a file (or a stored release) needs from a person, in one run.

Lists every name and description the reviewed registers do not hold (with what a rule derived,
or suggestions), and every data-check finding; proposes overlay rows for the user's mappings
(ARMATLAS_HOME/mappings): derived matches as they are, unresolved values with the nearest
reviewed entry, each row noting where it came from so a person can check it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from armatlas.categories.mapping import CATEGORIES, load_descriptions, normalise_description
from armatlas.entities.register import load_register
from armatlas.errors import NoDataError
from armatlas.sources.sipri_transfers import ParsedRegister, parse_bytes
from armatlas.store.harmonise import Resolver
from armatlas.store.overlay import (
    DESCRIPTION_COLUMNS,
    ENTITY_COLUMNS,
    Overlay,
    append_rows,
    load_overlay,
    mappings_dir,
)
from armatlas.store.quarantine import Finding, Report
from armatlas.store.register_rows import register_tables, table_rows


@dataclass
class ReviewItem:
    """One value that is not in the reviewed registers."""

    kind: str  # 'entity' or 'description'
    value: str
    rows: int
    tiv: float
    derived: str | None = None  # what a rule resolved it to, if one did
    rule: str | None = None
    suggestions: list[str] = field(default_factory=list)  # 'entity_id' or 'category: description'


@dataclass
class Review:
    source: str
    items: list[ReviewItem]
    findings: list[Finding]
    report: Report

    def proposed(self) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
        """Overlay rows: (name, entity_id, note) and (description, category, note)."""
        today = datetime.now(UTC).date().isoformat()
        ents: list[tuple[str, str, str]] = []
        descs: list[tuple[str, str, str]] = []
        for it in self.items:
            if it.derived is not None:
                note = f"derived by rule {it.rule}; proposed by armatlas review of {self.source} on {today}"
                value = it.derived
            elif it.suggestions:
                value = it.suggestions[0].split(":", 1)[0]
                note = (
                    f"SUGGESTION, check it: nearest reviewed entry {it.suggestions[0]!r}; "
                    f"proposed by armatlas review of {self.source} on {today}"
                )
            else:
                continue
            (ents if it.kind == "entity" else descs).append((it.value, value, note))
        return ents, descs

    def write_overlay(self, home: Path | None = None) -> dict[str, int]:
        """Append the proposed rows to the overlay files; how many rows each file gained."""
        ents, descs = self.proposed()
        d = mappings_dir(home)
        out = {}
        if ents:
            out["entities.csv"] = append_rows(d / "entities.csv", ENTITY_COLUMNS, ents)
        if descs:
            out["descriptions.csv"] = append_rows(d / "descriptions.csv", DESCRIPTION_COLUMNS, descs)
        load_overlay(home)  # what was written must validate
        return out


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _named_category(value: str) -> str | None:
    """The category whose name the description contains, the one named last (the head noun)."""
    words = [_stem(w) for w in normalise_description(value).replace("/", " ").split()]
    best: tuple[int, str] | None = None
    for cat in CATEGORIES:
        need = [_stem(w) for w in cat.lower().split()]
        if all(w in words for w in need):
            pos = max(len(words) - 1 - words[::-1].index(w) for w in need)
            if best is None or pos > best[0]:
                best = (pos, cat)
    return best[1] if best else None


def _suggest_description(value: str, n: int = 3) -> list[str]:
    table = load_descriptions()
    keys = difflib.get_close_matches(normalise_description(value), list(table), n=n, cutoff=0.6)
    named = _named_category(value)
    out = [f"{named}: the description names the category"] if named else []
    return out + [f"{table[k]}: {k}" for k in keys]


def _suggest_entity(value: str) -> list[str]:
    reg = load_register()
    from armatlas.errors import UnknownCountryError

    try:
        return [reg.find(value).entity_id]
    except UnknownCountryError as exc:
        return [reg.find(s).entity_id for s in exc.suggestions]


def _unresolved(findings: list[Finding]) -> list[ReviewItem]:
    """One item per unknown name or description, with its rows, TIV and suggestions."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.reason in ("unknown-entity", "unknown-description"):
            groups.setdefault(
                ("entity" if f.reason == "unknown-entity" else "description", str(f.value)), []
            ).append(f)
    items = []
    for (kind, value), fs in sorted(groups.items()):
        sugg = _suggest_entity(value) if kind == "entity" else _suggest_description(value)
        items.append(ReviewItem(kind, value, len(fs), sum(f.tiv for f in fs), suggestions=sugg))
    return items


def review_file(
    path: str | Path, con: duckdb.DuckDBPyConnection | None = None, overlay: Overlay | None = None
) -> Review:
    """Parse and resolve a file as a tolerant ingest would, without storing anything."""
    path = Path(path)
    parsed = parse_bytes(path.read_bytes(), str(path))
    overlay = load_overlay() if overlay is None else overlay
    resolver = Resolver(strict=False, overlay=overlay, con=con, snapshot_id=None)
    report = Report(path.name, overlay_digest=overlay.digest())
    if isinstance(parsed, ParsedRegister):
        register_tables(parsed, 0, resolver, report)
    else:
        table_rows(parsed, 0, resolver, report)
    items: list[ReviewItem] = []
    for (kind, value), (res, tier, rule, n, tiv) in sorted(report.resolutions.items()):
        if tier == "derived":
            items.append(ReviewItem(kind, value, n, tiv, res, rule))
    items += _unresolved(report.findings)
    others = [f for f in report.findings if f.reason not in ("unknown-entity", "unknown-description")]
    return Review(path.name, items, others, report)


def review_release(con: duckdb.DuckDBPyConnection, release: str) -> Review:
    """What the store holds for a release: its derived matches and quarantined rows."""
    snaps = con.execute("SELECT snapshot_id, file_name FROM snapshot WHERE release = ?", [release]).fetchall()
    if not snaps:
        raise NoDataError(
            f"No release {release!r} in the store",
            value=release,
            hint="Give a file path, or a release listed by `armatlas releases`.",
        )
    ids = [s[0] for s in snaps]
    report = Report("; ".join(s[1] for s in snaps))
    items: list[ReviewItem] = []
    try:
        res = con.execute(
            "SELECT kind, value, resolved, rule, sum(n_rows), sum(tiv) FROM resolution "
            "WHERE tier = 'derived' AND snapshot_id IN (SELECT unnest(?::INTEGER[])) "
            "GROUP BY ALL ORDER BY 1, 2",
            [ids],
        ).fetchall()
        q = con.execute(
            "SELECT reason, src_line, column_name, value, message, tiv FROM quarantine "
            "WHERE snapshot_id IN (SELECT unnest(?::INTEGER[])) ORDER BY snapshot_id, src_line",
            [ids],
        ).fetchall()
    except duckdb.CatalogException:
        res, q = [], []
    for kind, value, resolved, rule, n, tiv in res:
        items.append(ReviewItem(kind, value, int(n or 0), float(tiv or 0.0), resolved, rule))
    findings = [Finding(r, ln, col, v, m, t or 0.0) for r, ln, col, v, m, t in q]
    items += _unresolved(findings)
    report.findings = findings
    others = [f for f in findings if f.reason not in ("unknown-entity", "unknown-description")]
    return Review(release, items, others, report)
