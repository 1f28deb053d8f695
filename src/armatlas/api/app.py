"""The API app factory: the read-only /api/v1 endpoints (the web pages are mounted by armatlas.serve)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from armatlas import __version__
from armatlas.api import errors
from armatlas.api.state import DEFAULT_TIMEOUT, ServerState
from armatlas.limits import MAX_CHECK_BODY

MAX_QUERY = 2048  # bytes of query string
MAX_PATH = 512  # bytes of path
MAX_BODY = 1024  # a read-only API needs no body; a small one (e.g. an empty form) is tolerated
ALLOWED = {"GET", "HEAD", "OPTIONS"}
# The claim checker is the one endpoint that takes a body (an article); it still writes nothing.
POST_PATHS = {"/check", "/api/v1/check"}
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    # Vega compiles expressions with Function(), hence 'unsafe-eval'; nothing loads from elsewhere.
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    ),
]


class LimitsMiddleware:
    """Refuses writes, long URLs and request bodies before any route runs (one error shape)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:  # answered as GET without the body (uvicorn drops it too); headers stay true
            scope = dict(scope, method="GET")
        refusal = self.check(scope)
        if refusal:
            status, code, message, extra = refusal
            page = self.page(scope, status, errors.shape(code, message)["error"])
            if page is not None:  # a browser asking for a page gets the refusal as one
                page.headers.update({k.decode(): v.decode() for k, v in [*extra, *SECURITY_HEADERS]})
                await page(scope, receive, _without_body(send) if head else send)
                return
            body = json.dumps(errors.shape(code, message)).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        *extra,
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b"" if head else body})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def page(scope: Scope, status: int, error: dict) -> Response | None:
        """The refusal as a page, when the app that mounts the web says how (`state.refusal_page`);
        the API alone always answers JSON."""
        app = scope.get("app")
        render = getattr(getattr(app, "state", None), "refusal_page", None)
        return render(scope, status, error) if render is not None else None

    @staticmethod
    def check(scope: Scope) -> tuple[int, str, str, list] | None:
        post = scope["method"] == "POST" and scope["path"] in POST_PATHS
        if scope["method"] not in ALLOWED and not post:
            return (
                405,
                "method-not-allowed",
                "This server is read-only: only GET and HEAD are accepted (and POST on /check)",
                [(b"allow", b"GET, HEAD")],
            )
        if len(scope.get("query_string", b"")) > MAX_QUERY:
            return 414, "uri-too-long", f"Query string longer than {MAX_QUERY} bytes", []
        if len(scope.get("raw_path") or scope["path"].encode()) > MAX_PATH:
            return 414, "uri-too-long", f"Path longer than {MAX_PATH} bytes", []
        limit = MAX_CHECK_BODY if post else MAX_BODY
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                return 413, "request-too-large", f"Request body over {limit} bytes", []
            if name == b"transfer-encoding":
                return 413, "request-too-large", "Streamed request bodies are not accepted", []
        return None


def _without_body(send: Send) -> Send:
    """HEAD: the same headers, an empty body."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = dict(message, body=b"")
        await send(message)

    return wrapped


def create_app(
    store_path: str | Path | None = None,
    *,
    cors_origins: Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    slots: int | None = None,
) -> FastAPI:
    """The API over one store, opened read-only now (a missing store fails here, loudly).

    The web pages are added by `armatlas.serve.create_app`: the API never imports the web.
    `slots`: analyses run at once (default: the number of cores); the rest queue.
    """
    state = ServerState(store_path, timeout=timeout, slots=slots)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.warm_up()  # before the server binds its port (uvicorn runs the lifespan first)
        yield
        state.close()

    # FastAPI's own docs pages load their JavaScript from a CDN: off. The web serves /docs from a
    # vendored Swagger UI instead (armatlas.web, mounted by armatlas.serve).
    app = FastAPI(
        title="armatlas",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        description="Read-only access to SIPRI arms-transfer data and the analyses over it. "
        "TIV is SIPRI's trend-indicator value: a volume measure, not money.",
    )
    app.state.armatlas = state
    errors.install(app)

    from armatlas.api.analysis_routes import build_router
    from armatlas.api.check_routes import router as check_router
    from armatlas.api.routes import router

    app.include_router(router)
    app.include_router(check_router)
    app.include_router(build_router())
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "HEAD"],
            allow_headers=["If-None-Match"],
            expose_headers=["ETag"],
        )
    app.add_middleware(LimitsMiddleware)
    return app
