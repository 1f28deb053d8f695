"""The /api/v1 endpoints: each one validates parameters and calls one Atlas method."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from armatlas import __version__
from armatlas.api.models import ERRORS, DealsBody, EntityBody, Health, ReconcileBody, TableBody
from armatlas.api.render import Format, respond, state_of
from armatlas.atlas import Atlas
from armatlas.errors import QueryError

router = APIRouter(prefix="/api/v1", tags=["data"], responses=ERRORS)


def opt(value: str | None) -> str | None:
    """`?release=` (an empty form field) means the default, not a release named ''."""
    return value or None


# Bounds keep every value a client can send inside what DuckDB and Python handle (no 500s).
Year = Annotated[int | None, Query(ge=1900, le=2100, description="A calendar year")]
Release = Annotated[
    str | None,
    Query(max_length=40, description="Release (e.g. 2026-05-18); newest by default", examples=["2026-05-18"]),
]
Fmt = Annotated[Format, Query(alias="format", description="json (default) or csv")]
Part = Annotated[
    str | None, Query(max_length=60, description="Which part of a composite result to give as CSV")
]
Country = Annotated[
    str,
    Path(min_length=1, max_length=100, description="Name, alias, ISO3 code or entity id", examples=["India"]),
]
PeriodQ = Annotated[
    str | None,
    Query(max_length=20, description="A period such as 2020-2024 or 2020-24", examples=["2021-2025"]),
]
Periods = Annotated[
    list[str] | None, Query(max_length=10, description="Periods, oldest first (repeat the parameter)")
]
Names = Annotated[list[str] | None, Query(max_length=20)]
MAX_PAGE = 1000  # rows per JSON page of deals (a whole register is ~17 MB of JSON)
MAX_CSV_ROWS = 100_000  # a CSV download may hold a whole register (~30,000 deals)


@router.get("/health", response_model=Health, summary="Liveness and the store's version (trivial; no query)")
async def health(request: Request) -> dict[str, Any]:
    state = state_of(request)
    return {"status": "ok", "version": __version__, "etag": state.etag.strip('"')}


@router.get("/releases", response_model=TableBody, summary="Releases in the store")
async def releases(request: Request, fmt: Fmt = "json") -> Response:
    return await respond(request, lambda a: a.releases(), fmt)


@router.get("/snapshots", response_model=TableBody, summary="Source files behind every figure (provenance)")
async def snapshots(request: Request, fmt: Fmt = "json") -> Response:
    return await respond(request, lambda a: a.snapshots(), fmt)


@router.get(
    "/entities", response_model=TableBody, summary="Search countries and other entities (for suggestions)"
)
async def entities(
    request: Request,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int | None, Query(ge=1, le=10000)] = None,
    fmt: Fmt = "json",
) -> Response:
    def run(a: Atlas) -> Any:
        result = a.entities(q)
        if limit is not None:
            result.table = result.table.slice(0, limit)
        return result

    return await respond(request, run, fmt)


@router.get(
    "/entities/{query}", response_model=EntityBody, summary="One entity by name, alias, ISO3 code or id"
)
async def entity(request: Request, query: Country) -> Response:
    return await respond(request, lambda a: {"entity": a.entity(query)})


@router.get(
    "/deals",
    response_model=DealsBody,
    summary="Deals from the trade register, filtered as SIPRI selects them, one page at a time",
    description="Rows `offset` to `offset + limit` of the selection; `page.total` counts the whole selection "
    "and `page.next` links the next page. `summary.facets` counts deals per supplier, recipient, "
    "category and status in the whole selection. format=csv gives the same page as CSV.",
)
async def deals(
    request: Request,
    recipient: Names = None,
    supplier: Names = None,
    from_year: Year = None,
    to_year: Year = None,
    category: Annotated[str | None, Query(max_length=60)] = None,
    status: Annotated[
        str | None, Query(max_length=60, description="Register status, e.g. 'Second hand'")
    ] = None,
    pending_only: bool = False,
    release: Release = None,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_CSV_ROWS,
            description=(
                f"Rows per page: JSON 100 by default, at most {MAX_PAGE}; CSV the whole selection "
                f"(up to {MAX_CSV_ROWS:,} rows) by default"
            ),
        ),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")] = 0,
    fmt: Fmt = "json",
) -> Response:
    if limit is None:
        limit = 100 if fmt == "json" else MAX_CSV_ROWS
    elif fmt == "json" and limit > MAX_PAGE:
        raise QueryError(
            f"limit={limit} is over {MAX_PAGE} rows per JSON page",
            value=str(limit),
            hint=f"Page with offset (page.next), or ask for format=csv (up to {MAX_CSV_ROWS:,} rows).",
        )

    def run(a: Atlas) -> Any:
        result = a.deals(
            recipient=recipient,
            supplier=supplier,
            from_year=from_year,
            to_year=to_year,
            category=opt(category),
            status=opt(status),
            pending_only=pending_only,
            release=opt(release),
        )
        total = result.table.num_rows
        result.table = result.table.slice(offset, limit)
        if fmt == "csv":
            return result
        url = request.url.include_query_params(offset=offset + limit)
        nxt = f"{url.path}?{url.query}" if offset + limit < total else None
        return {**result.to_dict(), "page": {"total": total, "limit": limit, "offset": offset, "next": nxt}}

    return await respond(request, run, fmt)


@router.get(
    "/reconcile",
    response_model=ReconcileBody,
    summary="Register deliveries against the publisher's TIV tables",
)
async def reconcile(
    request: Request,
    release: Release = None,
    tables_release: Release = None,
    from_year: Year = None,
    to_year: Year = None,
    fmt: Fmt = "json",
) -> Response:
    return await respond(
        request,
        lambda a: a.reconcile(
            release=opt(release), tables_release=opt(tables_release), from_year=from_year, to_year=to_year
        ),
        fmt,
    )
