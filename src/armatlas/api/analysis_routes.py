"""Endpoints for the trade analyses; each is registered only when its Atlas method exists."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from armatlas.api.render import respond
from armatlas.api.routes import Country, opt, Fmt, Part, PeriodQ, Periods, Release
from armatlas.atlas import Atlas

Direction = Literal["import", "export"]


def build_router() -> APIRouter:
    """A router holding the analysis endpoints whose Atlas methods have landed."""
    router = APIRouter(prefix="/api/v1")
    has = {name for name in dir(Atlas) if not name.startswith("_")}

    if "trends" in has:
        @router.get("/trends", summary="Top exporters or importers for a period, with change and partners")
        async def trends(request: Request, direction: Direction = "export", period: PeriodQ = None,
                         compare: PeriodQ = None, top: Annotated[int | None, Query(ge=1, le=1000)] = 10,
                         release: Release = None, fmt: Fmt = "json") -> Response:
            return await respond(request, lambda a: a.trends(
                direction=direction, period=opt(period), compare=opt(compare), top=top, release=opt(release)), fmt)

    if "dependence" in has:
        @router.get("/countries/{country}/dependence", summary="Supplier dependence of an importer")
        async def dependence(request: Request, country: Country, periods: Periods = None,
                             release: Release = None, fmt: Fmt = "json", part: Part = None) -> Response:
            return await respond(request, lambda a: a.dependence(country, periods=periods, release=opt(release)),
                                 fmt, part)

    if "exports" in has:
        @router.get("/countries/{country}/exports", summary="Exports of a supplier: recipients and reach")
        async def exports(request: Request, country: Country, periods: Periods = None,
                          release: Release = None, fmt: Fmt = "json", part: Part = None) -> Response:
            return await respond(request, lambda a: a.exports(country, periods=periods, release=opt(release)),
                                 fmt, part)

    if "profile" in has:
        @router.get("/countries/{country}/profile", summary="Everything about one country's arms trade")
        async def profile(request: Request, country: Country, period: PeriodQ = None,
                          release: Release = None, fmt: Fmt = "json", part: Part = None) -> Response:
            return await respond(request, lambda a: a.profile(country, period=opt(period), release=opt(release)),
                                 fmt, part)

    return router
