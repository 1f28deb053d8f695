"""HTTP API over the real store: same figures and field names as Atlas, one error shape, no 500s."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from armatlas.api import create_app as create_api
from armatlas.serve import create_app
from armatlas.summaries import Unavailable
from tests.conftest import SHARED

ERROR_FIELDS = {"code", "message", "file", "line", "column", "value", "hint"}


@pytest.fixture(scope="module")
def app(store_path: Path):
    a = create_app(store_path)
    yield a
    a.state.armatlas.close()


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    return TestClient(app)  # no `with`: the lifespan would close the shared store at exit


def assert_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) >= ERROR_FIELDS, err
    assert isinstance(err["message"], str) and err["message"]
    if code:
        assert err["code"] == code, err
    return err


def same(a, b) -> bool:
    """Equal field by field; floats to 1e-9 (DuckDB's parallel sums may differ in the last bit)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, (int, float)):
        return b == pytest.approx(a, rel=1e-9, abs=1e-12)
    return a == b


def test_trends_same_rows_and_fields_as_atlas(client, atlas) -> None:
    resp = client.get("/api/v1/trends", params={"direction": "import", "period": "2020-2024", "top": 5})
    assert resp.status_code == 200
    body = resp.json()
    expected = atlas.trends(direction="import", period="2020-2024", top=5).to_dict()
    assert same(body, json.loads(json.dumps(expected)))
    assert {r["name"] for r in body["rows"][:2]} == {"Ukraine", "India"}
    assert body["provenance"]["release"] == "2026-05-18"


def test_profile_matches_atlas_and_csv_part(client, atlas) -> None:
    body = client.get("/api/v1/countries/India/profile").json()
    expected = atlas.profile("India").to_dict()
    assert same(body, json.loads(json.dumps(expected)))
    assert body["summary"]["dependence"]["latest"]["top_supplier"] == "Russia"
    resp = client.get("/api/v1/countries/IND/profile", params={"format": "csv", "part": "dependence.metrics"})
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert [r["period"] for r in rows] == [
        r["period"] for r in expected["parts"]["dependence.metrics"]["rows"]
    ]
    assert rows[-1]["top_supplier"] == "Russia"


def test_deals_csv_has_the_result_columns(client, atlas) -> None:
    resp = client.get("/api/v1/deals", params={"recipient": "Ukraine", "from_year": 2022, "format": "csv"})
    table = atlas.deals(recipient="Ukraine", from_year=2022)
    lines = resp.text.splitlines()
    assert lines[0].split(",") == [*table.table.column_names, "source"]  # each row cites its source
    assert len(list(csv.reader(io.StringIO(resp.text)))) == len(table) + 1


@pytest.mark.parametrize(
    ("url", "call"),
    [
        ("/api/v1/flows?entity=India&entity=Pakistan", lambda a: a.flows(["India", "Pakistan"])),
        ("/api/v1/pipeline?importer=Ukraine", lambda a: a.pipeline(importer="Ukraine")),
        ("/api/v1/countries/India/cutoff?supplier=Russia", lambda a: a.cutoff("India", ["Russia"])),
        ("/api/v1/network?focus=India&min_tiv=100", lambda a: a.network(focus="India", min_tiv=100.0)),
    ],
)
def test_later_analyses_are_thin_adapters(client, atlas, url, call) -> None:
    assert client.get(url).json() == call(atlas).to_dict()


def test_entity_search_and_lookup(client) -> None:
    rows = client.get("/api/v1/entities", params={"q": "korea", "limit": 5}).json()["rows"]
    assert {"North Korea", "South Korea"} <= {r["name"] for r in rows}
    assert client.get("/api/v1/entities/Turkey").json()["entity"]["entity_id"] == "turkiye"


def test_unknown_country_404_with_suggestions(client) -> None:
    err = assert_error(client.get("/api/v1/countries/Ukrain/profile"), 404, "unknown-country")
    assert "Ukraine" in err["suggestions"]
    assert err["value"] == "Ukrain"


def test_invalid_period_says_which_and_why(client) -> None:
    err = assert_error(client.get("/api/v1/trends", params={"period": "1900-1904"}), 422, "invalid-period")
    assert "outside the years" in err["message"]
    err = assert_error(client.get("/api/v1/trends", params={"period": "last year"}), 422, "invalid-period")
    assert err["value"] == "last year"


@pytest.mark.parametrize(
    ("url", "status", "code", "column"),
    [
        ("/api/v1/trends?top=0", 422, "invalid-parameter", "top"),
        ("/api/v1/trends?direction=sideways", 422, "invalid-parameter", "direction"),
        ("/api/v1/deals?from_year=abc", 422, "invalid-parameter", "from_year"),
        ("/api/v1/deals?from_year=2020&to_year=2010", 422, "invalid-query", None),
        ("/api/v1/deals?category=grenades", 422, "invalid-query", None),
        ("/api/v1/releases?format=xml", 422, "invalid-parameter", "format"),
        ("/api/v1/countries/India/profile?format=csv&part=nope", 422, "invalid-query", None),
        ("/api/v1/countries/India/profile?release=1999-01-01", 404, "no-data", None),
        ("/api/v1/entities/Atlantis", 404, "unknown-country", None),
        ("/api/v1/no-such-thing", 404, "not-found", None),
        ("/nowhere", 404, "not-found", None),
        ("/static/../api/app.py", 404, "not-found", None),
    ],
)
def test_error_shape_across_endpoints(client, url, status, code, column) -> None:
    err = assert_error(client.get(url), status, code)
    if column:
        assert err["column"] == column


def test_read_only_and_size_limits(client) -> None:
    assert_error(client.post("/api/v1/trends"), 405, "method-not-allowed")
    assert_error(client.delete("/api/v1/releases"), 405, "method-not-allowed")
    assert_error(client.get("/api/v1/entities?q=" + "x" * 3000), 414, "uri-too-long")
    assert_error(client.request("GET", "/api/v1/releases", content=b"x" * 5000), 413, "request-too-large")


def test_etag_is_the_body_hash_and_304(client, app) -> None:
    import hashlib

    first = client.get("/api/v1/countries/Ukraine/dependence")
    tag = first.headers["etag"]
    assert tag == '"' + hashlib.sha256(first.content).hexdigest()[:32] + '"'
    assert client.get("/api/v1/countries/Ukraine/exports").headers["etag"] != tag
    again = client.get("/api/v1/countries/Ukraine/dependence", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/countries/Ukraine/dependence", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.json() == first.json()


def test_cors_off_unless_configured(client, store_path) -> None:
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in client.get("/api/v1/health", headers=origin).headers
    app2 = create_api(store_path, cors_origins=["https://example.org"])
    try:
        resp = TestClient(app2).get("/api/v1/health", headers=origin)
        assert resp.headers["access-control-allow-origin"] == "https://example.org"
    finally:
        app2.state.armatlas.close()


def test_request_over_time_limit_is_stopped_with_504(store_path) -> None:
    app2 = create_api(store_path, timeout=0.001)
    try:
        assert_error(TestClient(app2).get("/api/v1/countries/Germany/profile"), 504, "timeout")
    finally:
        app2.state.armatlas.close()


def test_concurrent_readers_each_get_their_answer(app) -> None:
    names = ["France", "Germany", "China", "Israel", "Spain", "Italy", "Norway", "Sweden"]
    out: dict[str, str] = {}

    def ask(name: str) -> None:
        out[name] = TestClient(app).get(f"/api/v1/countries/{name}/exports").json()["summary"]["supplier"]

    threads = [threading.Thread(target=ask, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {n: n for n in names}


def test_openapi_lists_every_analysis_route(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/trends",
        "/api/v1/deals",
        "/api/v1/entities",
        "/api/v1/countries/{country}/profile",
        "/api/v1/countries/{country}/dependence",
        "/api/v1/countries/{country}/exports",
    ):
        assert p in paths, p


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    country=TEXT,
    period=TEXT,
    release=st.one_of(st.none(), TEXT),
    route=st.sampled_from(["profile", "dependence", "exports"]),
)
def test_fuzz_country_routes_never_500(client, country, period, release, route) -> None:
    params = {"period" if route == "profile" else "periods": period}
    if release is not None:
        params["release"] = release
    resp = client.get(f"/api/v1/countries/{quote(country or 'x', safe='')}/{route}", params=params)
    assert resp.status_code < 500, resp.text
    if resp.status_code >= 400:
        assert_error(resp, resp.status_code)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(["/", "/trends", "/compare", "/country/India"]),
    params=st.dictionaries(
        st.sampled_from(["period", "compare", "top", "direction", "c", "release"]), TEXT, max_size=4
    ),
)
def test_fuzz_pages_never_500(client, path, params) -> None:
    resp = client.get(path, params=params)
    assert resp.status_code in (200, 404, 422), (path, params, resp.status_code)


# GET /api/v1/reconcile with a named tables release that has no TIV tables (e.g. `tables_release=2`,
# a prefix of the newest release) raises TypeError inside analysis.reconcile: a library bug reported
# to its owner. Until it is fixed that route is fuzzed separately, as an expected failure.


def _fuzz(app, only: str | None = None, skip: str | None = None, examples: int = 25) -> list[str]:
    """Schemathesis cases from the OpenAPI schema against every GET operation; the failures."""
    schemathesis = pytest.importorskip("schemathesis")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    for found in schema.get_all_operations():
        op = found.ok()
        if (only and op.path != only) or (skip and op.path == skip):
            continue

        @settings(
            max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(case=op.as_strategy())
        def check(case) -> None:
            resp = case.call()
            assert resp.status_code < 500, (case.path, case.query, resp.text)
            if resp.status_code >= 400:
                assert set(resp.json()["error"]) >= ERROR_FIELDS

        try:
            check()
        except AssertionError as exc:
            failures.append(f"{op.label}: {str(exc).splitlines()[0][:300]}")
    return failures


def test_schemathesis_fuzz_finds_no_500(store_path: Path) -> None:
    # Its own app: Schemathesis' ASGI client runs the lifespan, which closes the store at exit.
    fuzz_app = create_app(store_path)
    assert _fuzz(fuzz_app) == []


ARTICLE = SHARED / "articles" / "azernews-2025-defence-development.txt"


def test_check_returns_the_claim_checkers_dossier(client, con) -> None:
    from armatlas.claims import check_article, parse_article

    text = ARTICLE.read_text(encoding="utf-8")
    resp = client.post("/api/v1/check", json={"text": text})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    expected = json.loads(check_article(con, parse_article(text)).to_json())
    assert same(body, expected)
    verdicts = {c["kind"]: c["verdict"] for c in body["claims"]}
    # One recipient of major arms, but 'export to many countries' may mean ammunition: said, not red (issue 10).
    assert verdicts["exports_reach"] == "ambiguous"
    assert any("grenades" in c["explanation"] and c["verdict"] == "not checkable" for c in body["claims"])
    assert "/api/v1/check" in client.get("/api/v1/openapi.json").json()["paths"]


def test_check_limits_and_errors(client) -> None:
    assert_error(client.post("/api/v1/check", json={"text": "x" * 120_000}), 413, "request-too-large")
    assert_error(client.post("/api/v1/check", json={"text": "  "}), 422)
    assert_error(client.post("/api/v1/check", json={}), 422, "invalid-parameter")
    err = assert_error(
        client.post("/api/v1/check", json={"text": "Armenia imports arms.", "release": "1999"}), 404
    )
    assert err["value"] == "1999"
    assert_error(client.put("/api/v1/check", json={"text": "x"}), 405, "method-not-allowed")
    assert_error(client.post("/api/v1/releases"), 405, "method-not-allowed")
    assert_error(client.request("GET", "/check", content=b"x" * 2000), 413)  # the larger limit is POST's only


def test_check_page_form_and_result(client) -> None:
    form = client.get("/check")
    assert (
        form.status_code == 200 and '<textarea name="text"' in form.text and 'value="2024-04-13"' in form.text
    )
    text = ARTICLE.read_text(encoding="utf-8")
    resp = client.post("/check", data={"text": text, "release": ""})
    assert resp.status_code == 200
    api = client.post("/api/v1/check", json={"text": text}).json()
    assert resp.text.count("<tr data-kind=") == len(api["claims"]) > 0
    page_verdicts = re.findall(r'<tr data-kind="[^"]*" data-verdict="([^"]*)"', resp.text)
    assert page_verdicts == [c["verdict"] for c in api["claims"]]  # the page shows the checker's verdicts
    page = client.post("/check", data={"text": " "})
    assert page.status_code == 422 and 'data-code="invalid-query"' in page.text


def test_country_page_pipeline_cutoff_spending_partners(client, atlas) -> None:
    from armatlas.render.format import pct, tiv

    html = client.get("/country/Azerbaijan").text
    prof = atlas.profile("Azerbaijan")
    pipe, cut, sp = prof.summary.pipeline, prof.summary.cutoff, prof.summary.spending
    assert pipe.available and pipe.by_supplier
    top = pipe.by_supplier[0]
    assert f"{tiv(pipe.outstanding_tiv)} TIV</strong> in {pipe.deals} open deals" in html
    assert f'<td class="n">{tiv(top.outstanding_tiv)}</td><td class="n">{pct(top.share)}</td>' in html
    assert f"without {', '.join(cut.supplier_names)}, {pct(cut.share_lost)} of {cut.window}" in html
    assert f"US$ {sp.constant_usd:,.0f} m" in html and f"{pct(sp.share_gdp)}" in html
    partners = atlas.network(focus="azerbaijan", period=prof.params["period"]).summary.top_partners
    first = partners.suppliers[0]
    assert f'{first.partner}</a></td><td class="n">{tiv(first.tiv)}</td>' in html


def test_country_page_says_what_is_not_available(client, atlas) -> None:
    old = client.get("/country/Pakistan", params={"release": "2024-04-13"}).text
    assert atlas.profile("Pakistan", release="2024-04-13").summary.pipeline.available is False
    assert "not computable on this release" in old
    nato = atlas.profile("NATO").summary.spending
    assert isinstance(nato, Unavailable)
    assert f"Not available: {nato.unavailable}" in client.get("/country/NATO").text


def test_compare_page_shows_each_profiles_latest_figures(client, atlas) -> None:
    from html import unescape

    from armatlas.render.format import pct, tiv

    html = unescape(client.get("/compare", params=[("c", "India"), ("c", "Pakistan")]).text)
    for name in ("India", "Pakistan"):
        s = atlas.profile(name).summary
        dep, exp = s.dependence.latest, s.exports.latest
        assert f'<td class="n">{tiv(dep.tiv)}</td>' in html
        assert f"<td>{dep.top_supplier} ({pct(dep.top1_share)})</td>" in html
        assert f'<td class="n">{tiv(exp.tiv)}</td>' in html
