"""Web pages without a browser: shared chart specs, HTML error pages, check permalinks."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from armatlas.render.charts import colour_of, profile_charts
from armatlas.serve import create_app
from tests.conftest import SHARED

ARTICLE = SHARED / "articles" / "azernews-2025-defence-development.txt"
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def client(store_path: Path):
    app = create_app(store_path)
    yield TestClient(app)
    app.state.armatlas.close()


def _spec(charts: list, name: str) -> dict:
    return dict(charts)[name]


def test_flows_chart_is_temporal_with_gaps_not_lines_across(atlas) -> None:
    prof = atlas.profile("Armenia")
    flows = prof.parts["flows"].rows
    missing = [r["year"] for r in flows if r["imports"] is None]
    assert 2014 in missing and 2015 in missing  # Armenia: deliveries in 2013 and 2016, none between
    spec = _spec(profile_charts(prof), "flows")
    assert spec["encoding"]["x"]["type"] == "temporal"
    imports = {r["year"]: r["tiv"] for r in spec["data"]["values"] if r["flow"] == "Imports"}
    assert imports[2014] is None and imports[2016] == next(r["imports"] for r in flows if r["year"] == 2016)
    # A null breaks the line (Vega-Lite's default would filter it and draw across the gap).
    assert spec["config"]["mark"]["invalid"] == "break-paths-show-domains"
    assert not any(t.get("filter") for t in spec.get("transform", []))


def test_every_chart_has_title_unit_and_its_own_source(atlas) -> None:
    prof = atlas.profile("Pakistan")
    charts = profile_charts(prof)
    assert {"flows", "suppliers", "dependence", "import-categories", "pipeline", "spending"} <= set(
        dict(charts)
    )
    for name, spec in charts:
        title = spec["title"]
        assert title["text"] and title["subtitle"], name
        source = spec["usermeta"]["armatlas"]["citation"]
        assert source.startswith("Source: ") and source in json.dumps(spec["encoding"]), name
    assert "Military Expenditure" in _spec(charts, "spending")["usermeta"]["armatlas"]["citation"]
    assert "Arms Transfers" in _spec(charts, "flows")["usermeta"]["armatlas"]["citation"]
    legends = json.dumps([s["data"]["values"] for _, s in charts])
    assert "top1_share" not in legends and "Main supplier" in legends


def test_a_country_keeps_its_colour_across_charts(atlas) -> None:
    def colours(spec: dict) -> dict[str, str]:
        scale = spec["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"], strict=True))

    armenia = colours(_spec(profile_charts(atlas.profile("Armenia")), "suppliers"))
    india = colours(_spec(profile_charts(atlas.profile("India")), "suppliers"))
    assert armenia["Russia"] == india["Russia"] == colour_of("russia")
    for scale in (armenia, india):  # within one chart no two partners share a colour
        assert len(set(scale.values())) == len(scale)


def test_browser_gets_html_error_pages_api_keeps_json(client) -> None:
    page = client.get("/?top=500", headers=BROWSER)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert 'data-code="invalid-parameter"' in page.text and "top" in page.text
    missing = client.get("/no-such-page", headers=BROWSER)
    assert missing.status_code == 404 and 'data-code="not-found"' in missing.text
    api = client.get("/api/v1/trends?top=0", headers=BROWSER)
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid-parameter"
    assert client.get("/?top=500").headers["content-type"].startswith("application/json")  # a script


def test_refusals_of_the_limits_are_pages_for_browsers(client) -> None:
    """405/413/414 are answered before any route runs; a browser still gets a page, a script JSON."""
    cases = [
        (lambda h: client.post("/countries", headers=h), 405, "method-not-allowed"),
        (lambda h: client.get("/deals?q=" + "x" * 3000, headers=h), 414, "uri-too-long"),
        (lambda h: client.request("GET", "/", content=b"x" * 5000, headers=h), 413, "request-too-large"),
    ]
    for send, status, code in cases:
        page = send(BROWSER)
        assert page.status_code == status and page.headers["content-type"].startswith("text/html")
        assert f'data-code="{code}"' in page.text and "content-security-policy" in page.headers
        assert send({}).json()["error"]["code"] == code
    assert client.post("/countries", headers=BROWSER).headers["allow"] == "GET, HEAD"
    api = client.post("/api/v1/trends", headers=BROWSER)  # the API answers JSON to anyone
    assert api.status_code == 405 and api.json()["error"]["code"] == "method-not-allowed"


def test_check_permalink_keeps_text_and_result(client) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    posted = client.post("/check", data={"text": text, "release": ""}, follow_redirects=False)
    assert posted.status_code == 303
    key = hashlib.sha256(f"\0{text}".encode()).hexdigest()[:32]
    assert posted.headers["location"] == f"/check/{key}"
    page = client.get(f"/check/{key}")
    api = client.post("/api/v1/check", json={"text": text}).json()
    assert page.status_code == 200 and page.text.count("<tr data-kind=") == len(api["claims"]) > 0
    assert "Innovation powers Azerbaijan" in page.text and f"/check/{key}</a>" in page.text
    assert re.search(r"<textarea[^>]*>Title: Innovation powers Azerbaijan", page.text)
    gone = client.get("/check/" + "0" * 32, headers=BROWSER)
    assert gone.status_code == 404 and "No checked article" in gone.text
    assert client.get("/check/../../etc", headers=BROWSER).status_code == 404


def test_world_map_joins_countries_by_iso_numeric_code(client, atlas) -> None:
    india = next(r for r in atlas.trends(direction="import", top=1000).rows if r["name"] == "India")
    page = client.get("/map?direction=import")
    spec = json.loads(
        re.search(r'<script type="application/json" id="spec-map">(.*?)</script>', page.text, re.S).group(1)
    )
    rows = {r["id"]: r for r in spec["data"]["values"]}
    assert rows["356"]["tiv"] == pytest.approx(india["tiv"])  # ISO 3166 numeric 356 = India in world-atlas
    assert spec["layer"][0]["data"]["url"] == "/static/vendor/countries-110m.json"  # served locally
    assert client.get("/static/vendor/countries-110m.json").status_code == 200
    old = client.get("/map?direction=export&period=1991-1995")
    assert (
        "Soviet Union" in old.text.split("Not on the map")[1][:300]
    )  # no present-day shape: said, not hidden
