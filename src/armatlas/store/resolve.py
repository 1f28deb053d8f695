"""Three tiers of resolution for names and weapon descriptions: reviewed, derived, unresolved.

*Reviewed*: the checked-in registers (and the user's overlay in ARMATLAS_HOME/mappings, tier
`user`). *Derived*: deterministic rules, each match returned with the rule that made it so it
can be stored and shown; no rule ever picks between two candidates. *Unresolved*: None; the
caller quarantines the rows. Rules, in the order they are tried:

names        normalised (case/accents/punctuation), common_name (the register's aliases from
             any source: Turkey, Czech Republic, Swaziland), spelling (a word one edit away from
             exactly one register word, or the variant table), rename_pattern (`X (C)*` <->
             `C X*`, the country in any of its spellings), qualifier_dropped (`Germany (FRG)`).
descriptions normalised (punctuation, repeated words), spelling, abbreviation (SAM, APC, IFV,
             FGA, UAV <-> drone ... expanded on both sides), slash_order (`a/b` == `b/a`),
             slash_parts (every part of `a/b` maps to the same category), head_noun (leading
             modifiers dropped: `long-range X` -> `X`).
Both         same_deal: the same deal (supplier, recipient, designation, order year) in another
             stored release (see `same_deal_*`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from armatlas.categories.mapping import load_descriptions, normalise_description
from armatlas.entities._normalise import normalise
from armatlas.entities.register import EntityRegister, load_register

SOURCE = "sipri_at"


@dataclass(frozen=True)
class Resolution:
    """What a value resolved to, at which tier, by which rule."""

    value: str
    result: str
    tier: str  # 'reviewed', 'user', 'publisher' or 'derived'
    rule: str  # 'register', 'overlay', 'armament_category' or the derived rule with its detail


# Common misspellings and transliterations seen in copies of the data (general, not per file).
SPELLING: dict[str, str] = {
    "torpdeo": "torpedo",
    "ampibious": "amphibious",
    "amphibous": "amphibious",
    "helicoper": "helicopter",
    "helicpter": "helicopter",
    "vehcile": "vehicle",
    "vehicel": "vehicle",
    "missle": "missile",
    "misile": "missile",
    "artillary": "artillery",
    "reconnaisance": "reconnaissance",
    "reconaissance": "reconnaissance",
    "surveillence": "surveillance",
    "survaillance": "surveillance",
    "aircaft": "aircraft",
    "armored": "armoured",
    "defense": "defence",
    "iinfantry": "infantry",
    "huthi": "houthi",
    "logistical": "logistics",
}
# Abbreviations and the phrase each stands for; descriptions are compared with all expanded.
ABBREVIATIONS: dict[str, str] = {
    "sam": "surface to air missile",
    "apc": "armoured personnel carrier",
    "ifv": "infantry fighting vehicle",
    "fga": "fighter ground attack",
    "uav": "drone",
    "ucav": "armed drone",
    "unmanned aerial vehicle": "drone",
    "aa": "anti aircraft",
    "ad": "air defence",
    "asw": "anti submarine warfare",
    "ew": "electronic warfare",
    "sigint": "signals intelligence",
    "aew": "airborne early warning",
    "aew&c": "airborne early warning and control",
    "mrl": "multiple rocket launcher",
    "atgm": "anti tank missile",
    "atm": "anti tank missile",
    "abm": "anti ballistic missile",
    "ssm": "surface to surface missile",
    "asm": "air to surface missile",
    "aam": "air to air missile",
    "mpa": "maritime patrol aircraft",
    "opv": "offshore patrol vessel",
    "fac": "fast attack craft",
    "mbt": "main battle tank",
    "ags": "airborne ground surveillance",
    "bvraam": "beyond visual range air to air missile",
    "sraam": "short range air to air missile",
    "lraam": "long range air to air missile",
    "sp": "self propelled",
    "aev": "armoured engineering vehicle",
    "arv": "armoured recovery vehicle",
}
_WORDS = re.compile(r"[a-z0-9&]+")
_GROUP = re.compile(r"^(?P<base>.+?)\s*\((?P<country>[^()]+)\)\s*(?P<star>\**)$")


def _edit1(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or adjacent transposition apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    s, t = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(s) and s[i] == t[i]:
        i += 1
    return s[i:] == t[i + 1 :]


class _Vocabulary:
    """Words of a register; a word outside it is fixed only if exactly one word is one edit away."""

    def __init__(self, keys: set[str]) -> None:
        self.words = {w for k in keys for w in _WORDS.findall(k)}

    def fix(self, word: str) -> str | None:
        if word in self.words:
            return None
        if word in SPELLING:
            return SPELLING[word]
        if len(word) < 5 or not word.isalpha():
            return None
        hits = [w for w in self.words if abs(len(w) - len(word)) <= 1 and _edit1(word, w)]
        return hits[0] if len(hits) == 1 else None

    def correct(self, text: str) -> tuple[str, list[str]]:
        fixes: list[str] = []

        def sub(m: re.Match[str]) -> str:
            new = self.fix(m.group())
            if new is None:
                return m.group()
            fixes.append(f"{m.group()}->{new}")
            return new

        return _WORDS.sub(sub, text), fixes


def _unique(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """key -> value where every pair with that key agrees; ambiguous keys are dropped."""
    out: dict[str, str] = {}
    bad: set[str] = set()
    for k, v in pairs:
        if k in out and out[k] != v:
            bad.add(k)
        out.setdefault(k, v)
    return {k: v for k, v in out.items() if k not in bad}


# ---------------------------------------------------------------- descriptions


def _plain(text: str) -> str:
    """Normalised description without punctuation except '/', repeated words collapsed."""
    s = normalise_description(text)
    s = re.sub(r"[^a-z0-9&/ ]+", " ", s)
    words: list[str] = []
    for w in s.split():
        if not words or words[-1] != w:
            words.append(w)
    return "/".join(p.strip() for p in " ".join(words).split("/"))


def _expand(text: str) -> str:
    """Every abbreviation written out; multi-word forms first so 'uav' and its phrase agree."""
    s = f" {text} ".replace("/", " / ")
    for short, full in sorted(ABBREVIATIONS.items(), key=lambda kv: -len(kv[0])):
        if " " in short:
            s = s.replace(f" {short} ", f" {full} ")
    words = [ABBREVIATIONS.get(w, w) if " " not in w else w for w in s.split()]
    return " ".join(words).replace(" / ", "/")


class DescriptionRules:
    """The derived tier for weapon descriptions over the reviewed (+user) register."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.plain = _unique([(_plain(k), v) for k, v in table.items()])
        self.expanded = _unique([(_expand(_plain(k)), v) for k, v in table.items()])
        self.sorted = _unique([("/".join(sorted(k.split("/"))), v) for k, v in self.expanded.items()])
        self.vocab = _Vocabulary(set(self.plain) | {_expand(k) for k in self.plain})

    def derive(self, description: str) -> tuple[str, str] | None:
        """(category, rule) or None."""
        s = _plain(description)
        rules = []
        if s != normalise_description(description):
            rules.append("normalised")
        if s in self.plain:
            return self.plain[s], "+".join(rules or ["normalised"])
        fixed, fixes = self.vocab.correct(s)
        if fixes:
            rules.append("spelling:" + ",".join(fixes))
            if fixed in self.plain:
                return self.plain[fixed], "+".join(rules)
        e = _expand(fixed)
        if e != fixed:
            rules.append("abbreviation")
        if e in self.expanded:
            return self.expanded[e], "+".join(rules or ["abbreviation"])
        parts = e.split("/")
        if len(parts) > 1:
            key = "/".join(sorted(parts))
            if key in self.sorted:
                return self.sorted[key], "+".join([*rules, "slash_order"])
            cats = self._parts(parts)
            if cats is not None:
                return cats, "+".join([*rules, "slash_parts"])
        found = self._head(e)
        if found is not None:
            return found[0], "+".join([*rules, f"head_noun:{found[1]}"])
        return None

    def _one(self, text: str) -> str | None:
        return self.expanded.get(text) or self._head_cat(text)

    def _head_cat(self, text: str) -> str | None:
        h = self._head(text)
        return h[0] if h else None

    def _parts(self, parts: list[str]) -> str | None:
        """Each part (missing its head noun: borrowed from the last part) maps to one category."""
        head = parts[-1].split()[-1]
        cats = set()
        for p in parts:
            p = p.strip()
            cat = self.expanded.get(p) or self.expanded.get(f"{p} {head}") or self._head_cat(p)
            if cat is None:
                return None
            cats.add(cat)
        return cats.pop() if len(cats) == 1 else None

    def _head(self, text: str) -> tuple[str, str] | None:
        """Drop leading words (modifiers) until the rest is a known description."""
        if "/" in text:
            return None
        words = text.split()
        for i in range(1, len(words)):
            rest = " ".join(words[i:])
            if rest in self.expanded:
                return self.expanded[rest], rest
        return None


@cache
def description_rules(overlay_key: tuple[tuple[str, str], ...] = ()) -> DescriptionRules:
    table = dict(load_descriptions())
    table.update(overlay_key)
    return DescriptionRules(table)


# ---------------------------------------------------------------- names


class NameRules:
    """The derived tier for entity names over the entity register."""

    def __init__(self, reg: EntityRegister, overlay: dict[str, str]) -> None:
        self.reg = reg
        aliases = [(a, e) for s, a, e in reg.alias_rows() if s == SOURCE] + list(overlay.items())
        self.at = _unique([(normalise(a), e) for a, e in aliases])
        every = [(normalise(a), e) for _, a, e in reg.alias_rows()]
        every += [(normalise(x), e.entity_id) for e in reg.all() for x in (e.name, e.iso3) if x]
        self.any = _unique(every)
        self.vocab = _Vocabulary(set(self.at))
        self.names = {e.entity_id: [a for a, i in aliases if i == e.entity_id] + [e.name] for e in reg.all()}

    def _lookup(self, name: str) -> tuple[str, str] | None:
        k = normalise(name)
        if k in self.at:
            return self.at[k], "normalised"
        if k in self.any:
            return self.any[k], "common_name"
        return None

    def derive(self, name: str) -> tuple[str, str] | None:
        """(entity_id, rule) or None."""
        found = self._lookup(name)
        if found:
            return found
        k = normalise(name)
        fixed, fixes = self.vocab.correct(k)
        if fixes and fixed in self.at:
            return self.at[fixed], "spelling:" + ",".join(fixes)
        found = self._rename(name)
        if found:
            return found
        m = _GROUP.match(name.strip())
        if m and not m.group("star"):
            base = self._lookup(m.group("base"))
            if base and self.reg.get(base[0]).kind in ("state", "historic_state", "territory"):
                return base[0], f"qualifier_dropped:{m.group('country')}"
        return None

    def _rename(self, name: str) -> tuple[str, str] | None:
        """`X (C)*` <-> `C X*`, with C in any spelling the register knows."""
        name = name.strip()
        m = _GROUP.match(name)
        tries: list[str] = []
        if m:
            base, country, star = m.group("base"), m.group("country"), m.group("star") or "*"
            c = self._lookup(country)
            spellings = self.names.get(c[0], []) if c else [country]
            # The file's own spelling first, then the register's, in its order (a set's order
            # followed the string hash seed, so the recorded rule changed from run to run).
            for sp in dict.fromkeys([country, *spellings]):
                tries += [f"{sp} {base}{star}", f"{base} ({sp}){star}"]
        else:
            star = "*" if name.endswith("*") else ""
            words = name.rstrip("*").split()
            for i in range(1, len(words)):
                c = self._lookup(" ".join(words[:i]))
                if c:
                    rest = " ".join(words[i:])
                    for sp in self.names.get(c[0], []):
                        tries.append(f"{rest} ({sp}){star or '*'}")
        for t in tries:
            k = normalise(t)
            if k in self.at:
                return self.at[k], f"rename_pattern:{t}"
        return None


@cache
def name_rules(overlay_key: tuple[tuple[str, str], ...] = ()) -> NameRules:
    return NameRules(load_register(), dict(overlay_key))
