"""`fetch_page` (what `armatlas check URL` reads through): capped, time-boxed, no redirect into
this machine, text only. A hostile local 127.0.0.1 server plays the news site."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from armatlas.claims import read_article
from armatlas.errors import FetchError
from armatlas.sources._http import fetch_page

ARTICLE = ("Title: Test\n\nAzerbaijan imported arms from Israel. " * 20).encode("cp1252")


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path
        if path == "/story":  # Latin-1 text with no charset declared
            self._head(200, "text/plain", len(ARTICLE))
            self.wfile.write(ARTICLE)
        elif path.startswith("/to/"):  # redirect to wherever the rest of the path says
            self.send_response(302)
            self.send_header("Location", path.removeprefix("/to/"))
            self.end_headers()
        elif path == "/trickle":  # one byte at a time, forever
            self._head(200, "text/html", None)
            try:
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
        elif path == "/huge":  # more than any article, no Content-Length
            self._head(200, "text/html", None)
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>" + b"a" * 65536)
            except OSError:
                pass
        elif path == "/pdf":
            self._head(200, "application/pdf", 8)
            self.wfile.write(b"%PDF-1.7")

    def _head(self, status: int, ctype: str, length: int | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_text_without_charset_is_read_as_cp1252(site: str) -> None:
    page = fetch_page(site + "/story")
    assert page.text() == ARTICLE.decode("cp1252") and page.url == site + "/story"
    assert read_article(site + "/story").title == "Test"


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:9/secret",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "file:///etc/passwd",
        "/story",
    ],
)
def test_redirect_only_to_public_hosts(site: str, target: str) -> None:
    with pytest.raises(FetchError) as exc:
        fetch_page(f"{site}/to/{target}")
    assert "refused" in exc.value.message and exc.value.code == "fetch-failed"


def test_size_cap_and_overall_deadline(site: str) -> None:
    with pytest.raises(FetchError, match="Page too large"):
        fetch_page(site + "/huge", max_bytes=1_000_000)
    with pytest.raises(FetchError, match=r"took longer than 0\.5 s"):
        fetch_page(site + "/trickle", deadline=0.5)


def test_non_text_and_bad_address_are_fetch_errors(site: str) -> None:
    with pytest.raises(FetchError, match="application/pdf"):
        fetch_page(site + "/pdf")
    with pytest.raises(FetchError) as exc:
        read_article("http://[::1")
    assert exc.value.message.startswith("Could not read the article")
