"""The "check an article" page: a form, and the claim checker's dossier rendered as a table."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from armatlas.atlas import Atlas
from armatlas.limits import MAX_ARTICLE, MAX_CHECK_BODY
from armatlas.web.pages import page, render

router = APIRouter(include_in_schema=False)

# Verdict -> CSS class (colour); anything else is shown neutral.
VERDICT_CLASS = {"consistent": "ok", "inconsistent": "bad", "not checkable": "muted"}


def _releases(a: Atlas) -> list[str]:
    return [r["release"] for r in a.releases().rows]


@router.get("/check", response_class=HTMLResponse)
async def check_form(request: Request) -> HTMLResponse:
    return await page(request, "check.html", lambda a: {"releases": _releases(a)},
                      text="", release=None, dossier=None, classes=VERDICT_CLASS, max_chars=MAX_ARTICLE)


@router.post("/check", response_class=HTMLResponse)
async def check_submit(request: Request) -> HTMLResponse:
    body = await request.body()
    if len(body) > MAX_CHECK_BODY:  # the middleware trusts Content-Length; this checks what came
        error = {"code": "request-too-large", "message": f"Request body over {MAX_CHECK_BODY} bytes", "hint": None}
        return render(request, "error.html", status=413, error=error)
    fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=10)
    text = (fields.get("text") or [""])[0][:MAX_ARTICLE]
    release = (fields.get("release") or [""])[0].strip()[:40] or None

    def run(a: Atlas) -> dict[str, Any]:
        return {"releases": _releases(a), "dossier": a.check(text, release=release).to_dict()}

    return await page(request, "check.html", run, text=text, release=release, classes=VERDICT_CLASS,
                      max_chars=MAX_ARTICLE)
