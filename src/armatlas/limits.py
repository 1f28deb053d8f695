"""Input size limits shared by the HTTP API and the web pages (neither imports the other)."""

from __future__ import annotations

MAX_ARTICLE = 100_000  # characters of an article to check; a long news article is ~30,000
MAX_CHECK_BODY = 100 * 1024  # bytes of a POST to /check; the middleware refuses more before any route runs
