"""The deals explorer: the register's deals filtered by facets, one page at a time (a shareable URL)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from armatlas.atlas import Atlas
from armatlas.web.pages import Release, blank, page

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
Text = Annotated[str | None, Query(max_length=100)]
YearQ = Annotated[int | None, Query(ge=1900, le=2100)]


def _link(filters: dict[str, Any], **change: Any) -> str:
    """This view's URL with some filters changed (None removes one); back to the first page."""
    merged = {k: v for k, v in {**filters, **change}.items() if v not in (None, "", False)}
    return "/deals" + ("?" + urlencode(merged) if merged else "")


@router.get("/deals", response_class=HTMLResponse)
async def deals(
    request: Request,
    supplier: Text = None,
    recipient: Text = None,
    category: Text = None,
    status: Text = None,
    from_year: YearQ = None,
    to_year: YearQ = None,
    pending: bool = False,
    release: Release = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    sup, rec, cat, st, rel = blank(supplier), blank(recipient), blank(category), blank(status), blank(release)
    filters = {
        "supplier": sup,
        "recipient": rec,
        "category": cat,
        "status": st,
        "from_year": from_year,
        "to_year": to_year,
        "pending": pending,
        "release": rel,
    }

    def run(a: Atlas) -> dict[str, Any]:
        result = a.deals(
            supplier=sup,
            recipient=rec,
            category=cat,
            status=st,
            from_year=from_year,
            to_year=to_year,
            pending_only=pending,
            release=rel,
        )
        total = result.table.num_rows
        rows = result.table.slice(offset, PER_PAGE).to_pylist()
        return {"result": result, "rows": rows, "total": total}

    api = {k: v for k, v in filters.items() if v not in (None, "", False) and k != "pending"}
    if pending:
        api["pending_only"] = "true"
    here = _link(filters)
    return await page(
        request,
        "deals.html",
        run,
        filters=filters,
        offset=offset,
        per_page=PER_PAGE,
        link=_link,
        here=here,
        csv_url="/api/v1/deals?" + urlencode({**api, "format": "csv"}),
        json_url="/api/v1/deals?" + urlencode(api),
        page_url=lambda o: here + ("&" if "?" in here else "?") + f"offset={o}",
    )
