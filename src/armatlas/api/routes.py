"""The /api/v1 endpoints: each one validates parameters and calls one Atlas method."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from armatlas import __version__
from armatlas.api.render import Format, respond, state_of
from armatlas.atlas import Atlas

router = APIRouter(prefix="/api/v1")



def opt(value: str | None) -> str | None:
    """`?release=` (an empty form field) means the default, not a release named ''."""
    return value or None

# Bounds keep every value a client can send inside what DuckDB and Python handle (no 500s).
Year = Annotated[int | None, Query(ge=1900, le=2100, description="A calendar year")]
Release = Annotated[str | None, Query(max_length=40, description="Release (e.g. 2026-05-18); newest by default")]
Fmt = Annotated[Format, Query(alias="format", description="json (default) or csv")]
Part = Annotated[str | None, Query(max_length=60, description="Which part of a composite result to give as CSV")]
Country = Annotated[str, Path(min_length=1, max_length=100, description="Name, alias, ISO3 code or entity id")]
PeriodQ = Annotated[str | None, Query(max_length=20, description="A period such as 2020-2024 or 2020-24")]
Periods = Annotated[list[str] | None, Query(max_length=10, description="Periods, oldest first (repeat the parameter)")]
Names = Annotated[list[str] | None, Query(max_length=20)]


@router.get("/health", summary="Liveness and the store's version (trivial; no query)")
async def health(request: Request) -> dict[str, Any]:
    state = state_of(request)
    return {"status": "ok", "version": __version__, "etag": state.etag.strip('"')}


@router.get("/releases", summary="Releases in the store")
async def releases(request: Request, fmt: Fmt = "json") -> Response:
    return await respond(request, lambda a: a.releases(), fmt)


@router.get("/snapshots", summary="Source files behind every figure (provenance)")
async def snapshots(request: Request, fmt: Fmt = "json") -> Response:
    return await respond(request, lambda a: a.snapshots(), fmt)


@router.get("/entities", summary="Search countries and other entities (for suggestions)")
async def entities(request: Request, q: Annotated[str | None, Query(max_length=100)] = None,
                   limit: Annotated[int | None, Query(ge=1, le=10000)] = None, fmt: Fmt = "json") -> Response:
    def run(a: Atlas) -> Any:
        result = a.entities(q)
        if limit is not None:
            result.table = result.table.slice(0, limit)
        return result

    return await respond(request, run, fmt)


@router.get("/entities/{query}", summary="One entity by name, alias, ISO3 code or id")
async def entity(request: Request, query: Country) -> Response:
    return await respond(request, lambda a: {"entity": a.entity(query)})


@router.get("/deals", summary="Deals from the trade register, filtered as SIPRI selects them")
async def deals(request: Request, recipient: Names = None, supplier: Names = None,
                from_year: Year = None, to_year: Year = None,
                category: Annotated[str | None, Query(max_length=60)] = None,
                pending_only: bool = False, release: Release = None, fmt: Fmt = "json") -> Response:
    return await respond(request, lambda a: a.deals(
        recipient=recipient, supplier=supplier, from_year=from_year, to_year=to_year,
        category=category, pending_only=pending_only, release=opt(release)), fmt)


@router.get("/reconcile", summary="Register deliveries against the publisher's TIV tables")
async def reconcile(request: Request, release: Release = None, tables_release: Release = None,
                    from_year: Year = None, to_year: Year = None, fmt: Fmt = "json") -> Response:
    return await respond(request, lambda a: a.reconcile(
        release=opt(release), tables_release=opt(tables_release), from_year=from_year, to_year=to_year), fmt)
