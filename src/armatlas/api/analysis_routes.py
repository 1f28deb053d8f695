"""Endpoints for the analyses (trade, spending, militarisation); each is registered only when its Atlas method exists."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from armatlas.api.models import (
    ERRORS,
    CompareBody,
    CutoffBody,
    DependenceBody,
    ExportsBody,
    IndustryBody,
    MilitarisationBody,
    NetworkBody,
    PipelineBody,
    ProfileBody,
    SpendingBody,
    TableBody,
    TrendsBody,
)
from armatlas.api.render import respond
from armatlas.api.routes import Country, Fmt, Names, Part, PeriodQ, Periods, Release, Year, opt
from armatlas.atlas import Atlas

Direction = Literal["import", "export"]


def build_router() -> APIRouter:
    """A router holding the analysis endpoints whose Atlas methods have landed."""
    router = APIRouter(prefix="/api/v1", responses=ERRORS)
    has = {name for name in dir(Atlas) if not name.startswith("_")}

    if "trends" in has:

        @router.get(
            "/trends",
            response_model=TrendsBody,
            tags=["trade"],
            summary="Top exporters or importers for a period, with change and partners",
        )
        async def trends(
            request: Request,
            direction: Direction = "export",
            period: PeriodQ = None,
            compare: PeriodQ = None,
            top: Annotated[int | None, Query(ge=1, le=1000)] = 10,
            release: Release = None,
            fmt: Fmt = "json",
        ) -> Response:
            return await respond(
                request,
                lambda a: a.trends(
                    direction=direction,
                    period=opt(period),
                    compare=opt(compare),
                    top=top,
                    release=opt(release),
                ),
                fmt,
            )

    if "dependence" in has:

        @router.get(
            "/countries/{country}/dependence",
            response_model=DependenceBody,
            tags=["trade"],
            summary="Supplier dependence of an importer",
        )
        async def dependence(
            request: Request,
            country: Country,
            periods: Periods = None,
            release: Release = None,
            fmt: Fmt = "json",
            part: Part = None,
        ) -> Response:
            return await respond(
                request, lambda a: a.dependence(country, periods=periods, release=opt(release)), fmt, part
            )

    if "exports" in has:

        @router.get(
            "/countries/{country}/exports",
            response_model=ExportsBody,
            tags=["trade"],
            summary="Exports of a supplier: recipients and reach",
        )
        async def exports(
            request: Request,
            country: Country,
            periods: Periods = None,
            release: Release = None,
            fmt: Fmt = "json",
            part: Part = None,
        ) -> Response:
            return await respond(
                request, lambda a: a.exports(country, periods=periods, release=opt(release)), fmt, part
            )

    if "profile" in has:

        @router.get(
            "/countries/{country}/profile",
            response_model=ProfileBody,
            tags=["trade"],
            summary="Everything about one country's arms trade",
        )
        async def profile(
            request: Request,
            country: Country,
            period: PeriodQ = None,
            release: Release = None,
            fmt: Fmt = "json",
            part: Part = None,
        ) -> Response:
            return await respond(
                request, lambda a: a.profile(country, period=opt(period), release=opt(release)), fmt, part
            )

    _add_more(router, has)
    return router


def _add_more(router: APIRouter, has: set[str]) -> None:
    """Flows, pipeline, cut-off, network, release comparison, spending, militarisation."""

    if "flows" in has:

        @router.get(
            "/flows",
            response_model=TableBody,
            tags=["trade"],
            summary="Period totals of entities (or the world): TIV, share, rank, change",
        )
        async def flows(
            request: Request,
            entity: Names = None,
            direction: Direction = "import",
            periods: Periods = None,
            release: Release = None,
            fmt: Fmt = "json",
        ) -> Response:
            return await respond(
                request,
                lambda a: a.flows(entity, direction=direction, periods=periods, release=opt(release)),
                fmt,
            )

    if "pipeline" in has:

        @router.get(
            "/pipeline",
            response_model=PipelineBody,
            tags=["trade"],
            summary="Orders not yet (fully) delivered",
        )
        async def pipeline(
            request: Request,
            importer: Annotated[str | None, Query(max_length=100)] = None,
            supplier: Names = None,
            release: Release = None,
            fmt: Fmt = "json",
        ) -> Response:
            return await respond(
                request,
                lambda a: a.pipeline(importer=opt(importer), supplier=supplier, release=opt(release)),
                fmt,
            )

    if "cutoff" in has:

        @router.get(
            "/countries/{country}/cutoff",
            response_model=CutoffBody,
            tags=["trade"],
            summary="What a cut-off by the given suppliers would remove",
        )
        async def cutoff(
            request: Request,
            country: Country,
            supplier: Annotated[list[str], Query(min_length=1, max_length=20)],
            window: PeriodQ = None,
            release: Release = None,
            fmt: Fmt = "json",
            part: Part = None,
        ) -> Response:
            return await respond(
                request,
                lambda a: a.cutoff(country, supplier, window=opt(window), release=opt(release)),
                fmt,
                part,
            )

    if "network" in has:

        @router.get(
            "/network",
            response_model=NetworkBody,
            tags=["trade"],
            summary="Supplier-to-recipient network of a period (node-link JSON)",
        )
        async def network(
            request: Request,
            period: PeriodQ = None,
            release: Release = None,
            min_tiv: Annotated[float, Query(ge=0, le=1e9)] = 0.0,
            focus: Annotated[str | None, Query(max_length=100)] = None,
        ) -> Response:
            return await respond(
                request,
                lambda a: a.network(
                    period=opt(period), release=opt(release), min_tiv=min_tiv, focus=opt(focus)
                ),
            )

    if "compare_releases" in has:

        @router.get(
            "/compare-releases",
            response_model=CompareBody,
            tags=["trade"],
            summary="One query on two releases, with the change",
        )
        async def compare_releases(
            request: Request,
            query: Annotated[str, Query(max_length=40)],
            release_a: Annotated[str, Query(max_length=40)],
            release_b: Annotated[str, Query(max_length=40)],
            country: Annotated[str | None, Query(max_length=100)] = None,
            direction: Direction | None = None,
            period: PeriodQ = None,
            fmt: Fmt = "json",
        ) -> Response:
            return await respond(
                request,
                lambda a: a.compare_releases(
                    query, release_a, release_b, country=opt(country), direction=direction, period=opt(period)
                ),
                fmt,
            )

    if "spending" in has:

        @router.get(
            "/countries/{country}/spending",
            response_model=SpendingBody,
            tags=["spending"],
            summary="Military spending: level, burden, growth, peers",
        )
        async def spending(
            request: Request,
            country: Country,
            peers: Names = None,
            year: Year = None,
            fmt: Fmt = "json",
            part: Part = None,
        ) -> Response:
            return await respond(request, lambda a: a.spending(country, peers=peers, year=year), fmt, part)

    if "militarisation" in has:

        @router.get(
            "/militarisation",
            response_model=MilitarisationBody,
            tags=["spending"],
            summary="The transparent militarisation index for one year",
        )
        async def militarisation(
            request: Request,
            year: Year = None,
            top: Annotated[int | None, Query(ge=1, le=1000)] = None,
            fmt: Fmt = "json",
        ) -> Response:
            return await respond(request, lambda a: a.militarisation(year=year, top=top), fmt)

    if "industry" in has:

        @router.get(
            "/countries/{country}/industry",
            response_model=IndustryBody,
            tags=["industry"],
            summary="Defence industry: SIPRI Top 100 companies, licensed/local production, personnel",
        )
        async def industry(
            request: Request, country: Country, release: Release = None, fmt: Fmt = "json", part: Part = None
        ) -> Response:
            return await respond(request, lambda a: a.industry(country, release=opt(release)), fmt, part)
