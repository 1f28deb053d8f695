"""POST /api/v1/check: the claim checker over the server's store (the only endpoint with a body)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from armatlas.api.render import JSON_TYPE, state_of
from armatlas.atlas import Atlas
from armatlas.errors import QueryError

MAX_ARTICLE = 100_000  # characters; the middleware caps the body at 100 KB before this runs


class CheckRequest(BaseModel):
    """An article: optional Title:/Source:/Published: header lines, a blank line, then the text."""

    text: str = Field(min_length=1, max_length=MAX_ARTICLE, description="The article text")
    release: str | None = Field(None, max_length=40, description="Release to check against; newest by default")


def check_text(atlas: Atlas, text: str, release: str | None = None) -> Any:
    """Parse and check one article on this Atlas's cursor; the Dossier it returns."""
    from armatlas.claims import check_article, parse_article

    if not text.strip():
        raise QueryError("The article is empty", hint="Paste the article's text.")
    return check_article(atlas.con, parse_article(text), release=release or None)


router = APIRouter(prefix="/api/v1")


@router.post("/check", summary="Check an article's claims against the data (a dossier of verdicts)")
async def check(request: Request, body: CheckRequest) -> Response:
    dossier = await state_of(request).run(lambda a: check_text(a, body.text, body.release))
    return Response(dossier.to_json().encode(), media_type=JSON_TYPE)
