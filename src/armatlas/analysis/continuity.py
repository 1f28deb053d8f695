"""The explicit, labelled continuity option: a historic state's figures counted under its
successor (Soviet Union -> Russia, Czechoslovakia -> Czechia, ...). Off by default."""

from __future__ import annotations

from armatlas import frame
from armatlas.analysis.counting import is_state
from armatlas.entities.register import EntityRegister, load_register
from armatlas.errors import UnknownCountryError


def successor_map(ids: list[str]) -> dict[str, str]:
    """Only the ids that change."""
    reg = load_register()
    out = {}
    for e in set(ids):
        if e == "world":
            continue
        s = reg.continuity(e)
        if s != e:
            out[e] = s
    return out


def note(mapping: dict[str, str]) -> str:
    reg = load_register()
    pairs = ", ".join(f"{reg.get(a).name} → {reg.get(b).name}" for a, b in sorted(mapping.items()))
    return f"continuity rule applied (explicit option): {pairs or 'no historic states in range'}"


def merge_totals(table: frame.Frame) -> tuple[frame.Frame, dict[str, str]]:
    """period_totals rows re-aggregated after mapping entities to their successors."""
    rows = table.to_pylist()
    mapping = successor_map([r["entity_id"] for r in rows])
    acc: dict[tuple[str, str], dict] = {}
    for r in rows:
        key = (mapping.get(r["entity_id"], r["entity_id"]), r["period"])
        a = acc.setdefault(key, {**r, "entity_id": key[0], "tiv": 0.0})
        a["tiv"] += r["tiv"]
    merged = list(acc.values())
    reg = load_register()
    for period in {r["period"] for r in merged}:
        ranked = sorted((r for r in merged if r["period"] == period), key=lambda r: -r["tiv"])
        states = [r for r in ranked if _ranked(reg, r["entity_id"])]
        for r in ranked:
            r["share"] = r["tiv"] / r["world_tiv"] if r["world_tiv"] else None
            r["rank"] = None
        for i, r in enumerate(states):  # only states take a rank (analysis/counting.py)
            r["rank"] = 1 + sum(1 for x in states[:i] if x["tiv"] > r["tiv"])
    merged.sort(key=lambda r: (r["p_start"], -r["tiv"], r["entity_id"]))
    return frame.from_rows(merged, table.types), mapping


def _ranked(reg: EntityRegister, entity_id: str) -> bool:
    try:
        return is_state(reg.get(entity_id).kind)
    except UnknownCountryError:  # an id outside the register is not a state
        return False


def merge_partners(table: frame.Frame) -> tuple[frame.Frame, dict[str, str]]:
    """partner_shares rows with both sides mapped to successors, shares and ranks recomputed."""
    reg = load_register()
    rows = table.to_pylist()
    mapping = successor_map([r["entity_id"] for r in rows] + [r["partner_id"] for r in rows])
    acc: dict[tuple[str, str, str], dict] = {}
    for r in rows:
        e, p = mapping.get(r["entity_id"], r["entity_id"]), mapping.get(r["partner_id"], r["partner_id"])
        a = acc.setdefault(
            (e, p, r["period"]),
            {
                **r,
                "entity_id": e,
                "partner_id": p,
                "partner": reg.get(p).name,
                "tiv": 0.0,
                "deals": 0,
                "tiv_estimated": 0.0,
            },
        )
        a["tiv"] += r["tiv"]
        a["deals"] += r["deals"]
        a["tiv_estimated"] += r["tiv_estimated"] or 0.0
    merged = list(acc.values())
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in merged:
        groups.setdefault((r["entity_id"], r["period"]), []).append(r)
    for g in groups.values():
        total = sum(r["tiv"] for r in g)
        g.sort(key=lambda r: (-r["tiv"], r["partner"], r["partner_id"]))
        for i, r in enumerate(g):
            r["share"] = r["tiv"] / total if total else None
            r["rank"] = 1 + sum(1 for x in g[:i] if x["tiv"] > r["tiv"])
    merged.sort(key=lambda r: (r["entity_id"], r["p_start"], -r["tiv"], r["partner"], r["partner_id"]))
    return frame.from_rows(merged, table.types), mapping
