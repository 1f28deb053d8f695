"""An article as the claim checker reads it: header lines, publication date, body text."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from armatlas.errors import FetchError, QueryError

_HEADER = re.compile(r"^(Title|Source|Published|Date|URL):\s*(.*)$", re.IGNORECASE)
_FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")


@dataclass(frozen=True)
class Article:
    """Body text plus what the headers said; spans in claims index into `body`."""

    body: str
    title: str | None = None
    source: str | None = None
    published: date | None = None  # a full date when the header gives one
    published_year: int | None = None  # always set when any date is known
    location: str | None = None  # path or URL it was read from

    @property
    def published_label(self) -> str | None:
        if self.published:
            return self.published.isoformat()
        return str(self.published_year) if self.published_year else None


def parse_published(text: str) -> tuple[date | None, int | None]:
    """'2019-03-11' -> (date, 2019); '2025' -> (None, 2025); anything else -> (None, None)."""
    m = _FULL_DATE.search(text)
    if m:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return d, d.year
    m = _YEAR.search(text)
    return (None, int(m.group(1))) if m else (None, None)


def parse_article(text: str, location: str | None = None) -> Article:
    """Header lines until the first line that is not one; the rest is the body."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    headers: dict[str, str] = {}
    i = 0
    while i < len(lines):
        m = _HEADER.match(lines[i].strip())
        if not m:
            break
        headers[m.group(1).lower()] = m.group(2).strip()
        i += 1
    body = "\n".join(lines[i:]).strip("\n")
    pub, year = parse_published(headers.get("published") or headers.get("date") or "")
    return Article(
        body=body,
        title=headers.get("title"),
        source=headers.get("source") or headers.get("url"),
        published=pub,
        published_year=year,
        location=location,
    )


def _html_to_text(html: str) -> str:
    """Crude but dependency-free: paragraphs become lines, tags go, entities are unescaped."""
    import html as _html

    # The <head> (its <title> would otherwise become the body's first sentence), scripts and page chrome go.
    html = re.sub(r"(?is)<(head|title|script|style|noscript|nav|header|footer|aside)\b.*?</\1>", " ", html)
    html = re.sub(r"(?i)</?(p|br|div|h[1-6]|li)\b[^>]*>", "\n", html)
    text = _html.unescape(re.sub(r"<[^>]+>", " ", html))
    return "\n".join(re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines() if ln.strip())


# Where news pages put their date: Open Graph / schema.org metadata, or a <time> element.
_PAGE_DATE = re.compile(
    r"""(?is)<meta[^>]+(?:property|name|itemprop)=["'](?:article:published_time|datePublished|"""
    r"""date|pubdate)["'][^>]+content=["']([^"']+)["']|<time[^>]+datetime=["']([^"']+)["']"""
)
# An article this short after tags are stripped is an error or maintenance page, not a story.
MIN_ARTICLE_CHARS = 200


def _from_response(text: str, content_type: str, location: str) -> Article:
    """Plain text as it is; HTML reduced to title, date and paragraphs; anything else refused."""
    ctype = content_type.split(";")[0].strip().lower()
    if "html" in ctype:
        title = re.search(r"(?is)<title>(.*?)</title>", text)
        when = _PAGE_DATE.search(text)
        body = _html_to_text(text)
        if len(body) < MIN_ARTICLE_CHARS:
            raise FetchError(
                f"The page at {location} has no article text ({len(body)} characters after markup: "
                f"{body[:80]!r}); it looks like an error or maintenance page",
                value=location,
                hint="Try again later, or save the article as text and give the file.",
            )
        import html as _html

        name = _html.unescape(re.sub(r"\s+", " ", title.group(1))).strip() if title else None
        head = (f"Title: {name}\n" if name else "") + f"Source: {location}\n"
        if when:
            head += f"Published: {when.group(1) or when.group(2)}\n"
        return parse_article(head + "\n" + body, location)
    if ctype and not ctype.startswith("text/"):
        raise FetchError(
            f"The article at {location} is {ctype}, not text or HTML",
            value=location,
            hint="Save the article as text and give the file.",
        )
    return parse_article(text, location)


def read_article(location: str, *, timeout: float = 20.0) -> Article:
    """A path, '-' for standard input, or an http(s) URL (the only network use, on request)."""
    if location == "-":
        return parse_article(sys.stdin.read(), "<stdin>")
    if re.match(r"^https?://", location):
        from armatlas.sources._http import fetch_page

        try:  # the shared downloader: size cap, overall deadline, public redirects, text types only
            page = fetch_page(location, timeout=timeout)
        except FetchError as exc:
            raise FetchError(
                f"Could not read the article at {location}: {exc.message}",
                value=location,
                hint=exc.hint or "Check the address, or save the article as text and give the file.",
            ) from None
        return _from_response(page.text(), page.content_type, location)
    path = Path(location)
    if not path.is_file():
        raise QueryError(
            f"No article file at {location}",
            value=location,
            hint="Give a text file, '-' for standard input, or a URL.",
        )
    return parse_article(path.read_text(encoding="utf-8"), str(path))
