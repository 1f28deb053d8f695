"""Every /api/v1 endpoint declares a response model, and what it returns validates against it."""

from __future__ import annotations

from dataclasses import is_dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from armatlas.api import (
    create_app,
    models,
)
from armatlas.results import plain

# One real request per endpoint: (method path, url, model).
CALLS = [
    ("/api/v1/health", "/api/v1/health", models.Health),
    ("/api/v1/releases", "/api/v1/releases", models.TableBody),
    ("/api/v1/snapshots", "/api/v1/snapshots", models.TableBody),
    ("/api/v1/entities", "/api/v1/entities?q=ind&limit=5", models.TableBody),
    ("/api/v1/entities/{query}", "/api/v1/entities/India", models.EntityBody),
    ("/api/v1/deals", "/api/v1/deals?recipient=Armenia&limit=20", models.DealsBody),
    ("/api/v1/reconcile", "/api/v1/reconcile?release=2024-04-13&from_year=2020", models.ReconcileBody),
    ("/api/v1/trends", "/api/v1/trends?top=5", models.TrendsBody),
    ("/api/v1/countries/{country}/dependence", "/api/v1/countries/India/dependence", models.DependenceBody),
    ("/api/v1/countries/{country}/exports", "/api/v1/countries/France/exports", models.ExportsBody),
    ("/api/v1/countries/{country}/profile", "/api/v1/countries/Armenia/profile", models.ProfileBody),
    ("/api/v1/flows", "/api/v1/flows?entity=India", models.TableBody),
    ("/api/v1/pipeline", "/api/v1/pipeline?importer=India", models.PipelineBody),
    (
        "/api/v1/countries/{country}/cutoff",
        "/api/v1/countries/Armenia/cutoff?supplier=Russia",
        models.CutoffBody,
    ),
    ("/api/v1/network", "/api/v1/network?focus=India", models.NetworkBody),
    (
        "/api/v1/compare-releases",
        "/api/v1/compare-releases?query=suppliers&release_a=2024-04-13&release_b=2026-05-18&country=India",
        models.CompareBody,
    ),
    ("/api/v1/countries/{country}/spending", "/api/v1/countries/India/spending", models.SpendingBody),
    ("/api/v1/militarisation", "/api/v1/militarisation?top=5", models.MilitarisationBody),
    (
        "/api/v1/countries/{country}/industry",
        "/api/v1/countries/United%20States/industry",
        models.IndustryBody,
    ),
]


@pytest.fixture(scope="module")
def client(store_path: Path):
    app = create_app(store_path)
    yield TestClient(app)
    app.state.armatlas.close()


def test_every_endpoint_has_a_response_model(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    missing = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            content = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
            if "$ref" not in content.get("schema", {}):
                missing.append(f"{method.upper()} {path}")
            if "404" not in op["responses"] and path != "/api/v1/health":
                missing.append(f"{method.upper()} {path}: no error model")
            if not op.get("tags"):
                missing.append(f"{method.upper()} {path}: no tag")
    assert missing == []


@pytest.mark.parametrize(("path", "url", "model"), CALLS, ids=[c[0] for c in CALLS])
def test_answer_validates_against_its_model(client, path, url, model) -> None:
    resp = client.get(url)
    assert resp.status_code == 200, resp.text
    body = model.model_validate(resp.json(), strict=False)
    # A typed summary holds every key of the answer's summary and nothing else: read back into
    # the analysis's dataclass and out again, it is the same JSON (no key dropped or added).
    summary = getattr(body, "summary", None)
    if is_dataclass(summary) or isinstance(summary, dict):
        assert plain(summary) == resp.json()["summary"]


def test_deals_pages_cover_the_selection_once(client, atlas) -> None:
    whole = atlas.deals(recipient="Armenia").rows
    seen: list[tuple] = []
    url = "/api/v1/deals?recipient=Armenia&limit=20"
    while url:
        body = client.get(url).json()
        assert body["page"]["total"] == len(whole)
        seen += [(r["supplier"], r["designation"], r["src_line"]) for r in body["rows"]]
        url = body["page"]["next"]
    assert seen == [(r["supplier"], r["designation"], r["src_line"]) for r in whole]
    russia = next(f for f in body["summary"]["facets"]["supplier"] if f["value"] == "Russia")
    assert russia["deals"] == sum(r["supplier"] == "Russia" for r in whole)
    assert client.get("/api/v1/deals?limit=1001").status_code == 422
    second_hand = client.get("/api/v1/deals?recipient=Armenia&status=second%20hand&limit=1").json()
    assert second_hand["page"]["total"] == sum(r["status"] == "Second hand" for r in whole) > 0
