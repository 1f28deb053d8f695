"""Parsed register -> store rows: canonical entity ids and the twelve SIPRI categories."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from armatlas.categories import categorise
from armatlas.entities.register import load_register
from armatlas.sources.sipri_transfers.records import ParsedRegister
from armatlas.sources.sipri_transfers.tiv_tables import ParsedTivTable
from armatlas.store.schema import WORLD_ID

SOURCE = "sipri_at"
KEY_BASE = 1_000_000  # deal_key = snapshot_id * KEY_BASE + position in the file


def resolve_names(names_and_lines: list[tuple[str, int, str]], file: str) -> dict[str, str]:
    """name -> entity_id for every distinct name; an unknown one fails with its first line."""
    reg = load_register()
    out: dict[str, str] = {}
    for name, line, column in names_and_lines:
        if name not in out:
            out[name] = reg.resolve(name, SOURCE, file=file, line=line, column=column)
    return out


def deal_table(reg: ParsedRegister, snapshot_id: int) -> pa.Table:
    d = reg.deals
    n = reg.n_deals
    lines = d["line"]
    # Each distinct name is resolved once, at its first row (suppliers before recipients).
    first: dict[str, tuple[int, str]] = {}
    for names, column in ((d["supplier_name"], "Supplier"), (d["recipient_name"], "Recipient")):
        for nm, ln in zip(names, lines, strict=True):
            if nm not in first:
                first[nm] = (ln, column)
    ids = resolve_names([(nm, ln, col) for nm, (ln, col) in first.items()], reg.file)
    # Each distinct (description, publisher category) is categorised once, at its first row.
    column = "Description" if reg.layout == "delivery_years" else "Weapon description"
    by_desc: dict[tuple[str, str | None], str] = {}
    categories: list[str] = []
    for desc, pub, line in zip(d["description"], d["publisher_category"], lines, strict=True):
        cat = by_desc.get((desc, pub))
        if cat is None:
            cat = by_desc[desc, pub] = categorise(desc, pub, file=reg.file, line=line,
                                                  column=column)
        categories.append(cat)
    cols: dict[str, Any] = {
        "deal_key": [snapshot_id * KEY_BASE + i for i in range(n)],
        "snapshot_id": [snapshot_id] * n,
        "src_line": d["line"],
        "sipri_id": d["sipri_id"],
        "supplier_id": [ids[x] for x in d["supplier_name"]],
        "recipient_id": [ids[x] for x in d["recipient_name"]],
        "supplier_name": d["supplier_name"],
        "recipient_name": d["recipient_name"],
        "designation": d["designation"],
        "description": d["description"],
        "category": categories,
        "category_source": ["publisher" if p else "mapping" for p in d["publisher_category"]],
        "order_year": d["order_year"], "order_year_est": d["order_year_est"],
        "n_ordered": d["n_ordered"], "n_ordered_est": d["n_ordered_est"],
        "n_delivered": d["n_delivered"], "n_delivered_est": d["n_delivered_est"],
        "delivery_years": d["delivery_years"], "delivery_years_est": d["delivery_years_est"],
        "status": d["status"], "second_hand": d["second_hand"],
        "local_production": d["licensed"], "licence_source": d["licence_source"],
        "comments": d["comments"], "tiv_unit": d["tiv_unit"], "tiv_unit_new": d["tiv_unit_new"],
        "tiv_order": d["tiv_order"], "tiv_delivered": d["tiv_delivered"],
        "tiv_below_half": d["tiv_delivered_below_half"], "rejoined": d["rejoined"],
    }
    types = {"sipri_id": pa.int64(), "order_year_est": pa.bool_(), "n_ordered": pa.int32(),
             "n_ordered_est": pa.bool_(), "n_delivered": pa.int32(), "n_delivered_est": pa.bool_(),
             "delivery_years_est": pa.bool_(), "tiv_unit": pa.float64(), "tiv_unit_new": pa.float64(),
             "tiv_order": pa.float64(), "tiv_delivered": pa.float64(), "order_year": pa.int32(),
             "licence_source": pa.string(), "comments": pa.string(), "status": pa.string()}
    return pa.table({k: pa.array(v, type=types.get(k)) for k, v in cols.items()})


def delivery_table(reg: ParsedRegister, snapshot_id: int) -> pa.Table:
    dl = reg.deliveries
    n = len(dl["year"])
    return pa.table({
        "deal_key": pa.array([snapshot_id * KEY_BASE + i for i in dl["deal_index"]], pa.int64()),
        "snapshot_id": pa.array([snapshot_id] * n, pa.int32()),
        "year": pa.array(dl["year"], pa.int32()),
        "units": pa.array(dl["units"], pa.int32()),
        "tiv": pa.array(dl["tiv"], pa.float64()),
        "year_est": pa.array(dl["year_est"], pa.bool_()),
        "units_est": pa.array(dl["units_est"], pa.bool_()),
        "allocation": pa.array(dl["allocation"], pa.string()),
    })


def tiv_total_table(table: ParsedTivTable, snapshot_id: int) -> pa.Table:
    column = "Recipient" if table.direction == "import" else "Exports by"
    ids = resolve_names([(nm, ln, column) for ln, nm in table.entity_names], table.file)
    rows = table.rows
    return pa.table({
        "entity_id": pa.array([WORLD_ID if r[1] is None else ids[r[1]] for r in rows], pa.string()),
        "direction": pa.array([table.direction] * len(rows), pa.string()),
        "year": pa.array([r[2] for r in rows], pa.int32()),
        "tiv": pa.array([r[3] for r in rows], pa.float64()),
        "below_half": pa.array([r[4] for r in rows], pa.bool_()),
        "snapshot_id": pa.array([snapshot_id] * len(rows), pa.int32()),
        "src_line": pa.array([r[0] for r in rows], pa.int32()),
    })
