"""Every page and report template rendered against real data, with Jinja strict about undefined names.

A misspelt field, or one a result lacks (no exports, no milex, no Top 100 company, a release
without a pipeline), must fail here, not render as a blank figure. Values on the pages are
checked against sums read straight from the store's deal and delivery rows and milex table.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from jinja2 import StrictUndefined, UndefinedError, meta

from armatlas.errors import ArmatlasError
from armatlas.render import TEMPLATES as SHARED_TEMPLATES
from armatlas.render.format import tiv
from armatlas.render.templating import TemplateError, template_error
from armatlas.report import build
from armatlas.serve import create_app
from armatlas.web import TEMPLATES as WEB_TEMPLATES
from armatlas.web.pages import templates
from tests.conftest import SHARED

BROWSER = {"accept": "text/html"}
ARTICLE = SHARED / "articles" / "deccanherald-2024-india-imports.txt"
# The newest release (web register: orders, estimated per-year split) and the April 2024
# delivery-year layout (exact per-year rows, no 'Number ordered', so no pipeline).
RELEASES = [None, "2024-04-13"]
# Whole profile (India, United States: Top 100 companies), imports only and no milex (Vanuatu),
# no transfers in any period shown and no milex (Northern Cyprus), a historic state whose milex
# ends in 1992 without a share of GDP (Czechoslovakia), a non-state actor (Syria rebels).
COUNTRIES = ["India", "United States", "Vanuatu", "Northern Cyprus", "Czechoslovakia", "Syria rebels"]
# What a template must never show: Python's None, Jinja's Undefined, a NaN.
BLANKS = re.compile(r"\bNone\b|Undefined|\bnan\b|\(–\)")


@pytest.fixture(scope="module")
def client(store_path: Path):
    app = create_app(store_path)
    yield TestClient(app)
    app.state.armatlas.close()


def _q(release: str | None, sep: str = "?") -> str:
    return f"{sep}release={release}" if release else ""


def _visible(html: str) -> str:
    """The page's text without scripts, styles, SVG and tags."""
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def _no_blanks(html: str) -> None:
    found = [m.group(0) for m in BLANKS.finditer(_visible(html))]
    assert not found, found


def _delivered(con, release: str, column: str, entity_id: str, period: str) -> tuple[int, float]:
    """Deals delivered in a period and their TIV, from the release's register delivery rows."""
    first, last = (int(y) for y in period.split("-"))
    deals, total = con.execute(
        f"""SELECT count(DISTINCT dl.deal_key), coalesce(sum(dl.tiv), 0)
            FROM delivery dl JOIN deal d USING (deal_key)
            JOIN snapshot s ON s.snapshot_id = d.snapshot_id
            WHERE s.release = ? AND d.{column} = ? AND dl.year BETWEEN ? AND ?""",
        [release, entity_id, first, last],
    ).fetchone()
    return deals, total


def _has_milex(con, entity_id: str) -> bool:
    return con.execute("SELECT count(*) FROM milex WHERE entity_id = ?", [entity_id]).fetchone()[0] > 0


def test_page_and_report_environments_refuse_undefined_names() -> None:
    assert templates.env.undefined is StrictUndefined
    assert build._env().undefined is StrictUndefined


def test_a_field_the_data_lack_names_template_and_line(atlas) -> None:
    """The shared spending macro asked of a country SIPRI has no milex for: file, line, the name."""
    prof = atlas.profile("Northern Cyprus")
    macro = build._env().get_template("_profile_more.html").module.spending_figures  # type: ignore[attr-defined]
    with pytest.raises(UndefinedError) as caught:
        macro(prof)
    err = template_error(caught.value, "report.html")
    lines = (SHARED_TEMPLATES / "_profile_more.html").read_text(encoding="utf-8").splitlines()
    assert err.file == "_profile_more.html"
    assert "sp.year" in lines[err.line - 1]
    assert "'year'" in err.message and err.code == "template-error" and err.hint


def test_a_misspelt_report_field_is_an_error_not_a_blank(atlas, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(build.TEMPLATES, folder)
    page = folder / "report.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("{{ e.name }} <small>", "{{ e.nmae }} <small>", 1), encoding="utf-8")
    line = next(i for i, s in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if "e.nmae" in s)
    monkeypatch.setattr(build, "TEMPLATES", folder)
    with pytest.raises(TemplateError) as caught:
        build.write_report(atlas, "India", "html", tmp_path / "india.html")
    assert isinstance(caught.value, ArmatlasError)
    assert (caught.value.file, caught.value.line) == ("report.html", line)
    assert "nmae" in caught.value.message
    assert not (tmp_path / "india.html").exists()


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_country_page_and_report_show_every_section_or_say_it_is_missing(
    client, atlas, con, country: str, release: str | None
) -> None:
    prof = atlas.profile(country, release=release)
    entity_id, period = prof.summary.entity.entity_id, prof.params["period"]
    rel = prof.provenance.release  # the newest release when none is asked for
    import_deals, imports = _delivered(con, rel, "recipient_id", entity_id, period)
    export_deals, exports = _delivered(con, rel, "supplier_id", entity_id, period)
    page = client.get(f"/country/{country}{_q(release)}", headers=BROWSER)
    assert page.status_code == 200
    report = build.render_html(atlas, country, release=release)
    _no_blanks(page.text)
    _no_blanks(report)
    text, brief = _visible(page.text), _visible(report)
    # The page's cards: the latest period, or "none identified" (missing is not zero).
    if import_deals:
        assert f"Imports {period} {tiv(imports)} TIV" in text
    else:
        assert f"Imports {period} No imports of major arms identified" in text
    if export_deals:
        assert f"Exports {period} {tiv(exports)} TIV" in text
        assert f"{period}: {tiv(exports)} TIV" in brief
    else:
        assert f"Exports {period} No exports of major arms identified" in text
        assert f"No exports of major arms identified in {period}" in brief
    # The brief's dependence table: every period, or one sentence when none had imports.
    if import_deals:
        assert f'<td>{period}</td><td class="n">{tiv(imports)}</td>' in report
    elif not any(_delivered(con, rel, "recipient_id", entity_id, p)[0] for p in prof.summary.periods):
        assert "No imports of major arms identified in " + ", ".join(prof.summary.periods) in brief
    for shown in (text, brief):
        if not _has_milex(con, entity_id):
            assert f"SIPRI has no military expenditure figures for {prof.summary.entity.name}" in shown
        if release == "2024-04-13":
            assert "computable on this release (its register has no 'Number ordered')" in shown


def test_no_zero_cards_for_a_country_without_transfers(client, con) -> None:
    """Northern Cyprus: no deliveries either way in 2011-2025; no '0.0 TIV', no empty partner section."""
    for period in ("2011-2015", "2016-2020", "2021-2025"):
        assert _delivered(con, "2026-05-18", "recipient_id", "northern-cyprus", period) == (0, 0)
        assert _delivered(con, "2026-05-18", "supplier_id", "northern-cyprus", period) == (0, 0)
    (open_orders,) = con.execute(
        """SELECT count(*) FROM deal d JOIN snapshot s ON s.snapshot_id = d.snapshot_id
           WHERE s.release = '2026-05-18' AND d.recipient_id = 'northern-cyprus'
             AND d.n_ordered > coalesce(d.n_delivered, 0)"""
    ).fetchone()
    assert open_orders == 0
    text = _visible(client.get("/country/Northern Cyprus", headers=BROWSER).text)
    assert "0.0" not in text and "Small base" not in text and "0 recipients" not in text
    assert text.count("no imports identified") == 3  # each period of the dependence table
    assert "No transfers of major arms with any partner identified in 2021-2025" in text
    assert "No open orders identified in this release's register" in text


def test_spending_finding_leaves_out_what_sipri_does_not_give(atlas, con) -> None:
    """Czechoslovakia's last milex year, 1992, has a level but no share of GDP: no '– of GDP'."""
    level, share = con.execute(
        """SELECT max(value) FILTER (WHERE measure = 'constant_usd'), max(value) FILTER (WHERE measure = 'share_gdp')
           FROM milex WHERE entity_id = 'czechoslovakia' AND year = 1992"""
    ).fetchone()
    assert share is None
    report = _visible(build.render_html(atlas, "Czechoslovakia"))
    finding = re.search(r"Czechoslovakia's military spending was [^.]*\.\d[^.]*\.", report)
    assert finding is not None
    assert f"US$ {level / 1000:,.1f} billion in 1992" in finding.group(0)
    assert "of GDP" not in finding.group(0) and "–" not in finding.group(0)


def test_exports_warning_says_none_rather_than_only_zero(atlas) -> None:
    warnings = atlas.profile("Northern Cyprus").warnings
    assert "2021-2025: no export deals" in warnings
    assert not any("only 0" in w for w in warnings)


def _pages(release: str | None) -> list[tuple[str, int]]:
    """Every page (URL and expected status) of one release; together they use every page template."""
    q, amp = _q(release), _q(release, "&")
    return [
        (f"/{q}", 200),
        (f"/trends{q}", 200),
        (f"/trends?direction=import&period=2000-2004&compare=1995-1999{amp}", 200),
        (f"/map{q}", 200),
        (f"/map?direction=export{amp}", 200),
        (f"/deals{q}", 200),
        (f"/deals?supplier=Russia&category=Aircraft&pending=true{amp}", 200),
        (f"/deals?recipient=Vanuatu{amp}", 200),
        (f"/compare?c=India&c=Northern+Cyprus&c=Czechoslovakia{amp}", 200),
        (f"/compare{q}", 200),
        ("/data", 200),
        ("/check", 200),
        ("/docs", 200),
        (f"/country/Pakistn{q}", 404),  # the error page with suggestions
        ("/check/0123456789abcdef0123456789abcdef", 404),  # an error without suggestions
    ]


@pytest.mark.parametrize("release", RELEASES)
def test_every_page_template_renders_on_both_releases(client, release: str | None) -> None:
    rendered = set()
    for url, status in _pages(release):
        r = client.get(url, headers=BROWSER)
        assert r.status_code == status, (url, r.text[:500])
        _no_blanks(r.text)
        rendered.add(r.template.name)
    checked = client.post(
        "/check",
        data={"text": ARTICLE.read_text(encoding="utf-8"), "release": release or ""},
        headers=BROWSER,
    )
    assert checked.status_code == 200 and checked.url.path.startswith("/check/")
    assert checked.text.count("<tr data-kind=") >= 10
    _no_blanks(checked.text)
    rendered |= {"check.html", "country.html"}  # country pages: the test above
    pages = {
        p.name for p in WEB_TEMPLATES.glob("*.html") if not p.name.startswith("_") and p.name != "base.html"
    }
    assert rendered == pages
    # Partials (base, macros, shared sections) are each used by a page or the report.
    env = build._env()
    env.loader.searchpath.insert(0, str(WEB_TEMPLATES))  # type: ignore[union-attr]
    used: set[str] = set()
    for name in [*pages, "report.html"]:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        used |= set(meta.find_referenced_templates(env.parse(source)))
    partials = {p.name for d in (WEB_TEMPLATES, SHARED_TEMPLATES) for p in d.glob("*.html")} - pages
    assert partials <= used


def test_compare_writes_a_dash_where_a_country_has_no_transfers(client, con) -> None:
    """Northern Cyprus beside India: dashes (missing is not zero), India's figures from its rows."""
    deals, imports = _delivered(con, "2026-05-18", "recipient_id", "india", "2021-2025")
    html = client.get("/compare?c=India&c=Northern+Cyprus", headers=BROWSER).text

    def cells(label: str) -> list[str]:
        row = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", html, flags=re.S)
        assert row is not None, label
        return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))

    assert deals and cells("Imports (TIV)") == [tiv(imports), "–"]
    assert cells("Top supplier")[1] == "–" and cells("Top supplier")[0].startswith("Russia (")
    for label in ("Suppliers", "HHI", "Exports (TIV)", "Export rank", "World export share", "Recipients"):
        assert cells(label)[1] == "–", label


def test_a_permalink_kept_by_an_older_version_is_checked_again(client, store_path) -> None:
    """A stored check whose claims lack a field the page now reads (written before it existed)."""
    from armatlas.web.check import check_key

    text = ARTICLE.read_text(encoding="utf-8")
    posted = client.post("/check", data={"text": text, "release": ""}, follow_redirects=False)
    key = check_key(text, None)
    assert posted.headers["location"] == f"/check/{key}"
    kept = store_path.parent / "checks" / f"{key}.json"
    record = json.loads(kept.read_text(encoding="utf-8"))
    claims = len(record["dossier"]["claims"])
    old = "f" * 32
    for c in record["dossier"]["claims"]:
        del c["evidence_notes"]  # what an older armatlas did not write
    (kept.parent / f"{old}.json").write_text(json.dumps(record), encoding="utf-8")
    page = client.get(f"/check/{old}", headers=BROWSER)
    assert page.status_code == 200 and page.text.count("<tr data-kind=") == claims > 0
    assert "Checked again with this version of armatlas" in page.text
    _no_blanks(page.text)
    assert (
        "evidence_notes" not in json.loads((kept.parent / f"{old}.json").read_text())["dossier"]["claims"][0]
    )


def test_industry_section_shows_the_top100_or_says_there_is_none(client, atlas, con) -> None:
    """India's 2018 Top 100 companies (subsidiaries never counted twice) on the page and in the brief;
    Vanuatu has none and the section says so instead of staying empty."""
    total, n, top = con.execute(
        """SELECT sum(arms_sales), count(*), arg_min(company, rank) FROM industry_rank
           WHERE year = 2018 AND country_id = 'india' AND NOT subsidiary"""
    ).fetchone()
    assert (n, top) == (3, "Hindustan Aeronautics")
    (vanuatu,) = con.execute("SELECT count(*) FROM industry_rank WHERE country_id = 'vanuatu'").fetchone()
    assert vanuatu == 0
    for country, expected in (
        ("India", [f"Arms sales, 2018 US$ {total:,.0f} m", f"by {n} companies; largest {top}"]),
        ("Vanuatu", ["No company headquartered in Vanuatu is in the SIPRI Top 100 in any year 2002-2018"]),
    ):
        page = _visible(client.get(f"/country/{country}", headers=BROWSER).text)
        brief = _visible(build.render_html(atlas, country))
        for text in (page, brief):
            section = text[text.index("Defence industry") :]
            for phrase in expected:
                assert phrase in section, (country, phrase)
    brief = build.render_html(atlas, "India")
    industry = re.search(r'<section class="industry".*?</section>', brief, re.S)
    assert industry is not None and "SIPRI Arms Industry Database" in industry.group(0)


def test_licensed_production_not_yet_delivered_is_not_zero_tiv(client, con) -> None:
    """Estonia's one local-production deal (K-239 Chunmoo, 2025) has no deliveries: not '0.0 TIV'."""
    (delivered,) = con.execute(
        """SELECT d.tiv_delivered FROM deal d JOIN snapshot s ON s.snapshot_id = d.snapshot_id
           WHERE s.release = '2026-05-18' AND d.recipient_id = 'estonia' AND d.designation = 'K-239 Chunmoo'"""
    ).fetchone()
    assert delivered is None
    text = _visible(client.get("/country/Estonia", headers=BROWSER).text)
    assert "1 deal since 2025, nothing delivered yet; from South Korea" in text
    assert "0.0 TIV" not in text


def test_a_register_of_selected_countries_renders_its_bilateral_figures(client, atlas, con) -> None:
    """The to-Ukraine register has no world total: page and brief show Ukraine's imports from its
    rows and leave out the world-share finding, instead of refusing the whole page."""
    deals, imports = _delivered(con, "2025-02-17", "recipient_id", "ukraine", "2019-2023")
    assert deals > 0
    page = client.get("/country/Ukraine?release=2025-02-17", headers=BROWSER)
    assert page.status_code == 200
    brief = build.render_html(atlas, "Ukraine", release="2025-02-17")
    for html in (page.text, brief):
        _no_blanks(html)
        text = _visible(html)
        assert f"{tiv(imports)}" in text and "of the world total" not in text
        assert "Release 2025-02-17 covers only recipients: Ukraine" in text
    assert f"Imports 2019-2023 {tiv(imports)} TIV" in _visible(page.text)


def test_a_finding_from_the_published_tiv_tables_says_so(atlas) -> None:
    """On the TIV-tables release, India's import total is the published table's (rounded per
    year), which is not the register's sum shown beside it: the finding names its basis."""
    from armatlas.render.findings import key_findings
    from armatlas.render.views import import_flows

    table = (
        SHARED
        / "data"
        / "sipri_arms_transfers"
        / "import-export-values_1950-2024_importers_generated-2024-10-13.csv"
    )
    rows = list(csv.reader(table.read_text(encoding="utf-8-sig").splitlines()))
    header = next(r for r in rows if r and r[0] == "Recipient")
    india = next(r for r in rows if r and r[0] == "India")
    prof = atlas.profile("India", release="2024-10-13")
    period = prof.summary.periods[-1]
    first, last = (int(y) for y in period.split("-"))
    published = sum(float(india[header.index(str(y))] or 0) for y in range(first, last + 1))
    text = dict(key_findings(prof, import_flows(atlas, prof, "2024-10-13")))["imports"]
    assert f"received {tiv(published)} TIV of major arms in {period}" in text
    assert "published TIV tables" in text
    latest = dict(key_findings(atlas.profile("India"), import_flows(atlas, atlas.profile("India"), None)))
    assert "published TIV tables" not in latest["imports"]  # the register's own totals
