"""The "check an article" page: a form, and the claim checker's dossier rendered as a table.

A checked article is kept with its result under its content hash, so `/check/<hash>` is a
permalink that shows the same text and verdicts later (and after a restart). The files live
beside the store in `checks/`; the store itself stays read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armatlas.atlas import Atlas
from armatlas.errors import ArmatlasError, http_status
from armatlas.limits import MAX_ARTICLE, MAX_CHECK_BODY
from armatlas.render.templating import TemplateError
from armatlas.web.pages import error_page, page, render, runner

router = APIRouter(include_in_schema=False)

# Verdict -> CSS class (colour); anything else is shown neutral.
VERDICT_CLASS = {"consistent": "ok", "inconsistent": "bad", "not checkable": "muted"}
KEY = re.compile(r"[0-9a-f]{32}")
MAX_STORED = (
    20_000  # checked articles kept at most (~100 KB each at worst): a bound on the disk a public server gives
)


RECHECKED = (
    "Checked again with this version of armatlas: the result kept on {when} was written by an "
    "older version, in a form this page no longer reads."
)


def _releases(a: Atlas) -> list[str]:
    return [r["release"] for r in a.releases().rows]


def _dossier(a: Atlas, text: str, release: str | None) -> dict[str, Any]:
    """The claim check as the JSON the page shows (and the permalink keeps)."""
    return json.loads(a.check(text, release=release).to_json())


def check_key(text: str, release: str | None) -> str:
    """The permalink id: a hash of exactly what was checked (text and the release asked for)."""
    return hashlib.sha256(f"{release or ''}\0{text}".encode()).hexdigest()[:32]


def checks_folder(request: Request) -> Path:
    return Path(runner(request).path).parent / "checks"


def save_check(folder: Path, key: str, record: dict[str, Any]) -> bool:
    """Write once (temp file + rename); False when the folder is full and nothing was kept."""
    path = folder / f"{key}.json"
    if path.exists():
        return True
    folder.mkdir(parents=True, exist_ok=True)
    if sum(1 for _ in folder.glob("*.json")) >= MAX_STORED:
        return False
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False, default=str)
    os.replace(tmp, path)
    return True


def load_check(folder: Path, key: str) -> dict[str, Any] | None:
    path = folder / f"{key}.json"
    if not KEY.fullmatch(key) or not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _show(
    request: Request,
    text: str,
    release: str | None,
    dossier: dict[str, Any] | None,
    releases: list[str],
    permalink: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "check.html",
        status=status,
        text=text,
        release=release,
        dossier=dossier,
        releases=releases,
        classes=VERDICT_CLASS,
        max_chars=MAX_ARTICLE,
        permalink=permalink,
    )


@router.get("/check", response_class=HTMLResponse)
async def check_form(request: Request) -> HTMLResponse:
    return await page(
        request,
        "check.html",
        lambda a: {"releases": _releases(a)},
        text="",
        release=None,
        dossier=None,
        classes=VERDICT_CLASS,
        max_chars=MAX_ARTICLE,
    )


@router.post("/check", response_class=HTMLResponse)
async def check_submit(request: Request) -> Response:
    body = await request.body()
    if len(body) > MAX_CHECK_BODY:  # the middleware trusts Content-Length; this checks what came
        error = {
            "code": "request-too-large",
            "message": f"Request body over {MAX_CHECK_BODY} bytes",
            "hint": None,
        }
        return error_page(request, 413, error)
    try:
        fields = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=10)
    except ValueError:  # more fields than the form has: a client error, not a crash
        error = {
            "code": "invalid-parameter",
            "message": "The form sent more than 10 fields",
            "hint": "Send the form's own fields: text and release.",
        }
        return error_page(request, 422, error)
    text = (fields.get("text") or [""])[0][:MAX_ARTICLE]
    release = (fields.get("release") or [""])[0].strip()[:40] or None

    def run(a: Atlas) -> tuple[dict[str, Any], list[str]]:
        return _dossier(a, text, release), _releases(a)

    try:
        dossier, releases = await runner(request).run(run)
    except ArmatlasError as exc:
        return error_page(
            request,
            http_status(exc),
            exc.to_dict(),
            text=text,
            release=release,
            dossier=None,
            releases=[],
            classes=VERDICT_CLASS,
            max_chars=MAX_ARTICLE,
        )
    key = check_key(text, release)
    record = {
        "text": text,
        "release": release,
        "dossier": dossier,
        "checked_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    try:
        saved = save_check(checks_folder(request), key, record)
    except OSError:  # a read-only or full disk: the result still shows, only the permalink is missing
        saved = False
    if not saved:
        return _show(request, text, release, dossier, releases)
    return RedirectResponse(f"/check/{key}", status_code=303)


@router.get("/check/{key}", response_class=HTMLResponse)
async def check_permalink(request: Request, key: str) -> HTMLResponse:
    record = load_check(checks_folder(request), key)
    if record is None:
        error = {
            "code": "not-found",
            "message": "No checked article under this link",
            "hint": "Links to checks made on another server do not carry over; paste the article again.",
            "value": key,
        }
        return error_page(request, 404, error)
    releases = await runner(request).run(_releases)
    try:
        return _show(
            request, record["text"], record["release"], record["dossier"], releases, permalink=f"/check/{key}"
        )
    except TemplateError:
        # A record kept by an older armatlas lacks a field this page now shows: check the same
        # text again rather than fail or show a blank (the stored file is left as it was).
        dossier = await runner(request).run(lambda a: _dossier(a, record["text"], record["release"]))
        dossier["notes"] = [*dossier["notes"], RECHECKED.format(when=record.get("checked_at", "earlier"))]
        return _show(request, record["text"], record["release"], dossier, releases, permalink=f"/check/{key}")
