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


# Licensed production and local (component) production are two measures with one meaning in
# every layout. The backend layout's `Local production` flag covers both (licensed production,
# local assembly, local production of components), so there licensed production alone cannot be
# told apart (None). The web and tidy layouts say it in comments: "produced under licence" is
# licensed production; licence, assembly, components, kits or co-production is local production.
# On the 2024 files (same deals) the comment rule gives 30.0% of world deliveries 2019-23 as
# local production against the flag's 31.7%, and Australia's 78.5% exactly.
LOCAL_PRODUCTION_RE = r"licen[cs]|assembl|component|\bkits?\b|local production|co-produc|production in"
LICENSED_SQL = "d.licence_source = 'comment'"
LOCAL_SQL = (
    "(d.licence_source = 'flag' OR regexp_matches(coalesce(d.comments, ''), '"
    + LOCAL_PRODUCTION_RE
    + "', 'i'))"
)
FLAG_ONLY_LAYOUTS = ("delivery_years",)  # one flag for both: licensed production unknown
LICENCE_NOTE = (
    "this register's 'Local production' flag covers licensed production and local "
    "assembly or component production alike: licensed production alone is not known"
)
