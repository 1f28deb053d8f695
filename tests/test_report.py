"""Country reports: self-contained HTML with inline SVG charts, and a PDF whose pages show them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from armatlas.render.charts import profile_charts
from armatlas.report import render_html, write_report


@pytest.fixture(scope="module")
def html(atlas) -> str:
    return render_html(atlas, "Pakistan")


def test_html_is_self_contained_with_one_svg_per_chart(html, atlas) -> None:
    prof = atlas.profile("Pakistan")
    assert html.count("<svg") == len(profile_charts(prof)) >= 4
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing to fetch
    latest = prof.summary.dependence.latest
    assert latest.top_supplier == "China"
    assert f"{latest.tiv:,.0f} TIV" in html


def test_html_has_provenance_and_citation(html, atlas) -> None:
    prof = atlas.profile("Pakistan")
    reg = prof.provenance.snapshots[0]
    assert reg.file_name in html and reg.sha256[:16] in html
    assert "Release 2026-05-18" in html
    assert "SIPRI Arms Transfers Database, Stockholm International Peace Research Institute" in html
    # Only spending and the Top 100's arms sales are money (US$); no TIV figure carries a currency sign.
    assert "not money" in html and "US$" in html
    money = r"<svg.*?</svg>|<section class=\"(spending|industry)\".*?</section>|<li data-kind=\"spending\">.*?</li>"
    assert "$" not in re.sub(money, "", html, flags=re.S)


def test_unknown_country_is_the_library_error(atlas, tmp_path) -> None:
    from armatlas.errors import UnknownCountryError

    with pytest.raises(UnknownCountryError):
        write_report(atlas, "Pakistn", "html", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def _chart_pixels(png: Path) -> int:
    """Pixels in the charts' colours (the country palette and the flows' red/blue)."""
    from PIL import Image

    from armatlas.render.charts import FLOW_COLOURS, PALETTE

    palette = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in [*PALETTE, *FLOW_COLOURS.values()]]
    img = Image.open(png).convert("RGB")
    return sum(
        n
        for n, rgb in img.getcolors(1 << 24)
        if any(sum(abs(a - b) for a, b in zip(rgb, c, strict=True)) < 30 for c in palette)
    )


def test_pdf_pages_show_the_charts(atlas, tmp_path) -> None:
    pytest.importorskip("weasyprint")
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (Debian poppler-utils) not installed")
    pdf = write_report(atlas, "Pakistan", "pdf", tmp_path / "pakistan.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert _chart_pixels(pages[0]) > 300  # the flows chart's lines on the first page
    assert _chart_pixels(pages[0]) + _chart_pixels(pages[1]) > 2000  # and the supplier bars after it
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "Pakistan" in text and "SIPRI Arms Transfers Database" in text and "Provenance" in text


def test_cli_report_writes_html(store_path, tmp_path, monkeypatch) -> None:
    import typer
    from typer.testing import CliRunner

    from armatlas import config
    from armatlas.cli.serve_cmds import register

    monkeypatch.setattr(config, "store_path", lambda: store_path)
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    out = tmp_path / "r" / "pk.html"
    result = CliRunner().invoke(app, ["report", "PAK", "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("<svg") >= 4


def test_html_has_pipeline_spending_and_partners(html, atlas) -> None:
    from armatlas.render.format import pct, tiv

    prof = atlas.profile("Pakistan")
    pipe, sp = prof.summary.pipeline, prof.summary.spending
    assert f"{tiv(pipe.outstanding_tiv)} TIV</strong> in {pipe.deals} open deals" in html
    assert f"US$ {sp.constant_usd:,.0f} m" in html and pct(sp.share_gdp) in html
    growth = prof.parts["spending.growth"].rows[-1]
    assert f"{growth['from_year']}–{growth['to_year']} " in html
    assert "/country/" not in html  # a report carries no dashboard links


def test_key_findings_are_the_results_in_sentences(html, atlas) -> None:
    prof = atlas.profile("Pakistan")
    period = prof.params["period"]
    imports = atlas.flows(["Pakistan"], direction="import", periods=prof.summary.periods).rows[-1]
    latest = prof.summary.dependence.latest
    from html import unescape

    findings = unescape(re.search(r'<section class="findings keep">(.*?)</section>', html, re.S).group(1))
    assert (
        f"Pakistan received {imports['tiv']:,.0f} TIV of major arms in {period}, "
        f"{imports['share'] * 100:.1f}% of the world total"
    ) in findings
    assert (
        f"{latest.top_supplier} supplied {latest.top1_share * 100:.0f}% of Pakistan's arms imports"
        in findings
    )
    assert latest.top_supplier == "China"  # SIPRI: China supplied most of Pakistan's imports since 2011-15
    sp = prof.summary.spending
    assert f"military spending was US$ {sp.constant_usd / 1000:,.1f} billion in {sp.year}" in findings


def test_each_section_cites_its_source_and_no_table_repeats(html, atlas) -> None:
    prof = atlas.profile("Pakistan")
    trade, milex = prof.provenance.citation(), prof.parts["spending.series"].provenance.citation()
    for section in ("imports", "pipeline"):
        body = re.search(rf'<section class="{section}".*?</section>', html, re.S).group(0)
        assert f'<p class="source">{trade}</p>' in body, section
    spending = re.search(r'<section class="spending".*?</section>', html, re.S).group(0)
    assert f'<p class="source">{milex}</p>' in spending and "Military Expenditure" in milex
    assert "Arms Transfers" not in re.sub(r"<svg.*?</svg>", "", spending, flags=re.S)
    headers = re.findall(r"<h3>(.*?)</h3>", html)
    assert len(headers) == len(set(headers))
    assert html.count('<table class="suppliers">') == 1


def test_pdf_last_page_is_not_a_fragment(atlas, tmp_path) -> None:
    pytest.importorskip("weasyprint")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian poppler-utils) not installed")
    pdf = write_report(atlas, "Armenia", "pdf", tmp_path / "armenia.pdf")
    pages = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    words = [len(p.split()) for p in pages if p.strip()]
    assert min(words) > 60, words  # every page carries content, not one stray line or table row
