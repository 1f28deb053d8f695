"""The dashboard in a real browser (Playwright driving Debian's chromium) over the real store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import SHARED

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian chromium not installed at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ALL_CHARTS_DONE = (
    "document.querySelectorAll('.vl-chart').length === "
    "document.querySelectorAll('.vl-chart[data-rendered]').length"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(store_path: Path) -> Iterator[str]:
    """uvicorn in a thread on 127.0.0.1, serving the app over the session store."""
    from armatlas.serve import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store_path), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Page:
    """A page that records console errors, failed requests and any request leaving 127.0.0.1."""

    def __init__(self, browser: object, base: str, width: int = 1280) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self._failed)
        self.page.route("**/*", self._only_local)

    def _failed(self, request: object) -> None:
        # A suggestion fetch still in flight when Enter navigates away is cancelled by the
        # browser (net::ERR_ABORTED); that is the user leaving, not a failing page.
        if "ERR_ABORTED" in (request.failure or ""):  # type: ignore[attr-defined]
            return
        self.errors.append(f"failed: {request.url}")  # type: ignore[attr-defined]

    def _only_local(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlparse(url).hostname != "127.0.0.1" and not url.startswith("data:"):
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    def open(self, path: str) -> object:
        self.page.goto(self.base + path)
        self.page.wait_for_function(ALL_CHARTS_DONE, timeout=15000)
        return self.page

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], f"page tried to load from outside: {self.outside}"
        self.page.close()


def test_overview_charts_render_offline_and_link_to_a_country(browser, base_url, atlas) -> None:
    top = atlas.trends(direction="export", top=1).rows[0]
    p = Page(browser, base_url)
    page = p.open("/")
    assert page.locator(".vl-chart[data-rendered=true] svg").count() == 2
    assert page.locator(".vl-chart[data-rendered=true] svg .mark-rect path").count() > 0  # bars drawn
    page.locator(f"table a[href='/country/{top['entity_id']}']").first.click()
    page.wait_for_url(f"**/country/{top['entity_id']}")
    page.wait_for_function(ALL_CHARTS_DONE, timeout=15000)
    assert page.locator("h1").inner_text().startswith(top["name"])
    p.close()


def test_country_profile_charts_and_tables(browser, base_url, atlas) -> None:
    prof = atlas.profile("India")
    p = Page(browser, base_url)
    page = p.open("/country/India")
    assert page.locator(".vl-chart[data-rendered=true] svg").count() >= 4
    assert page.locator(".vl-chart[data-rendered=error]").count() == 0
    latest = prof.summary.dependence.latest
    card = page.locator(".card").first.inner_text()
    assert latest.top_supplier in card and f"{latest.tiv:,.0f}" in card
    p.close()


def test_search_suggests_and_opens_the_country(browser, base_url) -> None:
    p = Page(browser, base_url)
    page = p.open("/")
    page.locator("#country-search").press_sequentially("Pakis", delay=30)
    page.wait_for_function("document.querySelectorAll('#country-options option').length > 0", timeout=5000)
    options = page.locator("#country-options option").evaluate_all("els => els.map(e => e.value)")
    assert "Pakistan" in options
    page.locator("#country-search").fill("Pakistan")
    page.locator("#country-search").press("Enter")
    page.wait_for_url("**/country/Pakistan")
    page.wait_for_function(ALL_CHARTS_DONE, timeout=15000)
    assert page.locator("h1").inner_text().startswith("Pakistan")
    p.close()


def test_unknown_country_page_suggests_links(browser, base_url) -> None:
    p = Page(browser, base_url)
    p.page.on("console", lambda m: None)
    p.page.goto(base_url + "/country/Ukrain")
    assert "Ukrain" in p.page.locator("h1").inner_text()
    p.page.locator(".suggestions a[href='/country/Ukraine']").click()
    p.page.wait_for_url("**/country/Ukraine")
    p.page.wait_for_function(ALL_CHARTS_DONE, timeout=15000)
    assert p.page.locator(".vl-chart svg").count() >= 4
    p.errors = [e for e in p.errors if "404" not in e]  # the error page itself is a 404, on purpose
    p.close()


def test_compare_page_is_shareable_and_fits_a_phone(browser, base_url) -> None:
    p = Page(browser, base_url, width=390)
    page = p.open("/compare?c=India&c=Pakistan")
    assert page.locator(".vl-chart svg").count() == 2
    headers = page.locator("thead th a").all_inner_texts()
    assert headers == ["India", "Pakistan"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a phone screen"
    p.close()


def test_check_an_article_in_the_browser(browser, base_url) -> None:
    article = SHARED / "articles" / "azernews-2025-defence-development.txt"
    p = Page(browser, base_url)
    page = p.open("/")
    page.locator("nav a[href='/check']").click()
    page.wait_for_url("**/check")
    page.locator("textarea[name=text]").fill(article.read_text(encoding="utf-8"))
    page.locator("form.check button[type=submit]").click()
    page.wait_for_selector("table.claims")
    grenades = page.locator("tr[data-kind=out_of_scope]", has_text="grenades")
    assert grenades.locator("td.verdict").inner_text() == "not checkable"
    many = page.locator("tr[data-kind=exports_reach]", has_text="many countries")
    assert (
        many.locator("td.verdict").inner_text() == "ambiguous"
    )  # one major-arms recipient; ammunition is not covered
    assert "Innovation powers Azerbaijan" in page.locator(".dossier h2").inner_text()
    p.close()


@pytest.mark.parametrize("width", [1400, 390])
def test_deals_explorer_facets_and_pages(browser, base_url, atlas, width) -> None:
    whole = atlas.deals(recipient="Armenia").rows
    russia = sum(r["supplier"] == "Russia" for r in whole)
    p = Page(browser, base_url, width=width)
    page = p.open("/deals?recipient=Armenia")
    assert page.locator(".deal-count strong").inner_text() == f"{len(whole):,}"
    page.locator("details[data-facet=supplier] a", has_text="Russia").first.click()
    page.wait_for_url("**/deals?*supplier=Russia*")
    assert page.locator(".deal-count strong").inner_text() == f"{russia:,}"
    assert page.locator("table.deals tbody tr").count() == min(russia, 50)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.goto(base_url + "/deals?supplier=Russia&recipient=India")
    first = page.locator("table.deals tbody tr").first.inner_text()
    page.locator(".pager a[rel=next]").click()
    page.wait_for_url("**offset=50*")
    assert page.locator("table.deals tbody tr").first.inner_text() != first
    p.close()


def test_chart_downloads_are_valid_files_with_the_source(browser, base_url, atlas, tmp_path) -> None:
    prof = atlas.profile("Armenia")
    source = prof.provenance.citation()
    p = Page(browser, base_url)
    page = p.open("/country/Armenia")
    bar = page.locator("#chart-flows").locator("xpath=..").locator(".chart-downloads")
    files = {}
    for fmt in ("png", "svg", "csv"):
        with page.expect_download() as info:
            bar.locator(f"button[data-format={fmt}]").click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        files[fmt] = path
    assert files["png"].name == "flows.png" and files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = files["svg"].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "Armenia: arms imports and exports" in svg
    assert "Source: SIPRI Arms Transfers Database" in svg  # the source line travels with the image
    import csv

    rows = list(csv.DictReader(files["csv"].open(encoding="utf-8")))
    imports = {int(r["year"]): float(r["tiv"]) if r["tiv"] else None for r in rows if r["flow"] == "Imports"}
    assert imports == {
        r["year"]: r["imports"] for r in prof.parts["flows"].rows
    }  # a missing year stays empty
    assert {r["source"] for r in rows} == {source}
    p.close()


def test_check_permalink_reopens_the_same_result(browser, base_url) -> None:
    article = SHARED / "articles" / "azernews-2025-defence-development.txt"
    p = Page(browser, base_url, width=390)
    page = p.open("/check")
    page.locator("textarea[name=text]").fill(article.read_text(encoding="utf-8"))
    page.locator("form.check button[type=submit]").click()
    page.wait_for_url("**/check/*")
    link = page.url
    verdicts = page.locator("table.claims td.verdict").all_inner_texts()
    assert (
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    )  # verdicts on screen
    again = Page(browser, base_url)
    again.page.goto(link)
    assert again.page.locator("table.claims td.verdict").all_inner_texts() == verdicts
    assert again.page.locator(".permalink a").get_attribute("href") == link.removeprefix(base_url)
    again.close()
    p.close()


def test_map_slider_moves_to_a_shareable_period(browser, base_url) -> None:
    p = Page(browser, base_url, width=390)
    page = p.open("/map?direction=export")
    assert page.locator("#chart-map svg path").count() > 100  # country shapes from the vendored TopoJSON
    page.locator("#period-slider").evaluate("s => { s.value = 0; s.dispatchEvent(new Event('change')); }")
    page.wait_for_url("**/map?direction=export&period=1956-1960")
    page.wait_for_function(ALL_CHARTS_DONE, timeout=15000)
    assert page.locator("#period-label").inner_text() == "1956-1960"
    p.close()


def test_browser_errors_are_pages_and_docs_work_offline(browser, base_url) -> None:
    p = Page(browser, base_url, width=390)
    p.page.on("console", lambda m: None)
    resp = p.page.goto(base_url + "/?top=500")
    assert resp.status == 422 and "text/html" in resp.headers["content-type"]
    assert p.page.locator(".error[data-code=invalid-parameter] h1").inner_text()
    p.errors = [e for e in p.errors if "422" not in e]  # the error page itself is a 422, on purpose
    p.page.goto(base_url + "/docs")
    p.page.wait_for_selector("#swagger-ui[data-rendered=true]", timeout=15000)
    assert p.page.locator(".opblock-summary-path", has_text="/api/v1/deals").count() == 1
    p.close()
