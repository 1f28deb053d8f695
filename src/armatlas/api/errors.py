"""The one place where errors become HTTP responses, all in one shape: {"error": {...}}."""

from __future__ import annotations

import logging
from typing import Any

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from armatlas.errors import ArmatlasError, http_status

log = logging.getLogger("armatlas.api")

FIELDS = ("code", "message", "file", "line", "column", "value", "hint")


def shape(code: str, message: str, **kw: Any) -> dict[str, Any]:
    """The error body every response uses, with every field present (None when unknown)."""
    body: dict[str, Any] = {f: None for f in FIELDS}
    body.update(code=code, message=message, **kw)
    return {"error": body}


def error_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


status_of = http_status  # the mapping lives in errors.py: the pages use it too


def _validation_body(exc: RequestValidationError) -> dict[str, Any]:
    """First failing parameter: which one and why (FastAPI's own list goes in `details`)."""
    errs = exc.errors()
    first = errs[0] if errs else {}
    loc = [str(x) for x in first.get("loc", ())]
    name = loc[-1] if loc else None
    where = loc[0] if loc else "request"
    value = first.get("input")
    msg = (
        f"Invalid {where} parameter {name!r}: {first.get('msg', 'invalid value')}"
        if name
        else "Invalid request"
    )
    details = [{"loc": [str(x) for x in e.get("loc", ())], "msg": e.get("msg")} for e in errs]
    body = shape(
        "invalid-parameter",
        msg,
        column=name,
        value=None if value is None or isinstance(value, dict) else str(value),
        hint="See /api/v1/openapi.json for the accepted parameters.",
    )
    body["error"]["details"] = details
    return body


# DuckDB errors that mean the store file cannot be read (damaged, truncated, replaced or gone
# underneath the server), as opposed to a wrong query (a bug, 500).
# DuckDB raises a corrupt block's checksum error as the base duckdb.Error; its subclasses for a
# wrong query or a bad value (ProgrammingError, DataError) stay 500: those are our bugs.
STORE_FAULTS = (
    duckdb.Error,
    duckdb.IOException,
    duckdb.SerializationException,
    duckdb.InternalException,
    duckdb.FatalException,
    duckdb.PermissionException,
    duckdb.ConnectionException,
)


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


async def _damaged_store(request: Request, exc: Exception) -> JSONResponse:
    log.error("store unreadable on %s: %s", request.url.path, _first_line(exc))
    return error_response(
        503,
        shape(
            "store-unavailable",
            "The data store could not be read (damaged or changed underneath the server)",
            value=_first_line(exc)[:200],
            hint="Run `armatlas releases` to check the store; rebuild it with `armatlas ingest` if it is "
            "damaged, then restart the server.",
        ),
        headers={"Retry-After": "60"},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return error_response(
        500,
        shape(
            "internal-error",
            "Unexpected server error; this is a bug",
            hint="Please report it with the URL you requested.",
        ),
    )


def install(app: FastAPI) -> None:
    """Register the handlers that translate every error into the one shape."""

    @app.exception_handler(ArmatlasError)
    async def _armatlas(request: Request, exc: ArmatlasError) -> JSONResponse:
        status = status_of(exc)
        if status >= 500:
            log.error("server-side error on %s: %s", request.url.path, exc.render())
        body = {"error": exc.to_dict()}
        for f in FIELDS:
            body["error"].setdefault(f, None)
        return error_response(status, body)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, _validation_body(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {
            404: "not-found",
            405: "method-not-allowed",
            413: "request-too-large",
            414: "uri-too-long",
            503: "unavailable",
            504: "timeout",
        }
        code = codes.get(exc.status_code, f"http-{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404 and message == "Not Found":
            message = f"No such endpoint or page: {request.url.path}"
        hint = "See /api/v1/openapi.json for the endpoints." if exc.status_code in (404, 405) else None
        return error_response(
            exc.status_code,
            shape(code, message, value=request.url.path, hint=hint),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(duckdb.CatalogException)
    async def _missing_table(request: Request, exc: duckdb.CatalogException) -> JSONResponse:
        # A store that never had e.g. the spending data ingested lacks those tables; an analysis
        # that does not check first surfaces DuckDB's catalog error. Not the client's fault.
        log.error("store lacks a table on %s: %s", request.url.path, _first_line(exc))
        return error_response(
            503,
            shape(
                "store-incomplete",
                "The store lacks the data this endpoint needs",
                value=_first_line(exc)[:200],
                hint="Ingest the missing source (e.g. `armatlas ingest` the SIPRI "
                "milex workbook and World Bank files).",
            ),
        )

    for kind in STORE_FAULTS:
        app.add_exception_handler(kind, _damaged_store)
    for kind in (duckdb.ProgrammingError, duckdb.DataError):
        app.add_exception_handler(kind, _unexpected)

    app.add_exception_handler(Exception, _unexpected)
