"""Articles read from a URL: a local 127.0.0.1 server stands in for the news site."""

from __future__ import annotations

import html

import fake_publishers
import pytest
from fake_publishers import Reply

from armatlas.claims import extract_claims, read_article
from armatlas.errors import FetchError
from tests.conftest import SHARED

pytestmark = pytest.mark.data  # reads the real snapshot files directly

fake_publisher = fake_publishers.fake_publisher
APA = SHARED / "articles" / "apa-2019-azerbaijan-imports.txt"


def _claims(article) -> list[tuple]:
    claims, _ = extract_claims(article)
    return [(c.kind, c.subject, c.partner, c.value, c.relation, [p.label for p in c.periods]) for c in claims]


def _as_html(path) -> bytes:
    """The sample article as a news page: title and date in the head, one <p> per paragraph."""
    from armatlas.claims import parse_article

    a = parse_article(path.read_text(encoding="utf-8"))
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in a.body.split("\n") if p.strip())
    return (
        f"<!doctype html><html><head><title>{html.escape(a.title)}</title>"
        f'<meta property="article:published_time" content="{a.published.isoformat()}T10:00:00+04:00">'
        f'<script>var ad = "5% of nothing";</script></head><body><nav>Home | World</nav>'
        f"<article>{paras}</article><footer>© APA</footer></body></html>"
    ).encode()


def test_plain_text_url_reads_like_the_file(fake_publisher) -> None:
    fake_publisher.route(
        "GET", "/story.txt", lambda r: Reply(APA.read_bytes(), content_type="text/plain; charset=utf-8")
    )
    url = fake_publisher.url + "/story.txt"
    got = read_article(url)
    want = read_article(str(APA))
    assert (got.body, got.title, got.published, got.location) == (want.body, want.title, want.published, url)
    assert _claims(got) == _claims(want) and len(_claims(got)) > 10


def test_html_url_gives_the_same_claims(fake_publisher) -> None:
    fake_publisher.route(
        "GET", "/news/apa", lambda r: Reply(_as_html(APA), content_type="text/html; charset=utf-8")
    )
    url = fake_publisher.url + "/news/apa"
    got = read_article(url)
    want = read_article(str(APA))
    assert got.title == want.title and got.published == want.published and got.source == url
    assert "Home" not in got.body and "5% of nothing" not in got.body  # navigation and scripts dropped
    assert _claims(got) == _claims(want)
    assert [r.path for r in fake_publisher.requests] == ["/news/apa"]


@pytest.mark.parametrize("mode,status", [("500", "500"), ("404", "404")])
def test_http_error_is_a_clear_fetch_error(fake_publisher, mode: str, status: str) -> None:
    fake_publisher.route("GET", "/story", lambda r: Reply(APA.read_bytes(), content_type="text/plain"))
    fake_publisher.fail("/story", mode)
    with pytest.raises(FetchError) as exc:
        read_article(fake_publisher.url + "/story")
    assert f"HTTP {status}" in exc.value.message and "/story" in exc.value.message
    assert exc.value.code == "fetch-failed"


def test_html_error_page_with_status_200_is_refused(fake_publisher) -> None:
    fake_publisher.route("GET", "/story", lambda r: Reply(_as_html(APA), content_type="text/html"))
    fake_publisher.fail("/story", "html")  # a maintenance page served with 200
    with pytest.raises(FetchError) as exc:
        read_article(fake_publisher.url + "/story")
    assert "error or maintenance page" in exc.value.message and "Back soon" in exc.value.message
    # the next request gets the real page again
    assert read_article(fake_publisher.url + "/story").title == read_article(str(APA)).title


def test_non_text_content_is_refused(fake_publisher) -> None:
    fake_publisher.route(
        "GET", "/story.pdf", lambda r: Reply(b"%PDF-1.7 ...", content_type="application/pdf")
    )
    with pytest.raises(FetchError, match="application/pdf"):
        read_article(fake_publisher.url + "/story.pdf")


def test_unreachable_server_is_a_fetch_error(fake_publisher) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="Could not read the article"):
        read_article(f"http://127.0.0.1:{port}/story", timeout=2)
