"""Parsed register -> store rows: canonical entity ids and the twelve SIPRI categories."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from armatlas import columnar
from armatlas.categories.mapping import canonical_category, load_descriptions, normalise_description
from armatlas.entities._normalise import normalise
from armatlas.entities.register import load_register
from armatlas.errors import ParseError
from armatlas.sources.sipri_transfers.records import ParsedRegister
from armatlas.sources.sipri_transfers.tiv_tables import ParsedTivTable
from armatlas.store.overlay import Overlay
from armatlas.store.quarantine import Finding, Report
from armatlas.store.resolve import Resolution, description_rules, name_rules
from armatlas.store.schema import WORLD_ID

SOURCE = "sipri_at"
# deal_key = snapshot_id * KEY_BASE + position in the file: 2**32 positions per file, so a
# register of any realistic size never collides with the next snapshot's keys.
KEY_BASE = 1 << 32


class Resolver:
    """Names and descriptions through the three tiers; `strict` keeps reviewed (+user) only."""

    def __init__(
        self,
        *,
        strict: bool = False,
        overlay: Overlay | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
        snapshot_id: int | None = None,
    ) -> None:
        self.strict = strict
        self.overlay = overlay or Overlay()
        self.con = con
        self.snapshot_id = snapshot_id
        self.reg = load_register()
        self._at = {a: e for s, a, e in self.reg.alias_rows() if s == SOURCE}
        self._ov_names = {normalise(k): v for k, v in self.overlay.entities.items()}
        self._seen: dict[str, Resolution | None] = {}
        self._seen_categories: dict[tuple[str, str | None], Resolution | None] = {}

    def ids(self) -> dict[str, str | None]:
        """name -> entity id for every name resolved so far (None: unresolved)."""
        return {k: (r.result if r else None) for k, r in self._seen.items()}

    def entity(self, name: str) -> Resolution | None:
        if name not in self._seen:
            self._seen[name] = self._entity(name)
        return self._seen[name]

    def _entity(self, name: str) -> Resolution | None:
        n = name.strip()
        eid = self._at.get(n)
        if eid is not None:
            return Resolution(name, eid, "reviewed", "register")
        eid = self.overlay.entities.get(n) or self._ov_names.get(normalise(n))
        if eid is not None:
            return Resolution(name, eid, "user", "overlay")
        if self.strict:
            return None
        found = name_rules(tuple(sorted(self.overlay.entities.items()))).derive(n)
        return Resolution(name, found[0], "derived", found[1]) if found else None

    def category(self, description: str, publisher: str | None) -> Resolution | None:
        """Once per (description, publisher's category) of a file: its chunks share the answer."""
        key = (description, publisher)
        if key not in self._seen_categories:
            self._seen_categories[key] = self._category(description, publisher)
        return self._seen_categories[key]

    def _category(self, description: str, publisher: str | None) -> Resolution | None:
        if publisher:
            try:
                return Resolution(
                    description, canonical_category(publisher), "publisher", "armament_category"
                )
            except ParseError:
                pass  # an unknown category string: fall back to the description
        key = normalise_description(description)
        cat = load_descriptions().get(key)
        if cat is not None:
            return Resolution(description, cat, "reviewed", "register")
        cat = self.overlay.descriptions.get(key)
        if cat is not None:
            return Resolution(description, cat, "user", "overlay")
        if self.strict:
            return None
        found = description_rules(tuple(sorted(self.overlay.descriptions.items()))).derive(description)
        return Resolution(description, found[0], "derived", found[1]) if found else None

    def same_deal(
        self, column: str, supplier: str, recipient: str, designation: str, order_year: int | None
    ) -> tuple[str, str] | None:
        """The value another stored release gives the same deal, if exactly one."""
        if self.strict or self.con is None:
            return None
        if column == "category":
            sql = (
                "SELECT DISTINCT d.category, s.release FROM deal d JOIN snapshot s USING (snapshot_id) "
                "WHERE d.supplier_name = ? AND d.recipient_name = ? AND d.designation = ? "
                "AND d.order_year IS NOT DISTINCT FROM ? AND d.snapshot_id <> ?"
            )
            params = [supplier, recipient, designation, order_year, self.snapshot_id or -1]
        else:
            other = "recipient" if column == "supplier" else "supplier"
            known = recipient if column == "supplier" else supplier
            sql = (
                f"SELECT DISTINCT d.{column}_id, s.release FROM deal d JOIN snapshot s USING (snapshot_id) "
                f"WHERE d.{other}_name = ? AND d.designation = ? AND d.order_year IS NOT DISTINCT FROM ? "
                "AND d.snapshot_id <> ?"
            )
            params = [known, designation, order_year, self.snapshot_id or -1]
        try:
            rows = self.con.execute(sql, params).fetchall()
        except duckdb.Error:
            return None
        values = {r[0] for r in rows}
        return (rows[0][0], f"same_deal:release {min(r[1] for r in rows)}") if len(values) == 1 else None


def _note(report: Report, kind: str, r: Resolution, tiv: float) -> None:
    entry = report.resolutions.get((kind, r.value))
    if entry is None:
        report.resolutions[kind, r.value] = [r.result, r.tier, r.rule, 1, tiv]
    else:
        entry[3] += 1
        entry[4] += tiv


def resolve_register(
    reg: ParsedRegister, resolver: Resolver, report: Report
) -> tuple[list[str | None], list[str | None], list[str | None], list[str | None], set[int]]:
    """Entity ids and categories per deal; unresolved rows become findings. Returns
    (supplier ids, recipient ids, categories, category sources, rows resting on derived matches)."""
    d = reg.deals
    n = reg.n_deals
    tivs = [t or 0.0 for t in d["tiv_delivered"]]
    # Each distinct value once, in first-seen order (dict.fromkeys: no per-row Python).
    names: dict[str, Resolution | None] = {
        nm: resolver.entity(nm) for nm in dict.fromkeys([*d["supplier_name"], *d["recipient_name"]])
    }
    cats: dict[tuple[str, str | None], Resolution | None] = {
        key: resolver.category(*key)
        for key in dict.fromkeys(zip(d["description"], d["publisher_category"], strict=True))
    }
    one_key = len({r.value for r in cats.values() if r is not None}) == len(cats)  # no shared note
    if one_key and None not in names.values() and None not in cats.values():
        return _resolved_register(reg, names, cats, tivs, report)  # type: ignore[arg-type]
    desc_col = "Description" if reg.layout == "delivery_years" else "Weapon description"
    sup_ids: list[str | None] = []
    rec_ids: list[str | None] = []
    categories: list[str | None] = []
    sources: list[str | None] = []
    derived_rows: set[int] = set()
    for i in range(n):
        sup, rec, desc = d["supplier_name"][i], d["recipient_name"][i], d["description"][i]
        line, tiv = d["line"][i], tivs[i]
        ids: list[str | None] = []
        for column, nm in (("supplier", sup), ("recipient", rec)):
            r = names[nm]
            if r is None:
                same = resolver.same_deal(column, sup, rec, d["designation"][i], d["order_year"][i])
                r = Resolution(nm, same[0], "derived", same[1]) if same else None
            if r is None:
                report.findings.append(
                    Finding(
                        "unknown-entity",
                        line,
                        column.capitalize(),
                        nm,
                        f"name {nm!r} is in no register and no rule resolves it",
                        tiv,
                        reg.offset + i,
                        sup,
                        rec,
                    )
                )
                ids.append(None)
                continue
            _note(report, "entity", r, tiv)
            if r.tier == "derived":
                derived_rows.add(i)
            ids.append(r.result)
        c = cats[desc, d["publisher_category"][i]]
        if c is None:
            same = resolver.same_deal("category", sup, rec, d["designation"][i], d["order_year"][i])
            c = Resolution(desc, same[0], "derived", same[1]) if same else None
        if c is None:
            report.findings.append(
                Finding(
                    "unknown-description",
                    line,
                    desc_col,
                    desc,
                    "weapon description has no category and no rule maps it",
                    tiv,
                    reg.offset + i,
                    sup,
                    rec,
                )
            )
            categories.append(None)
            sources.append(None)
        else:
            _note(report, "description", c, tiv)
            if c.tier == "derived":
                derived_rows.add(i)
            categories.append(c.result)
            sources.append(_category_source(c.tier))
        sup_ids.append(ids[0])
        rec_ids.append(ids[1])
    return sup_ids, rec_ids, categories, sources, derived_rows


def _category_source(tier: str) -> str:
    return "publisher" if tier == "publisher" else "mapping" if tier == "reviewed" else tier


def _resolved_register(
    reg: ParsedRegister,
    names: dict[str, Resolution],
    cats: dict[tuple[str, str | None], Resolution],
    tivs: list[float],
    report: Report,
) -> tuple[list[str | None], list[str | None], list[str | None], list[str | None], set[int]]:
    """`resolve_register` when every name and description resolved without a deal-level lookup:
    no findings, so whole columns are mapped at once. The notes (`_note`) are the same the
    row-by-row loop makes, in the same order (supplier, recipient, description of each row)."""
    d = reg.deals
    sup, rec = d["supplier_name"], d["recipient_name"]
    cat_keys = list(zip(d["description"], d["publisher_category"], strict=True))
    derived_rows: set[int] = set()
    if any(r.tier == "derived" for r in (*names.values(), *cats.values())):
        derived_rows = {
            i
            for i, (a, b, c) in enumerate(zip(sup, rec, cat_keys, strict=True))
            if "derived" in (names[a].tier, names[b].tier, cats[c].tier)
        }
    _note_columns(report, names, cats, sup, rec, cat_keys, tivs)
    ids = {nm: r.result for nm, r in names.items()}
    cat_ids = {k: r.result for k, r in cats.items()}
    cat_sources = {k: _category_source(r.tier) for k, r in cats.items()}
    return (
        list(map(ids.__getitem__, sup)),
        list(map(ids.__getitem__, rec)),
        list(map(cat_ids.__getitem__, cat_keys)),
        list(map(cat_sources.__getitem__, cat_keys)),
        derived_rows,
    )


def _note_columns(
    report: Report,
    names: dict[str, Resolution],
    cats: dict[tuple[str, str | None], Resolution],
    sup: list[str],
    rec: list[str],
    cat_keys: list[tuple[str, str | None]],
    tivs: list[float],
) -> None:
    """`_note` for every row's supplier, recipient and description at once, with the same
    result: counts, TIV added one row at a time in row order (np.add.at is unbuffered and
    in order, so the float sums are the loop's to the bit) and new entries in first-use order."""
    import numpy as np

    n = len(tivs)
    res = report.resolutions
    name_list = list(names)
    cat_list = list(cats)
    name_code = {nm: i for i, nm in enumerate(name_list)}
    cat_code = {k: i for i, k in enumerate(cat_list)}
    seq = np.empty(2 * n, np.int64)  # supplier, recipient of row 0, of row 1, ...
    seq[0::2] = np.fromiter(map(name_code.__getitem__, sup), np.int64, n)
    seq[1::2] = np.fromiter(map(name_code.__getitem__, rec), np.int64, n)
    cseq = np.fromiter(map(cat_code.__getitem__, cat_keys), np.int64, n)
    tv = np.array(tivs, dtype=np.float64)
    groups = (
        ("entity", [names[k] for k in name_list], seq, np.repeat(tv, 2), lambda p: 3 * (p // 2) + p % 2),
        ("description", [cats[k] for k in cat_list], cseq, tv, lambda p: 3 * p + 2),
    )
    new: list[tuple[int, tuple[str, str], list[Any]]] = []
    for kind, rs, codes, values, position in groups:
        sums = np.array([res[kind, r.value][4] if (kind, r.value) in res else 0.0 for r in rs])
        np.add.at(sums, codes, values)
        counts = np.bincount(codes, minlength=len(rs))
        used, first = np.unique(codes, return_index=True)
        for code, p in zip(used.tolist(), first.tolist(), strict=True):
            r = rs[code]
            entry = res.get((kind, r.value))
            if entry is None:
                new.append((position(p), (kind, r.value), [r.result, r.tier, r.rule, int(counts[code]), 0.0]))
                entry = new[-1][2]
            else:
                entry[3] += int(counts[code])
            entry[4] = float(sums[code])
    for _, key, entry in sorted(new, key=lambda x: x[0]):
        res[key] = entry


def deal_table(
    reg: ParsedRegister,
    snapshot_id: int,
    resolved: tuple[list, list, list, list],
    keep: list[bool] | None = None,
) -> pa.Table:
    d = reg.deals
    n = reg.n_deals
    sup_ids, rec_ids, categories, sources = resolved
    first = snapshot_id * KEY_BASE + reg.offset
    cols: dict[str, Any] = {
        "deal_key": columnar.int_range(first, first + n),
        "snapshot_id": columnar.int_full(snapshot_id, n),
        "src_line": d["line"],
        "sipri_id": d["sipri_id"],
        "supplier_id": sup_ids,
        "recipient_id": rec_ids,
        "supplier_name": d["supplier_name"],
        "recipient_name": d["recipient_name"],
        "designation": d["designation"],
        "description": d["description"],
        "category": categories,
        "category_source": sources,
        "order_year": d["order_year"],
        "order_year_est": d["order_year_est"],
        "n_ordered": d["n_ordered"],
        "n_ordered_est": d["n_ordered_est"],
        "n_delivered": d["n_delivered"],
        "n_delivered_est": d["n_delivered_est"],
        "delivery_years": d["delivery_years"],
        "delivery_years_est": d["delivery_years_est"],
        "status": d["status"],
        "second_hand": d["second_hand"],
        "local_production": d["licensed"],
        "licence_source": d["licence_source"],
        "comments": d["comments"],
        "tiv_unit": d["tiv_unit"],
        "tiv_unit_new": d["tiv_unit_new"],
        "tiv_order": d["tiv_order"],
        "tiv_delivered": d["tiv_delivered"],
        "tiv_below_half": d["tiv_delivered_below_half"],
        "rejoined": d["rejoined"],
    }
    # Every column typed: typed Python columns go straight into Arrow buffers (columnar), an
    # untyped one takes a far slower round trip through DuckDB. Integers as int64, the type
    # `columnar.table` gives them anyway: an int32 column would be cast (and the cast imports
    # pyarrow.compute); the store's INTEGER columns take them as they are (parse checks the range).
    types = {
        "deal_key": pa.int64(),
        "snapshot_id": pa.int64(),
        "src_line": pa.int64(),
        "sipri_id": pa.int64(),
        "supplier_name": pa.string(),
        "recipient_name": pa.string(),
        "designation": pa.string(),
        "description": pa.string(),
        "delivery_years": pa.string(),
        "second_hand": pa.bool_(),
        "local_production": pa.bool_(),
        "tiv_below_half": pa.bool_(),
        "rejoined": pa.bool_(),
        "order_year_est": pa.bool_(),
        "n_ordered": pa.int64(),
        "n_ordered_est": pa.bool_(),
        "n_delivered": pa.int64(),
        "n_delivered_est": pa.bool_(),
        "delivery_years_est": pa.bool_(),
        "tiv_unit": pa.float64(),
        "tiv_unit_new": pa.float64(),
        "tiv_order": pa.float64(),
        "tiv_delivered": pa.float64(),
        "order_year": pa.int64(),
        "licence_source": pa.string(),
        "comments": pa.string(),
        "status": pa.string(),
        "supplier_id": pa.string(),
        "recipient_id": pa.string(),
        "category": pa.string(),
        "category_source": pa.string(),
    }
    table = columnar.table(
        {
            k: v if isinstance(v, pa.ChunkedArray) else columnar.column(v, type=types[k])
            for k, v in cols.items()
        }
    )
    return table if keep is None else table.filter(columnar.column(keep, pa.bool_()))


def delivery_table(reg: ParsedRegister, snapshot_id: int, keep: list[bool] | None = None) -> pa.Table:
    dl = reg.deliveries
    n = len(dl["year"])
    table = columnar.table(
        {
            "deal_key": columnar.column(
                list(map((snapshot_id * KEY_BASE + reg.offset).__add__, dl["deal_index"])), pa.int64()
            ),
            "snapshot_id": columnar.int_full(snapshot_id, n),
            "year": columnar.column(dl["year"], pa.int64()),
            "units": columnar.column(dl["units"], pa.int64()),
            "tiv": columnar.column(dl["tiv"], pa.float64()),
            "year_est": columnar.column(dl["year_est"], pa.bool_()),
            "units_est": columnar.column(dl["units_est"], pa.bool_()),
            "allocation": columnar.column(dl["allocation"], pa.string()),
        }
    )
    if keep is None:
        return table
    return table.filter(columnar.column([keep[i] for i in dl["deal_index"]], pa.bool_()))


def tiv_tables(
    table: ParsedTivTable, snapshot_id: int, resolver: Resolver, report: Report
) -> dict[str, pa.Table]:
    """Country totals (`tiv_total`) and, for one country's table, its partners (`tiv_partner`).

    The total row is the world in an all-countries table and the table's own country in a
    per-country one. Rows whose name does not resolve are quarantined, never guessed.
    """
    column = "Recipient" if table.direction == "import" else "Exports by"
    if table.country is not None:
        column = "Supplier" if table.direction == "import" else "Recipient"
    row_tiv: dict[int, float] = {}
    for line, _, _, v, _ in table.rows:
        row_tiv[line] = row_tiv.get(line, 0.0) + v
    report.file_tiv = sum(v for ln, nm, _, v, _ in table.rows if nm is None)
    ids: dict[str, str | None] = {}
    for line, nm in table.entity_names:
        r = resolver.entity(nm)
        if r is None:
            report.findings.append(
                Finding(
                    "unknown-entity",
                    line,
                    column,
                    nm,
                    f"name {nm!r} is in no register and no rule resolves it",
                    row_tiv.get(line, 0.0),
                )
            )
            ids[nm] = None
            continue
        _note(report, "entity", r, row_tiv.get(line, 0.0))
        ids[nm] = r.result
    total_id = WORLD_ID
    if table.country is not None:
        r = resolver.entity(table.country)
        if r is None:
            report.findings.append(
                Finding(
                    "unknown-entity",
                    1,
                    "title",
                    table.country,
                    "the table's country is in no register",
                    report.file_tiv,
                )
            )
            return {}
        _note(report, "entity", r, report.file_tiv)
        total_id = r.result
    rows = [r for r in table.rows if r[1] is None or ids[r[1]] is not None]
    out = {
        "tiv_total": _tiv_rows(
            [r for r in rows if table.country is None or r[1] is None],
            lambda r: total_id if r[1] is None else ids[r[1]],
            table.direction,
            snapshot_id,
        )
    }
    if table.country is not None:
        partners = [r for r in rows if r[1] is not None]
        t = _tiv_rows(partners, lambda r: ids[r[1]], table.direction, snapshot_id)
        out["tiv_partner"] = t.rename_columns(["partner_id", *t.column_names[1:]]).append_column(
            "entity_id", columnar.column([total_id] * len(partners), pa.string())
        )
    return out


def _tiv_rows(rows: list, entity: Any, direction: str, snapshot_id: int) -> pa.Table:
    return columnar.table(
        {
            "entity_id": columnar.column([entity(r) for r in rows], pa.string()),
            "direction": columnar.column([direction] * len(rows), pa.string()),
            "year": columnar.column([r[2] for r in rows], pa.int32()),
            "tiv": columnar.column([r[3] for r in rows], pa.float64()),
            "below_half": columnar.column([r[4] for r in rows], pa.bool_()),
            "snapshot_id": columnar.column([snapshot_id] * len(rows), pa.int32()),
            "src_line": columnar.column([r[0] for r in rows], pa.int32()),
        }
    )
