"""Every Atlas result's summary is a frozen dataclass of its analysis (`armatlas.summaries`), or is
listed below: a ratchet, so a new Atlas method must say which it is, and a plain dict summary
can only come back by being listed here."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

import pytest
from test_gmi import gmi_atlas  # noqa: F401  (fixture: a store with BICC's GMI, milex, WDI)

from armatlas.atlas import Atlas
from armatlas.results import NoSummary, plain

# Results whose summary is still a plain dict (to be typed; remove a name once its summary is typed).
STILL_DICTS: set[str] = set()
# Summaries keyed by data rather than by field ('import'/'export' are Python keywords): a dict whose
# values are the analysis's dataclasses.
KEYED = {"reconcile"}
# Results with no summary at all: NoSummary(), `{}` in JSON.
NO_SUMMARY = {"releases", "snapshots", "entities", "flows", "indicators", "gmi_agreement"}
# Public Atlas methods that return no analysis result.
NOT_RESULTS = {"close", "entity", "check", "ingest", "con", "path", "over", "content_state"}

CALLS: dict[str, Callable[[Atlas], Any]] = {
    "releases": lambda a: a.releases(),
    "snapshots": lambda a: a.snapshots(),
    "entities": lambda a: a.entities("ind"),
    "deals": lambda a: a.deals(recipient="Armenia"),
    "reconcile": lambda a: a.reconcile(release="2024-04-13", from_year=2020),
    "flows": lambda a: a.flows("India"),
    "trends": lambda a: a.trends(top=5),
    "dependence": lambda a: a.dependence("India"),
    "exports": lambda a: a.exports("France"),
    "profile": lambda a: a.profile("Armenia"),
    "pipeline": lambda a: a.pipeline(importer="India"),
    "cutoff": lambda a: a.cutoff("Armenia", ["Russia"]),
    "network": lambda a: a.network(focus="India"),
    "compare_releases": lambda a: a.compare_releases(
        "suppliers", "2024-04-13", "2026-05-18", country="India"
    ),
    "spending": lambda a: a.spending("India"),
    "indicators": lambda a: a.indicators("India"),
    "industry": lambda a: a.industry("United States"),
    "militarisation": lambda a: a.militarisation(top=5),
    "gmi": lambda a: a.gmi(year=2017),
    "gmi_agreement": lambda a: a.gmi_agreement(),
    "sensitivity": lambda a: a.sensitivity(n_draws=50),
}
NEEDS_GMI_STORE = {"gmi", "gmi_agreement"}


def test_every_atlas_result_method_is_walked() -> None:
    public = {n for n, _ in inspect.getmembers(Atlas) if not n.startswith("_")}
    assert public - NOT_RESULTS == set(CALLS), "add the new Atlas method to CALLS (and say its summary type)"


def _walk_dataclasses(value: Any, path: str) -> None:
    """Nested values are dataclasses, lists, dicts of them or plain scalars: never a bare dict of a
    fixed shape hiding inside a typed summary (dict fields are keyed by data, e.g. by_basis)."""
    assert is_dataclass(value) and not isinstance(value, type), path
    assert type(value).__dataclass_params__.frozen, f"{path}: {type(value).__name__} is not frozen"  # type: ignore[attr-defined]
    for f in fields(value):
        v = getattr(value, f.name)
        items = v.values() if isinstance(v, dict) else v if isinstance(v, list) else [v]
        for item in items:
            if is_dataclass(item):
                _walk_dataclasses(item, f"{path}.{f.name}")


@pytest.mark.data  # the store fixture is asked for by name, so the conftest cannot see it
@pytest.mark.parametrize("name", sorted(CALLS))
def test_summary_is_a_dataclass_or_listed(name: str, request: pytest.FixtureRequest) -> None:
    a = request.getfixturevalue("gmi_atlas" if name in NEEDS_GMI_STORE else "atlas")
    res = CALLS[name](a)
    if name in STILL_DICTS:
        assert isinstance(res.summary, dict) and not is_dataclass(res.summary), (
            f"{name} is typed now: remove it from STILL_DICTS"
        )
        return
    if name in KEYED:
        assert isinstance(res.summary, dict) and res.summary
        for key, value in res.summary.items():
            _walk_dataclasses(value, f"{name}[{key}]")
        assert res.to_dict()["summary"] == plain(res.summary)
        return
    if name in NO_SUMMARY:
        assert res.summary == NoSummary() and res.to_dict()["summary"] == {}
        return
    _walk_dataclasses(res.summary, name)
    # The JSON holds exactly the dataclass's fields (ABSENT ones only when set).
    assert res.to_dict()["summary"] == plain(res.summary)


def _summaries(value: Any) -> list[Any]:
    """Every summary dataclass instance in a summary tree."""
    found = []
    if is_dataclass(value) and not isinstance(value, type):
        found.append(value)
        for f in fields(value):
            found += _summaries(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for v in value:
            found += _summaries(v)
    elif isinstance(value, dict):
        for v in value.values():
            found += _summaries(v)
    return found


@pytest.mark.parametrize("country", ["Azerbaijan", "Israel"])
def test_summaries_compare_hash_and_show_as_generated_dataclasses_do(atlas, country: str) -> None:
    """`@summary` takes equality, hash and repr from one base class (summaries/base.py): on every
    summary of real profiles they must be those `@dataclass(frozen=True, kw_only=True)` generates."""
    import dataclasses

    seen = _summaries(atlas.profile(country).summary)
    assert len({type(s) for s in seen}) >= 10
    for s in seen:
        spec = [(f.name, f.type, dataclasses.field(default=None)) for f in fields(s)]
        ref_cls = dataclasses.make_dataclass(type(s).__name__, spec, frozen=True, kw_only=True)
        ref_cls.__qualname__ = type(s).__qualname__
        values = {f.name: getattr(s, f.name) for f in fields(s)}
        ref = ref_cls(**values)
        assert repr(s) == repr(ref)
        assert s == dataclasses.replace(s) and s != ref  # same class and fields; another class
        try:
            want = hash(ref)
        except TypeError:  # a list field: unhashable, as the generated __hash__ says
            with pytest.raises(TypeError):
                hash(s)
        else:
            assert hash(s) == want
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(s, fields(s)[0].name, None)
