"""The served app: the /api/v1 endpoints plus the web pages, with HTML error pages for browsers.

The one module that imports both the API and the web (they never import each other).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response
from starlette.types import Scope

from armatlas.api import create_app as create_api
from armatlas.api.serving import bind, is_loopback, run
from armatlas.api.state import DEFAULT_TIMEOUT
from armatlas.web import mount
from armatlas.web.pages import error_page

__all__ = ["bind", "create_app", "is_loopback", "run"]  # serve_cmds runs the server through here

# Starlette's handler type: sync or async, any exception class.
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not /api/, Accept names text/html) gets the error as a page."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _html_or_json(handler: Handler) -> Handler:
    """Wrap the API's error handler: same status and fields, rendered as a page for browsers."""

    async def wrapped(request: Request, exc: Exception) -> Response:
        result = handler(request, exc)
        response = await result if inspect.isawaitable(result) else result
        if not wants_html(request):
            return response
        error = json.loads(bytes(response.body))["error"]
        return error_page(request, response.status_code, error)

    return wrapped


def _refusal_page(scope: Scope, status: int, error: dict[str, Any]) -> Response | None:
    """What the API's limits refuse (405, 413, 414) as a page for a browser; None: JSON as usual."""
    request = Request(scope)
    return error_page(request, status, error) if wants_html(request) else None


def create_app(
    store_path: str | Path | None = None,
    *,
    cors_origins: Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    slots: int | None = None,
) -> FastAPI:
    """API + dashboard over one store (what `armatlas serve` runs)."""
    app = create_api(store_path, cors_origins=cors_origins, timeout=timeout, slots=slots)
    mount(app)
    app.state.refusal_page = _refusal_page
    for key, handler in list(app.exception_handlers.items()):
        app.exception_handlers[key] = _html_or_json(handler)
    return app
