"""SIPRI's counting rules: who is ranked and counted as a country.

SIPRI ranks and counts states. International organisations and regional groupings (EU,
NATO, UN, African Union), non-state actors and unknown parties carry deliveries and are part
of every world total, but never take a rank among countries and are not counted as
"recipient states" or "supplier states"; they are reported beside the states instead.
Historic states (Soviet Union, Czechoslovakia, ...) are states of their time.
"""

from __future__ import annotations

STATE_KINDS: tuple[str, ...] = ("state", "historic_state")

# SQL predicate on an entity alias `e`: true for entities SIPRI ranks and counts as countries.
STATE_SQL = "e.kind IN ('state', 'historic_state')"


def is_state(kind: str | None) -> bool:
    """A country in SIPRI's counts (an unknown kind is not)."""
    return kind in STATE_KINDS


# Licensed production (comments: "under licence") and local production (flag or comments) are
# computed into the per-release aggregates; their rule lives with them (store/aggregates.py).
# (LOCAL_PRODUCTION_RE, LICENSED_SQL, LOCAL_SQL), so no analysis re-reads comments per query.
FLAG_ONLY_LAYOUTS = ("delivery_years",)  # one flag for both: licensed production unknown
LICENCE_NOTE = (
    "this register's 'Local production' flag covers licensed production and local "
    "assembly or component production alike: licensed production alone is not known"
)
