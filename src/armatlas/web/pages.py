"""Dashboard pages: each one calls Atlas methods and hands the results to a template.

URLs carry every choice as query parameters, so a page can be shared and bookmarked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import UndefinedError

from armatlas.atlas import Atlas
from armatlas.errors import ArmatlasError, http_status
from armatlas.render import TEMPLATES as SHARED_TEMPLATES
from armatlas.render.charts import multi_flows_chart, profile_charts, ranking_chart
from armatlas.render.findings import key_findings
from armatlas.render.notes import CITATION, METHOD_NOTES
from armatlas.render.templating import environment, template_error
from armatlas.render.views import import_flows, top_partners
from armatlas.web import TEMPLATES

router = APIRouter(include_in_schema=False)
# The web's own templates first, then the sections it shares with the reports.
templates = Jinja2Templates(env=environment([TEMPLATES, SHARED_TEMPLATES]))

PeriodQ = Annotated[str | None, Query(max_length=20)]
Release = Annotated[str | None, Query(max_length=40)]
MAX_COMPARE = 6


T = TypeVar("T")


class Runner(Protocol):
    """What the pages need of the server (set as app.state.armatlas by the app that mounts them)."""

    etag: str
    path: Path

    async def run(self, fn: Callable[[Atlas], T]) -> T: ...


def runner(request: Request) -> Runner:
    return request.app.state.armatlas


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """The page; a name its data lack is a `template-error` (500 page), never a blank figure."""
    try:
        return templates.TemplateResponse(request, name, ctx, status_code=status)
    except UndefinedError as exc:
        raise template_error(exc, name) from None


def error_page(request: Request, status: int, error: dict[str, Any], **ctx: Any) -> HTMLResponse:
    """The error as a page: the API's fields (code, message, hint, suggestions), HTML for people."""
    return render(request, "error.html", status=status, error=error, **ctx)


async def page(
    request: Request, name: str, fn: Callable[[Atlas], dict[str, Any]], **ctx: Any
) -> HTMLResponse:
    """Run fn on a fresh cursor and render; a library error becomes an error page, same fields."""
    try:
        data = await runner(request).run(fn)
    except ArmatlasError as exc:
        return error_page(request, http_status(exc), exc.to_dict(), **ctx)
    return render(request, name, **ctx, **data)


def blank(value: str | None) -> str | None:
    """An empty form field means 'default', not an empty period."""
    return value.strip() or None if value else None


@router.get("/", response_class=HTMLResponse)
async def overview(
    request: Request,
    period: PeriodQ = None,
    release: Release = None,
    top: Annotated[int, Query(ge=1, le=100)] = 15,
) -> HTMLResponse:
    period, release = blank(period), blank(release)

    def run(a: Atlas) -> dict[str, Any]:
        exp = a.trends(direction="export", period=period, top=top, release=release)
        imp = a.trends(direction="import", period=period, top=top, release=release)
        p = exp.params["period"]
        charts = [
            (
                "exporters",
                ranking_chart(
                    exp.rows,
                    f"Largest exporters of major arms, {p}",
                    exp.provenance.citation(),
                    name=f"exporters-{p}",
                ),
            ),
            (
                "importers",
                ranking_chart(
                    imp.rows,
                    f"Largest importers of major arms, {p}",
                    imp.provenance.citation(),
                    name=f"importers-{p}",
                ),
            ),
        ]
        return {"exp": exp, "imp": imp, "charts": charts}

    return await page(request, "overview.html", run, period=period, top=top, release=release)


@router.get("/search")
async def search(q: Annotated[str, Query(max_length=100)] = "") -> Response:
    """The search box's target: the country page (which suggests names when it is unknown)."""
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/country/{quote(q.strip(), safe='')}", status_code=303)


@router.get("/country/{country}", response_class=HTMLResponse)
async def country(
    request: Request, country: str, period: PeriodQ = None, release: Release = None
) -> HTMLResponse:
    period, release = blank(period), blank(release)

    def run(a: Atlas) -> dict[str, Any]:
        prof = a.profile(country, period=period, release=release)
        partners = top_partners(a, prof, release)
        findings = key_findings(prof, import_flows(a, prof, release))
        return {"profile": prof, "charts": profile_charts(prof), "partners": partners, "findings": findings}

    return await page(request, "country.html", run, query=country, period=period, release=release)


@router.get("/compare", response_class=HTMLResponse)
async def compare(
    request: Request,
    c: Annotated[list[str] | None, Query(max_length=MAX_COMPARE)] = None,
    period: PeriodQ = None,
    release: Release = None,
) -> HTMLResponse:
    period, release = blank(period), blank(release)
    names = [x.strip() for x in (c or []) if x.strip()]

    def run(a: Atlas) -> dict[str, Any]:
        profiles = [a.profile(n, period=period, release=release) for n in names]
        flows = [
            dict(r, country=p.summary.entity.name, country_id=p.summary.entity.entity_id)
            for p in profiles
            for r in p.parts["flows"].rows
        ]
        source = profiles[0].provenance.citation() if profiles else ""
        charts = (
            []
            if not profiles
            else [
                ("imports", multi_flows_chart(flows, "imports", "Arms imports per year", source)),
                ("exports", multi_flows_chart(flows, "exports", "Arms exports per year", source)),
            ]
        )
        return {"profiles": profiles, "charts": charts}

    return await page(request, "compare.html", run, names=names, period=period, release=release)


@router.get("/trends", response_class=HTMLResponse)
async def trends(
    request: Request,
    direction: str = "export",
    period: PeriodQ = None,
    compare: PeriodQ = None,
    top: Annotated[int, Query(ge=1, le=500)] = 50,
    release: Release = None,
) -> HTMLResponse:
    period, compare, release = blank(period), blank(compare), blank(release)

    def run(a: Atlas) -> dict[str, Any]:
        return {
            "result": a.trends(direction=direction, period=period, compare=compare, top=top, release=release)
        }

    return await page(
        request,
        "trends.html",
        run,
        direction=direction,
        period=period,
        compare=compare,
        top=top,
        release=release,
    )


@router.get("/data", response_class=HTMLResponse)
async def data(request: Request) -> HTMLResponse:
    def run(a: Atlas) -> dict[str, Any]:
        return {"releases": a.releases().rows, "snapshots": a.snapshots().rows}

    return await page(
        request, "data.html", run, notes=METHOD_NOTES, citation=CITATION, etag=runner(request).etag.strip('"')
    )


@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    """Interactive API documentation (Swagger UI served from /static: works offline)."""
    return render(request, "docs.html")
